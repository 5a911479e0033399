package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MetricsEvent;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.Source;
import dev.eyes.source.SourceStatus;
import dev.eyes.testing.BlockDevices;
import dev.eyes.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The observer starts the metrics and disk sources next to the log sources, and replay reads the unified log. */
class ResourceWiringTest {

    @Test
    void observerSamplesMetricsAndDiskIntoTheBuffers(@TempDir Path tmp) throws Exception {
        Path logFile = Files.writeString(tmp.resolve("app.log"), "");
        String toml = """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "oslog-ndjson"
                [metrics]
                interval_seconds = 1
                [storage]
                database_path = "%s"
                [web]
                enabled = false
                """.formatted(logFile, tmp.resolve("eyes.db"));
        EyesConfig config = ConfigLoader.parse(toml, null, Map.of()).config();
        Observer o = new Observer(config, new Observer.Options(false), Platform.LINUX, RestartPolicy.DEFAULT);
        o.start();
        try {
            assertThat(o.sources()).extracting(Source::name).contains("metrics", "disk", "file:" + logFile);
            var buffers = o.loop().processor().buffers();
            String disk = BlockDevices.diskOf(tmp).orElseThrow();
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while ((buffers.metricsBuffer().size() == 0 || buffers.diskBuffer().snapshot().stream()
                    .noneMatch(d -> d.diskName().equals(disk))) && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            MetricsEvent m = buffers.metricsBuffer().snapshot().getFirst();
            assertThat(m.provenance().cpuUsage()).isEqualTo(MeasurementKind.MEASURED);
            assertThat(m.provenance().cpuPower()).isEqualTo(MeasurementKind.UNAVAILABLE);
            assertThat(buffers.diskBuffer().snapshot()).anyMatch(d -> d.diskName().equals(disk));
            Source metrics = o.sources().stream().filter(s -> s.name().equals("metrics")).findFirst().orElseThrow();
            assertThat(metrics.status().state()).isEqualTo(SourceStatus.State.RUNNING);
            assertThat(metrics.status().reason()).contains("rapl").contains("nvidia-smi");
        } finally {
            o.stop(Duration.ofSeconds(4));
        }
    }

    @Test
    void metricsAndDiskCanBeSwitchedOff() {
        EyesConfig d = EyesConfig.defaults();
        var off = new dev.eyes.config.MetricsConfig(5, false, false, 10, 40, List.of(), 5);
        var cfg = new EyesConfig(d.logging(), off, d.buffer(), d.triggers(), d.rules(), d.ai(), d.alerts(),
                d.storage(), d.web(), d.selfMonitoring());
        assertThat(MetricSources.build(cfg, Platform.LINUX, RestartPolicy.DEFAULT).sources()).isEmpty();
        assertThat(MetricSources.build(d, Platform.LINUX, RestartPolicy.DEFAULT).sources())
                .extracting(Source::name).containsExactly("metrics", "disk");
        assertThat(MetricSources.build(d, Platform.MACOS, RestartPolicy.DEFAULT).sources())
                .extracting(s -> s.getClass().getSimpleName()).containsExactly("MacMetricsSource", "MacDiskSource");
        assertThat(MetricSources.build(d, Platform.OTHER, RestartPolicy.DEFAULT).unavailable()).hasSize(1);
    }

    @Test
    void oslogIsUnavailableOffMacOs() {
        EyesConfig d = EyesConfig.defaults();
        var logging = new dev.eyes.config.LoggingConfig(d.logging().predicate(), List.of("oslog"), "err", "", "",
                List.of(), d.logging().errorKeywords());
        LogSources.Plan plan = LogSources.plan(d.withLogging(logging), Platform.LINUX, RestartPolicy.DEFAULT);
        assertThat(plan.specs()).isEmpty();
        assertThat(plan.unavailable()).extracting(Object::toString)
                .containsExactly("oslog: the unified log exists only on macOS");
    }

    @Test
    void replayReadsTheUnifiedLogByNameAndByDetection(@TempDir Path tmp) throws Exception {
        Path cfg = Files.writeString(tmp.resolve("c.toml"), "");
        for (String fmt : List.of("oslog-json", "auto")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.execute(new String[] {"replay", "--config", cfg.toString(), "--format", fmt, "--json",
                Fixtures.path("macos/log/show-json-entries-kernel-hfs-and-unmountagent-macos15.json").toString()},
                    new PrintWriter(out), new PrintWriter(err));
            assertThat(status).isZero();
            assertThat(err.toString()).contains("replay: 2 records read, 0 skipped as malformed, 0 triggers");
        }
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"replay", "--config", cfg.toString(), "--format", "oslog-ndjson",
            Fixtures.path("macos/log/show-json-source-banner-sierra-era-2018.txt").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(status).isZero();
        assertThat(err.toString()).contains("replay: 1 records read, 0 skipped");
    }
}
