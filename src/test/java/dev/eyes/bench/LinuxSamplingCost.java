package dev.eyes.bench;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.MetricsEvent;
import dev.eyes.source.disk.linux.DeviceFilter;
import dev.eyes.source.disk.linux.DiskRates;
import dev.eyes.source.disk.linux.Diskstats;
import dev.eyes.source.metrics.OshiProcessSampler;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.linux.GpuReader;
import dev.eyes.source.metrics.linux.ProcProcessSampler;
import dev.eyes.source.metrics.linux.LinuxMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * A loop benchmark of what one Linux sampling round costs in CPU time (this thread's, from ThreadMXBean): one
 * metrics sample (/proc/stat, /proc/meminfo, PSI, cgroup, RAPL when present, top processes by RSS through OSHI)
 * plus one /proc/diskstats round. Prints the median and percentiles over many rounds, with and without the process
 * list. Run (see README): {@code java -cp … dev.eyes.bench.LinuxSamplingCost [rounds]}.
 */
public final class LinuxSamplingCost {
    private LinuxSamplingCost() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported on this JVM");
        }
        MetricsConfig cfg = MetricsConfig.defaults();
        LinuxMetrics withProcs = new LinuxMetrics(LinuxMetrics.Roots.host(), cfg,
                ProcProcessSampler.forHost(CommandRunner.SYSTEM), GpuReader.none("benchmark"));
        LinuxMetrics withOshi = new LinuxMetrics(LinuxMetrics.Roots.host(), cfg, new OshiProcessSampler(),
                GpuReader.none("benchmark"));
        LinuxMetrics noProcs = new LinuxMetrics(LinuxMetrics.Roots.host(), cfg, null, GpuReader.none("benchmark"));
        DiskRates disk = new DiskRates(new DeviceFilter(cfg.diskExclude(), Path.of("/sys/block")));
        Path diskstats = Path.of("/proc/diskstats");
        long processes;
        try (var s = Files.list(Path.of("/proc"))) {
            processes = s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).count();
        }
        report("full round (metrics with top-5 processes + diskstats)", rounds, mx, () -> {
            MetricsEvent e = withProcs.sample(Instant.now(), System.nanoTime());
            disk.update(Diskstats.parse(Files.readString(diskstats, StandardCharsets.ISO_8859_1)), Instant.now(),
                    System.nanoTime());
            return e;
        });
        report("metrics, top-5 processes through OSHI instead", rounds, mx,
                () -> withOshi.sample(Instant.now(), System.nanoTime()));
        report("metrics without the process list", rounds, mx, () -> noProcs.sample(Instant.now(), System.nanoTime()));
        report("diskstats only", rounds, mx, () -> disk.update(Diskstats.parse(Files.readString(diskstats,
                StandardCharsets.ISO_8859_1)), Instant.now(), System.nanoTime()));
        System.out.printf(Locale.ROOT, "host: %d processes, %d CPUs, %s%n", processes,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"));
    }

    @FunctionalInterface
    private interface Round {
        Object run() throws Exception;
    }

    private static void report(String what, int rounds, ThreadMXBean mx, Round round) throws Exception {
        for (int i = 0; i < Math.max(50, rounds / 10); i++) {
            round.run(); // warm-up (JIT, OSHI's first JNA calls)
        }
        long[] cpu = new long[rounds];
        long[] wall = new long[rounds];
        Object sink = null;
        for (int i = 0; i < rounds; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            sink = round.run();
            wall[i] = System.nanoTime() - w0;
            cpu[i] = mx.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%-55s CPU median %.3f ms, p90 %.3f ms, p99 %.3f ms; wall median %.3f ms"
                        + " (%d rounds)%s%n", what, ms(cpu[rounds / 2]), ms(cpu[rounds * 9 / 10]),
                ms(cpu[Math.min(rounds - 1, rounds * 99 / 100)]), ms(wall[rounds / 2]), rounds,
                sink == null ? "" : "");
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
