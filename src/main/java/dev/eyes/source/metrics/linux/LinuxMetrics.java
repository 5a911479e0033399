package dev.eyes.source.metrics.linux;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsProvenance;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.ProcessMetric;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.Numbers;
import dev.eyes.source.metrics.ProcessSampler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One Linux metrics sample from {@code /proc} and {@code /sys} (roots injectable for tests):
 * <ul>
 *   <li>CPU usage: {@code /proc/stat} tick deltas between two samples (MEASURED);</li>
 *   <li>memory used: {@code MemTotal - MemAvailable} (DERIVED; ESTIMATED on kernels without MemAvailable), or the
 *       cgroup's working set when Eyes runs in a cgroup whose memory limit is below the host's memory;</li>
 *   <li>memory pressure: PSI {@code some avg10} of {@code /proc/pressure/memory} (or of the limiting cgroup v2's
 *       {@code memory.pressure}) mapped with the configured thresholds (MEASURED; UNKNOWN without PSI);</li>
 *   <li>CPU power: RAPL energy deltas (MEASURED; unavailable without RAPL);</li>
 *   <li>GPU usage and power: nvidia-smi (MEASURED; unavailable without it);</li>
 *   <li>energy impact: CPU + GPU power (DERIVED);</li>
 *   <li>the top processes by RSS with their CPU % (OSHI).</li>
 * </ul>
 * Rates need two readings: {@link #sample} returns null the first time (it only primes the counters).
 * Single-threaded.
 */
public final class LinuxMetrics {
    /** Where {@code /proc}, {@code /sys} and {@code /} (for cgroup mount points) are. */
    public record Roots(Path proc, Path sys, Path fs) {
        public static Roots host() {
            return new Roots(Path.of("/proc"), Path.of("/sys"), Path.of("/"));
        }
    }

    private final Roots roots;
    private final MetricsConfig config;
    private final ProcessSampler processes;
    private final GpuReader gpus;
    private final Rapl rapl;
    private final CgroupMemory cgroup;
    // written by the sampling thread, read by anyone (health page, eyes sample): synchronized, copied on read
    private final Map<String, CollectorStatus> status = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> details = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private ProcStat.CpuTimes lastCpu;
    private Rapl.Reading lastRapl;
    private boolean primed;

    /** @param processes the top-process sampler, or null to list none */
    public LinuxMetrics(Roots roots, MetricsConfig config, ProcessSampler processes, GpuReader gpus) {
        this.roots = roots;
        this.config = config;
        this.processes = processes;
        this.gpus = gpus;
        this.rapl = new Rapl(roots.sys().resolve("class/powercap"));
        this.cgroup = CgroupMemory.locate(roots.proc(), roots.fs());
        status.put("cpu", CollectorStatus.ok("cpu", roots.proc().resolve("stat").toString()));
        status.put("memory", CollectorStatus.ok("memory", roots.proc().resolve("meminfo").toString()));
        Path psi = roots.proc().resolve("pressure/memory");
        status.put("psi", Files.isReadable(psi) ? CollectorStatus.ok("psi", psi.toString())
                : CollectorStatus.unavailable("psi", noPsi(psi)));
        status.put("rapl", rapl.available() ? CollectorStatus.ok("rapl", rapl.zones().size() + " package zone(s) in "
                + rapl.powercap()) : CollectorStatus.unavailable("rapl", rapl.unavailableReason()));
        status.put("nvidia-smi", gpus.status());
        status.put("processes", processes == null ? CollectorStatus.unavailable("processes",
                "metrics.top_processes is 0") : CollectorStatus.ok("processes", "OSHI, top " + config.topProcesses()
                + " by RSS"));
    }

    /** The state of each part after the last sample. */
    public List<CollectorStatus> collectors() {
        synchronized (status) {
            status.put("nvidia-smi", gpus.status());
            return List.copyOf(status.values());
        }
    }

    /** Readings that have no field in an event (PSI averages, the memory scope …), from the last sample. */
    public Map<String, String> details() {
        synchronized (details) {
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    /** Reads the counters without producing a sample. */
    public void prime(long nanoTime) {
        lastCpu = ProcStat.parse(read(roots.proc().resolve("stat")));
        lastRapl = rapl.read(nanoTime);
        if (processes != null && config.topProcesses() > 0) {
            processes.top(config.topProcesses());
        }
        primed = true;
    }

    /** One sample at {@code at}; null on the first call, which only primes the counters. */
    public MetricsEvent sample(Instant at, long nanoTime) {
        if (!primed) {
            prime(nanoTime);
            return null;
        }
        details.clear();
        Double cpu = cpuUsage();
        Double cpuPower = cpuPower(nanoTime);
        MemoryReading mem = memory();
        PressureReading pressure = pressure(mem.pressureFile);
        NvidiaSmi.Summary gpu = gpus.read(nanoTime);
        status.put("nvidia-smi", gpus.status());
        Double gpuUsage = gpu == null ? null : gpu.usagePercent();
        Double gpuPower = gpu == null ? null : gpu.powerMw();
        boolean gpuPresent = gpu != null && gpu.gpus() > 0;
        Double energy = cpuPower == null || (gpuPresent && gpuPower == null) ? null
                : cpuPower + (gpuPower == null ? 0 : gpuPower);
        List<ProcessMetric> top = processes == null || config.topProcesses() <= 0 ? List.of()
                : processes.top(config.topProcesses());
        MetricsProvenance prov = new MetricsProvenance(MetricsSource.PROC, kind(cpu, MeasurementKind.MEASURED),
                kind(cpuPower, MeasurementKind.MEASURED), kind(gpuUsage, MeasurementKind.MEASURED),
                kind(gpuPower, MeasurementKind.MEASURED),
                pressure.level == MemoryPressure.UNKNOWN ? MeasurementKind.UNAVAILABLE : MeasurementKind.MEASURED,
                mem.usedMb == null ? MeasurementKind.UNAVAILABLE : mem.kind, kind(energy, MeasurementKind.DERIVED));
        return new MetricsEvent(at, round(cpuPower), round(cpu), round(gpuPower), round(gpuUsage), pressure.level,
                round(mem.usedMb), round(energy), prov, top);
    }

    private static Double round(Double v) {
        return v == null ? null : Math.round(v * 100.0) / 100.0;
    }

    private static MeasurementKind kind(Double v, MeasurementKind ifPresent) {
        return v == null ? MeasurementKind.UNAVAILABLE : ifPresent;
    }

    private Double cpuUsage() {
        Path stat = roots.proc().resolve("stat");
        ProcStat.CpuTimes now = ProcStat.parse(read(stat));
        if (now == null) {
            status.put("cpu", CollectorStatus.unavailable("cpu", "cannot read the cpu line of " + stat));
            lastCpu = null;
            return null;
        }
        Double usage = lastCpu == null ? null : now.usageSince(lastCpu);
        lastCpu = now;
        status.put("cpu", usage == null ? CollectorStatus.unavailable("cpu", "no ticks counted since the last sample")
                : CollectorStatus.ok("cpu", stat + " (" + now.cpus() + " CPUs)"));
        return usage;
    }

    private Double cpuPower(long nanoTime) {
        if (!rapl.available()) {
            return null;
        }
        Rapl.Reading now = rapl.read(nanoTime);
        Double mw = rapl.powerMw(lastRapl, now);
        lastRapl = now;
        status.put("rapl", now == null ? CollectorStatus.unavailable("rapl", "reading energy_uj failed")
                : CollectorStatus.ok("rapl", rapl.zones().size() + " package zone(s) in " + rapl.powercap()));
        return mw;
    }

    private record MemoryReading(Double usedMb, MeasurementKind kind, Path pressureFile) {
    }

    private MemoryReading memory() {
        Path file = roots.proc().resolve("meminfo");
        Meminfo.Usage host = Meminfo.parse(read(file)).usage();
        if (host == null) {
            status.put("memory", CollectorStatus.unavailable("memory", "cannot read MemTotal from " + file));
            return new MemoryReading(null, MeasurementKind.UNAVAILABLE, null);
        }
        details.put("memory_total_mb", fmt(host.totalMb()));
        CgroupMemory.Snapshot cg = cgroup.read();
        if (cg != null && cg.limited() && cg.limitBytes() / 1048576.0 < host.totalMb()) {
            double used = cg.workingSetBytes() / 1048576.0;
            details.put("memory_scope", "cgroup " + cg.version().name().toLowerCase(Locale.ROOT) + " "
                    + cg.cgroupPath());
            details.put("memory_limit_mb", fmt(cg.limitBytes() / 1048576.0));
            status.put("memory", CollectorStatus.ok("memory", "cgroup " + cg.version().name().toLowerCase(Locale.ROOT)
                    + " " + cg.cgroupPath() + ": working set of a " + fmt(cg.limitBytes() / 1048576.0)
                    + " MiB limit"));
            return new MemoryReading(used, MeasurementKind.DERIVED, cg.pressureFile());
        }
        details.put("memory_scope", "host");
        if (cg == null) {
            details.put("memory_cgroup", cgroup.problem() == null ? "unreadable" : cgroup.problem());
        } else {
            details.put("memory_cgroup", cg.version().name().toLowerCase(Locale.ROOT) + " " + cg.cgroupPath()
                    + (cg.limited() ? ", limit " + fmt(cg.limitBytes() / 1048576.0) + " MiB (not below the host's)"
                    : ", no limit"));
        }
        status.put("memory", CollectorStatus.ok("memory", host.kind() == MeasurementKind.ESTIMATED
                ? file + ": no MemAvailable (kernel < 3.14); available estimated from MemFree, Buffers, Cached,"
                + " SReclaimable and Shmem"
                : file + ": MemTotal - MemAvailable"));
        return new MemoryReading(host.usedMb(), host.kind(), null);
    }

    private record PressureReading(MemoryPressure level) {
    }

    private PressureReading pressure(Path cgroupPressure) {
        Path file = cgroupPressure != null ? cgroupPressure : roots.proc().resolve("pressure/memory");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            status.put("psi", CollectorStatus.unavailable("psi", e instanceof NoSuchFileException ? noPsi(file)
                    : "cannot read " + file + ": " + describe(e)));
            return new PressureReading(MemoryPressure.UNKNOWN);
        }
        Psi psi = Psi.parse(text);
        if (psi == null) {
            status.put("psi", CollectorStatus.unavailable("psi", file + " has no \"some avg10=\" line"));
            return new PressureReading(MemoryPressure.UNKNOWN);
        }
        details.put("psi_memory_some_avg10", fmt2(psi.some().avg10()));
        details.put("psi_memory_some_avg60", fmt2(psi.some().avg60()));
        if (psi.full() != null) {
            details.put("psi_memory_full_avg10", fmt2(psi.full().avg10()));
        }
        status.put("psi", CollectorStatus.ok("psi", file + " some avg10 (Warning >= "
                + fmt(config.pressureWarningPercent()) + " %, Critical >= " + fmt(config.pressureCriticalPercent())
                + " %)"));
        return new PressureReading(psi.level(config.pressureWarningPercent(), config.pressureCriticalPercent()));
    }

    private static String noPsi(Path file) {
        return "no " + file + " (kernel without PSI, before 4.20, or booted with psi=0)";
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", Numbers.round1(v));
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }

    /** For diagnostics: the names of parts that are unavailable, with reasons. */
    public List<String> unavailable() {
        List<String> out = new ArrayList<>();
        for (CollectorStatus s : collectors()) {
            if (!s.available()) {
                out.add(s.name() + ": " + s.detail());
            }
        }
        return out;
    }
}
