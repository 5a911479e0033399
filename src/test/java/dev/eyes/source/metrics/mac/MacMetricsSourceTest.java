package dev.eyes.source.metrics.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.ProcessMetric;
import dev.eyes.source.EventSink;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.ProcessSampler;
import dev.eyes.source.metrics.SampleRound;
import dev.eyes.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The macOS metrics source against captured tool output, through a fake {@link CommandRunner}. */
class MacMetricsSourceTest {
    private static final MetricsConfig CONFIG = MetricsConfig.defaults();
    private static final ProcessSampler PROCS = n -> List.of(new ProcessMetric(1, "launchd", 0.1, 20.0));

    /** Answers commands by their first words; records what was asked. */
    static final class FakeMac implements CommandRunner {
        final List<List<String>> asked = new CopyOnWriteArrayList<>();
        boolean sudoAllowed = true;
        String pressure = "2\n";
        String powermetricsOut = Fixtures.text("macos/powermetrics/m4max-mac16_5-macos26-tasks-trimmed-pause-monitor.plist")
                + "\0";

        @Override
        public Result run(List<String> cmd, Duration timeout) {
            asked.add(cmd);
            String joined = String.join(" ", cmd);
            if (joined.startsWith("sudo -n powermetrics -h")) {
                return sudoAllowed ? ok("usage") : new Result(1, "", "sudo: a password is required\n", null);
            }
            if (joined.startsWith("sudo -n powermetrics")) {
                return ok(powermetricsOut);
            }
            if (joined.equals("sysctl -n kern.memorystatus_vm_pressure_level")) {
                return pressure == null ? new Result(1, "", "sysctl: unknown oid\n", null) : ok(pressure);
            }
            if (joined.equals("memory_pressure -Q")) {
                return ok(Fixtures.text("macos/memory_pressure/apple-silicon-32GB-86pct-free.txt"));
            }
            if (joined.equals("vm_stat")) {
                return ok(Fixtures.text("macos/vm_stat/apple-silicon-macmini-32GB-16k-pages.txt"));
            }
            if (cmd.getFirst().equals("top")) {
                String one = Fixtures.text("macos/top/top-l1-apple-silicon-macmini-32GB-2026-trimmed.txt");
                return ok(one + one);
            }
            return new Result(-1, "", "", "cannot run " + cmd.getFirst());
        }

        private static Result ok(String out) {
            return new Result(0, out, "", null);
        }
    }

    private static Map<String, CollectorStatus> byName(List<CollectorStatus> l) {
        return l.stream().collect(Collectors.toMap(CollectorStatus::name, Function.identity(), (a, b) -> b));
    }

    @Test
    void sampleOnceWithPowermetricsSysctlAndVmStat() throws Exception {
        FakeMac mac = new FakeMac();
        SampleRound r = new MacMetricsSource(CONFIG, mac, () -> PROCS, false, RestartPolicy.DEFAULT)
                .sampleOnce(Duration.ofMillis(1000));
        assertThat(mac.asked).contains(List.of("sudo", "-n", "powermetrics", "--samplers", "cpu_power,gpu_power,tasks",
                "-f", "plist", "-i", "1000", "-n", "1"));
        MetricsEvent e = (MetricsEvent) r.events().getFirst();
        assertThat(e.cpuPowerMw()).isEqualTo(2978.45);
        assertThat(e.gpuPowerMw()).isEqualTo(269.61);
        assertThat(e.memoryPressure()).isEqualTo(MemoryPressure.WARNING);
        assertThat(e.provenance().memoryPressure()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(e.memoryUsedMb()).isCloseTo((1212532L - 21054 + 127718 + 153447) * 16384 / 1048576.0, within(0.01));
        assertThat(e.provenance().memoryUsed()).isEqualTo(MeasurementKind.DERIVED);
        assertThat(e.provenance().source()).isEqualTo(MetricsSource.POWERMETRICS);
        assertThat(e.processes()).containsExactlyElementsOf(PROCS.top(5));
        Map<String, CollectorStatus> c = byName(r.collectors());
        assertThat(c.get("powermetrics").available()).isTrue();
        assertThat(c.get("sysctl").available()).isTrue();
        assertThat(c.get("vm_stat").available()).isTrue();
    }

    @Test
    void sampleOnceFallsBackToTopWhenSudoIsRefused() throws Exception {
        FakeMac mac = new FakeMac();
        mac.sudoAllowed = false;
        mac.pressure = null;
        SampleRound r = new MacMetricsSource(CONFIG, mac, () -> null, false, RestartPolicy.DEFAULT)
                .sampleOnce(Duration.ofSeconds(1));
        assertThat(mac.asked).noneMatch(c -> c.size() > 3 && c.get(2).equals("powermetrics") && c.contains("--samplers"));
        MetricsEvent e = (MetricsEvent) r.events().getFirst();
        assertThat(e.provenance().source()).isEqualTo(MetricsSource.TOP_VM_STAT);
        assertThat(e.cpuUsagePercent()).isCloseTo(36.68, within(1e-9));
        assertThat(e.cpuPowerMw()).isCloseTo(36.68 * 40, within(1e-6));
        assertThat(e.provenance().cpuPower()).isEqualTo(MeasurementKind.ESTIMATED);
        assertThat(e.gpuPowerMw()).isNull();
        // sysctl failed: the level is estimated from memory_pressure's 86 % free
        assertThat(e.memoryPressure()).isEqualTo(MemoryPressure.NORMAL);
        assertThat(e.provenance().memoryPressure()).isEqualTo(MeasurementKind.ESTIMATED);
        assertThat(e.processes()).extracting(ProcessMetric::process).containsExactly("ContainerMetadat",
                "com.apple.Safari", "sirittsd", "com.apple.Mobile");
        Map<String, CollectorStatus> c = byName(r.collectors());
        assertThat(c.get("powermetrics").available()).isFalse();
        assertThat(c.get("powermetrics").detail()).contains("sudo -n was refused").contains("a password is required");
        assertThat(c.get("sysctl").available()).isFalse();
        assertThat(c.get("top").available()).isTrue();
    }

    @Test
    void liveStreamPowermetricsThenPermanentFallbackToTop() throws Exception {
        FakeMac mac = new FakeMac();
        List<Event> got = new ArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public boolean put(Event event, Checkpoint checkpoint) {
                got.add(event);
                return true;
            }

            @Override
            public void offerSample(Event event) {
                got.add(event);
            }
        };
        MacMetricsSource src = new MacMetricsSource(CONFIG, mac, () -> PROCS, false, RestartPolicy.DEFAULT);
        src.prepare(sink, MacMetricsSource.Mode.POWERMETRICS, null);
        assertThat(src.command()).startsWith("sudo", "-n", "powermetrics").contains("-i", "5000");
        // powermetrics streams: the samples are cut at the NUL
        String stream = Fixtures.text("macos/powermetrics/m1-macbookpro17_1-macos13-pumas.plist") + "\0"
                + Fixtures.text("macos/powermetrics/m1-macbookpro17_1-macos13-pumas-2.plist") + "\0";
        for (String line : stream.split("\n")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            src.onLine(b, b.length, false, b.length + 1);
        }
        assertThat(got).hasSize(2);
        assertThat(((MetricsEvent) got.get(0)).cpuPowerMw()).isEqualTo(44.08);
        assertThat(((MetricsEvent) got.get(1)).cpuPowerMw()).isEqualTo(102.66);
        // a restart after a good run stays on powermetrics; two runs in a row without a sample switch to top
        assertThat(src.command().getFirst()).isEqualTo("sudo");
        assertThat(src.command().getFirst()).isEqualTo("sudo");
        List<String> next = src.command();
        assertThat(next.getFirst()).isEqualTo("top");
        assertThat(next).containsSubsequence("-l", "0").containsSubsequence("-s", "5").containsSubsequence("-o", "mem");
        assertThat(src.mode()).isEqualTo(MacMetricsSource.Mode.TOP);
        // top: the first sample of a run is since boot and is dropped
        got.clear();
        String one = Fixtures.text("macos/top/top-l1-apple-silicon-macmini-32GB-2026-trimmed.txt");
        for (String line : (one + one + one).split("\n")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            src.onLine(b, b.length, false, b.length + 1);
        }
        assertThat(got).hasSizeBetween(1, 2).allSatisfy(e -> assertThat(((MetricsEvent) e).provenance().source())
                .isEqualTo(MetricsSource.TOP_VM_STAT));
        assertThat(src.command().getFirst()).as("the fallback is for good").isEqualTo("top");
    }
}
