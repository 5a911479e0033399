package dev.eyes.source.metrics.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.ProcessMetric;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.ProcessSampler;
import dev.eyes.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole Linux sample from a /proc and /sys laid out from real captures. */
class LinuxMetricsTest {
    private static final MetricsConfig CONFIG = MetricsConfig.defaults();
    private static final ProcessSampler PROCS = n -> List.of(new ProcessMetric(42, "java", 12.5, 300.0));

    @TempDir
    Path root;
    Path proc;
    Path sys;

    @BeforeEach
    void layOut() throws IOException {
        proc = root.resolve("proc");
        sys = root.resolve("sys");
        Files.createDirectories(proc.resolve("pressure"));
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("stat"), Fixtures.text("linux/proc-stat/jc-2cpu-vm.txt"));
        Files.writeString(proc.resolve("meminfo"), Fixtures.text("linux/proc-meminfo/jc-4GiB-vm-with-memavailable.txt"));
        Files.writeString(proc.resolve("pressure/memory"), Fixtures.text("linux/proc-pressure/node-exporter/memory"));
        Files.writeString(proc.resolve("self/cgroup"), "0::/\n");
        Files.writeString(proc.resolve("self/mountinfo"), "1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        Path powercap = Fixtures.path("linux/powercap/node-exporter-sys/powercap");
        Path dst = sys.resolve("class/powercap");
        try (Stream<Path> all = Files.walk(powercap)) {
            for (Path p : all.toList()) {
                Path to = dst.resolve(powercap.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    private Map<String, CollectorStatus> byName(LinuxMetrics m) {
        return m.collectors().stream().collect(Collectors.toMap(CollectorStatus::name, Function.identity()));
    }

    @Test
    void firstCallPrimesThenEveryValueWithItsProvenance() throws IOException {
        LinuxMetrics m = new LinuxMetrics(new LinuxMetrics.Roots(proc, sys, root), CONFIG, PROCS,
                GpuReader.none("nvidia-smi was not found on PATH"));
        assertThat(m.sample(Instant.EPOCH, 0)).as("first sample only primes").isNull();
        // one second later: +100 user ticks, +100 idle ticks on the aggregate line; +3 J on RAPL
        Files.writeString(proc.resolve("stat"), "cpu  6102 152 8398 3444536 448 0 1174 0 0 0\ncpu0 1 1 1 1\n");
        Files.writeString(sys.resolve("class/powercap/intel-rapl:0/energy_uj"), Long.toString(240422366267L + 3_000_000));
        Files.writeString(proc.resolve("pressure/memory"), "some avg10=12.50 avg60=3.00 avg300=1.00 total=99\n"
                + "full avg10=2.00 avg60=1.00 avg300=0.50 total=50\n");
        Instant at = Instant.parse("2026-01-01T00:00:01Z");
        MetricsEvent e = m.sample(at, 1_000_000_000L);
        assertThat(e.timestamp()).isEqualTo(at);
        assertThat(e.cpuUsagePercent()).isCloseTo(50.0, within(1e-9));
        assertThat(e.cpuPowerMw()).isCloseTo(3000.0, within(1e-6));
        assertThat(e.memoryUsedMb()).isCloseTo((3997272 - 3386876) / 1024.0, within(0.01));
        assertThat(e.memoryPressure()).isEqualTo(MemoryPressure.WARNING);
        assertThat(e.gpuPowerMw()).isNull();
        assertThat(e.gpuUsagePercent()).isNull();
        assertThat(e.energyImpact()).isCloseTo(3000.0, within(1e-6));
        assertThat(e.processes()).containsExactly(new ProcessMetric(42, "java", 12.5, 300.0));
        var p = e.provenance();
        assertThat(p.source()).isEqualTo(MetricsSource.PROC);
        assertThat(p.cpuUsage()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(p.cpuPower()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(p.gpuUsage()).isEqualTo(MeasurementKind.UNAVAILABLE);
        assertThat(p.gpuPower()).isEqualTo(MeasurementKind.UNAVAILABLE);
        assertThat(p.memoryPressure()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(p.memoryUsed()).isEqualTo(MeasurementKind.DERIVED);
        assertThat(p.energyImpact()).isEqualTo(MeasurementKind.DERIVED);
        assertThat(m.details()).containsEntry("psi_memory_some_avg10", "12.50").containsEntry("memory_scope", "host");
        Map<String, CollectorStatus> s = byName(m);
        assertThat(s.get("rapl").available()).isTrue();
        assertThat(s.get("nvidia-smi").available()).isFalse();
        assertThat(s.get("nvidia-smi").detail()).contains("not found");
    }

    @Test
    void noPsiNoRaplOldKernelMeansUnavailableNotZero() throws IOException {
        Files.delete(proc.resolve("pressure/memory"));
        Files.writeString(proc.resolve("meminfo"),
                Fixtures.text("linux/proc-meminfo/node-exporter-3.7GiB-no-memavailable.txt"));
        LinuxMetrics m = new LinuxMetrics(new LinuxMetrics.Roots(proc, root.resolve("nosys"), root), CONFIG, null,
                GpuReader.none("nvidia-smi was not found on PATH"));
        m.prime(0);
        MetricsEvent e = m.sample(Instant.EPOCH, 1_000_000_000L);
        assertThat(e.memoryPressure()).isEqualTo(MemoryPressure.UNKNOWN);
        assertThat(e.provenance().memoryPressure()).isEqualTo(MeasurementKind.UNAVAILABLE);
        assertThat(e.cpuPowerMw()).isNull();
        assertThat(e.provenance().cpuPower()).isEqualTo(MeasurementKind.UNAVAILABLE);
        assertThat(e.energyImpact()).isNull();
        assertThat(e.cpuUsagePercent()).as("no tick advanced").isNull();
        assertThat(e.provenance().memoryUsed()).isEqualTo(MeasurementKind.ESTIMATED);
        assertThat(e.processes()).isEmpty();
        Map<String, CollectorStatus> s = byName(m);
        assertThat(s.get("psi").available()).isFalse();
        assertThat(s.get("psi").detail()).contains("kernel without PSI");
        assertThat(s.get("rapl").detail()).contains("does not exist");
    }

    @Test
    void aLimitingCgroupIsWhatMemoryUsedMeans() throws IOException {
        Files.writeString(proc.resolve("self/cgroup"), "0::/box\n");
        Path cg = root.resolve("sys/fs/cgroup");
        Files.createDirectories(cg.resolve("box"));
        Files.writeString(cg.resolve("cgroup.controllers"), "memory\n");
        Files.writeString(cg.resolve("box/memory.max"), Long.toString(512L << 20));
        Files.writeString(cg.resolve("box/memory.current"), Long.toString(300L << 20));
        Files.writeString(cg.resolve("box/memory.stat"), "inactive_file " + (100L << 20) + "\n");
        Files.writeString(cg.resolve("box/memory.pressure"), "some avg10=45.00 avg60=1 avg300=0 total=5\n");
        LinuxMetrics m = new LinuxMetrics(new LinuxMetrics.Roots(proc, sys, root), CONFIG, null,
                GpuReader.none("none"));
        m.prime(0);
        MetricsEvent e = m.sample(Instant.EPOCH, 1_000_000_000L);
        assertThat(e.memoryUsedMb()).isEqualTo(200.0);
        assertThat(e.provenance().memoryUsed()).isEqualTo(MeasurementKind.DERIVED);
        assertThat(e.memoryPressure()).as("the cgroup's own PSI").isEqualTo(MemoryPressure.CRITICAL);
        assertThat(m.details()).containsEntry("memory_limit_mb", "512.0").containsEntry("memory_scope", "cgroup v2 /box");
    }

    @Test
    void gpuValuesComeFromTheReader() throws IOException {
        GpuReader gpu = new GpuReader() {
            @Override
            public NvidiaSmi.Summary read(long nanoTime) {
                return new NvidiaSmi.Summary(80.0, 250_000.0, 1);
            }

            @Override
            public CollectorStatus status() {
                return CollectorStatus.ok("nvidia-smi", "fake");
            }
        };
        LinuxMetrics m = new LinuxMetrics(new LinuxMetrics.Roots(proc, sys, root), CONFIG, null, gpu);
        m.prime(0);
        Files.writeString(sys.resolve("class/powercap/intel-rapl:0/energy_uj"), Long.toString(240422366267L + 1_000_000));
        MetricsEvent e = m.sample(Instant.EPOCH, 1_000_000_000L);
        assertThat(e.gpuUsagePercent()).isEqualTo(80.0);
        assertThat(e.gpuPowerMw()).isEqualTo(250_000.0);
        assertThat(e.energyImpact()).isCloseTo(251_000.0, within(1e-6));
        assertThat(e.provenance().gpuPower()).isEqualTo(MeasurementKind.MEASURED);
    }

    @Test
    void thisHostMeasuresCpuMemoryAndPsiButHasNoRapl() throws InterruptedException {
        LinuxMetrics m = new LinuxMetrics(LinuxMetrics.Roots.host(), CONFIG, null, GpuReader.none("absent"));
        m.prime(System.nanoTime());
        Thread.sleep(200);
        MetricsEvent e = m.sample(Instant.now(), System.nanoTime());
        assertThat(e.provenance().cpuUsage()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(e.cpuUsagePercent()).isBetween(0.0, 100.0);
        assertThat(e.memoryUsedMb()).isPositive();
        assertThat(e.provenance().memoryPressure()).as("this VM has PSI").isEqualTo(MeasurementKind.MEASURED);
        assertThat(e.memoryPressure()).isNotEqualTo(MemoryPressure.UNKNOWN);
        assertThat(e.cpuPowerMw()).as("this VM has no RAPL").isNull();
    }
}
