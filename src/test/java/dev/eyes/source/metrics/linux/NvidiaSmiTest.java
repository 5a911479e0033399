package dev.eyes.source.metrics.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eyes.source.RestartPolicy;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiTest {
    private static final String DIR = "linux/nvidia-smi/query-gpu-csv/";

    private static NvidiaSmi.Gpu only(String file) {
        NvidiaSmi.Parsed p = NvidiaSmi.parse(Fixtures.text(DIR + file));
        assertThat(p.skipped()).as(file + " skipped lines").isZero();
        assertThat(p.gpus()).as(file).hasSize(1);
        return p.gpus().getFirst();
    }

    @Test
    void h100UnderLoadWithUnitsAndAboutTwoHundredColumns() {
        NvidiaSmi.Gpu g = only("h100-80gb-hbm3-drv590.48.01-load.csv");
        assertThat(g.index()).isEqualTo("0");
        assertThat(g.name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(g.utilizationPercent()).isEqualTo(100.0);
        assertThat(g.powerWatts()).isEqualTo(631.95);
    }

    @Test
    void l40sWhoseNewerDriverShiftsTheColumns() {
        NvidiaSmi.Gpu g = only("l40s-drv595.80-load.csv");
        assertThat(g.name()).isEqualTo("NVIDIA L40S");
        assertThat(g.utilizationPercent()).isEqualTo(9.0);
        assertThat(g.powerWatts()).isEqualTo(110.23);
    }

    @Test
    void consumerCardsIdle() {
        NvidiaSmi.Gpu a = only("rtx4080super-drv595.71.05-idle.csv");
        assertThat(a.name()).isEqualTo("NVIDIA GeForce RTX 4080 SUPER");
        assertThat(a.utilizationPercent()).isZero();
        assertThat(a.powerWatts()).isEqualTo(26.20);
        NvidiaSmi.Gpu b = only("rtx2080super-drv610.57.04-idle.csv");
        assertThat(b.name()).isEqualTo("NVIDIA GeForce RTX 2080 SUPER");
        assertThat(b.utilizationPercent()).isZero();
        assertThat(b.powerWatts()).isEqualTo(39.17);
    }

    @Test
    void teslaP100NoUnitsNoTrailingNewlineAndNoIndexColumn() {
        NvidiaSmi.Gpu g = only("tesla-p100-netdata.csv");
        assertThat(g.name()).isEqualTo("Tesla P100-PCIE-16GB");
        assertThat(g.index()).isEmpty();
        assertThat(g.utilizationPercent()).isZero();
        assertThat(g.powerWatts()).isEqualTo(28.16);
    }

    @Test
    void computeAppsHasNoGpuReadings() {
        NvidiaSmi.Parsed p = NvidiaSmi.parse(Fixtures.text(DIR + "h100-80gb-hbm3-drv590.48.01-load-compute-apps.csv"));
        assertThat(p.gpus()).isEmpty();
        assertThat(p.skipped()).isEqualTo(3);
    }

    @Test
    void headerlessOutputInQueryOrderWithNotAvailableValues() {
        NvidiaSmi.Parsed p = NvidiaSmi.parse("""
                0, NVIDIA GeForce GTX 1080, 37, 61.20
                1, NVIDIA GeForce GTX 1080, [N/A], [Not Supported]
                2, broken line
                """);
        assertThat(p.gpus()).hasSize(2);
        assertThat(p.gpus().get(1).utilizationPercent()).isNull();
        assertThat(p.gpus().get(1).powerWatts()).isNull();
        assertThat(p.skipped()).isEqualTo(1);
        NvidiaSmi.Summary s = NvidiaSmi.summarize(p.gpus());
        assertThat(s.usagePercent()).isEqualTo(37.0);
        assertThat(s.powerMw()).as("one GPU without power: no total").isNull();
        assertThat(s.gpus()).isEqualTo(2);
    }

    @Test
    void summaryIsTheBusiestGpuAndTheTotalPower() {
        NvidiaSmi.Summary s = NvidiaSmi.summarize(List.of(new NvidiaSmi.Gpu("0", "a", 10.0, 50.5),
                new NvidiaSmi.Gpu("1", "b", 90.0, 200.0)));
        assertThat(s.usagePercent()).isEqualTo(90.0);
        assertThat(s.powerMw()).isCloseTo(250500.0, within(1e-6));
        assertThat(NvidiaSmi.summarize(List.of()).gpus()).isZero();
        assertThat(NvidiaSmi.parse("0, x, 150, 10").gpus().getFirst().utilizationPercent())
                .as("over 100 %").isNull();
    }

    @Test
    void trackerForgetsStaleReadings() {
        NvidiaSmi.Tracker t = new NvidiaSmi.Tracker();
        t.onLine("index, name, utilization.gpu [%], power.draw [W]", 0);
        t.onLine("0, A, 40, 100.00", 1_000);
        t.onLine("1, B, 60, 50.00", 1_000);
        NvidiaSmi.Summary s = t.summary(2_000, 5_000);
        assertThat(s.gpus()).isEqualTo(2);
        assertThat(s.usagePercent()).isEqualTo(60.0);
        assertThat(s.powerMw()).isEqualTo(150000.0);
        t.onLine("0, A, 10, 20.00", 9_000);
        s = t.summary(10_000, 5_000);
        assertThat(s.gpus()).as("GPU 1 went quiet").isEqualTo(1);
        assertThat(s.powerMw()).isEqualTo(20000.0);
        assertThat(t.summary(100_000, 5_000)).isNull();
    }

    /** A stand-in nvidia-smi: prints a header and one line per GPU, like the real one with --format=csv,nounits. */
    private static Path fakeNvidiaSmi(Path dir, boolean loop) throws IOException {
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo 'index, name, utilization.gpu [%], power.draw [W]'\n"
                + (loop ? "while true; do\n" : "")
                + "echo '0, NVIDIA Fake, 42, 123.45'\n"
                + (loop ? "sleep 0.2\ndone\n" : ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void oneShotRunsTheBinary(@TempDir Path tmp) throws IOException {
        GpuReader r = new GpuReader.OneShot(fakeNvidiaSmi(tmp, false).toString(), CommandRunner.SYSTEM);
        NvidiaSmi.Summary s = r.read(0);
        assertThat(s.usagePercent()).isEqualTo(42.0);
        assertThat(s.powerMw()).isCloseTo(123450.0, within(1e-6));
        assertThat(r.status().available()).isTrue();
        GpuReader broken = new GpuReader.OneShot(tmp.resolve("missing").toString(), CommandRunner.SYSTEM);
        assertThat(broken.read(0)).isNull();
        assertThat(broken.status().available()).isFalse();
        assertThat(broken.status().detail()).contains("cannot run");
    }

    @Test
    void loopingKeepsTheLatestReading(@TempDir Path tmp) throws Exception {
        GpuReader r = new GpuReader.Looping(fakeNvidiaSmi(tmp, true).toString(), 1,
                new RestartPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 5, Duration.ofMillis(100),
                        Duration.ofSeconds(1)));
        r.start();
        try {
            NvidiaSmi.Summary s = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (s == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
                s = r.read(System.nanoTime());
            }
            assertThat(s).isNotNull();
            assertThat(s.usagePercent()).isEqualTo(42.0);
            assertThat(r.status().available()).isTrue();
        } finally {
            r.stop();
        }
    }

    /** Found by ParserFuzz: GPU power so large that the sum in mW overflows is absent, never Infinity. */
    @Test
    void powerThatOverflowsIsAbsent() {
        NvidiaSmi.Parsed p = NvidiaSmi.parse("index, name, utilization.gpu [%], power.draw [W]\n"
                + "0, A, 50 %, 1e306 W\n1, B, 60 %, 100 W\n");
        assertThat(p.gpus()).hasSize(2);
        NvidiaSmi.Summary s = NvidiaSmi.summarize(p.gpus());
        assertThat(s.powerMw()).isNull();
        assertThat(s.usagePercent()).isEqualTo(60.0);
    }
}
