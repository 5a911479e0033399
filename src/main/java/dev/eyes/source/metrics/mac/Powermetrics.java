package dev.eyes.source.metrics.mac;

import dev.eyes.event.MeasurementKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Eyes takes from one {@code powermetrics --samplers cpu_power,gpu_power,tasks -f plist} sample. Two hardware
 * layouts exist, and a sample may lack the {@code processor} dict altogether (other samplers only):
 * <ul>
 *   <li>Apple Silicon: {@code processor.cpu_power} and {@code processor.gpu_power} in mW (or
 *       {@code cpu_energy}/{@code gpu_energy} in mJ over {@code elapsed_ns}; newer macOS keeps only
 *       {@code gpu.gpu_energy}); GPU usage = 1 − {@code gpu.idle_ratio}; per-CPU {@code idle_ratio} under
 *       {@code processor.clusters[].cpus[]}.</li>
 *   <li>Intel: {@code processor.package_watts} in <em>W</em> (the whole package, integrated GPU included: so no
 *       separate GPU power); the GPU is an upper-case {@code GPU} array whose {@code c_state_ratio} is its idle
 *       share; CPUs are under {@code processor.packages[].cores[].cpus[]}.</li>
 * </ul>
 * CPU usage is the {@code all_tasks} CPU time per second over the CPU count (the tasks sampler; the same measure as
 * top's) and, without it, the mean active residency of the CPUs (DERIVED: residency counts time a core was awake,
 * which is more than time it ran code). powermetrics has no memory data at all.
 */
public record Powermetrics(Instant timestamp, double elapsedMs, Double cpuPowerMw, Double gpuPowerMw,
                           Double cpuUsagePercent, MeasurementKind cpuUsageKind, Double gpuUsagePercent,
                           int cpuCount, String hwModel, String thermalPressure, List<Task> tasks) {

    /** One entry of {@code tasks[]} (CPU time in ms per second: 1000 = one core busy). */
    public record Task(long pid, String name, double cputimeMsPerSec) {
    }

    /** Reads a parsed sample; null when the root is not a dict. */
    public static Powermetrics from(Object root) {
        Map<String, Object> s = Plist.asDict(root);
        if (s == null) {
            return null;
        }
        Double elapsedNs = Plist.number(s, "elapsed_ns");
        double elapsedSec = elapsedNs == null || elapsedNs <= 0 ? 0 : elapsedNs / 1e9;
        Map<String, Object> proc = Plist.dict(s, "processor");
        Map<String, Object> gpu = Plist.dict(s, "gpu");

        Double cpuPower = nonNegative(Plist.number(proc, "cpu_power"));
        if (cpuPower == null) {
            Double watts = nonNegative(Plist.number(proc, "package_watts"));
            cpuPower = watts == null ? null : nonNegative(watts * 1000.0); // finite: 1e306 W is not a reading
        }
        if (cpuPower == null) {
            cpuPower = perSecond(Plist.number(proc, "cpu_energy"), elapsedSec);
        }
        Double gpuPower = nonNegative(Plist.number(proc, "gpu_power"));
        if (gpuPower == null) {
            gpuPower = nonNegative(Plist.number(gpu, "gpu_power"));
        }
        if (gpuPower == null) {
            gpuPower = perSecond(Plist.number(gpu, "gpu_energy"), elapsedSec);
        }
        if (gpuPower == null) {
            gpuPower = perSecond(Plist.number(proc, "gpu_energy"), elapsedSec);
        }

        List<Double> cpuIdle = new ArrayList<>();
        int cpus = 0;
        for (Object c : Plist.array(proc, "clusters")) {
            for (Object cpu : Plist.array(Plist.asDict(c), "cpus")) {
                cpus++;
                Double idle = Plist.number(Plist.asDict(cpu), "idle_ratio");
                if (idle != null) {
                    cpuIdle.add(idle);
                }
            }
        }
        for (Object p : Plist.array(proc, "packages")) {
            for (Object core : Plist.array(Plist.asDict(p), "cores")) {
                cpus += Plist.array(Plist.asDict(core), "cpus").size();
            }
        }
        Double usage = null;
        MeasurementKind usageKind = MeasurementKind.UNAVAILABLE;
        Double allTasks = Plist.number(Plist.dict(s, "all_tasks"), "cputime_ms_per_s");
        if (allTasks != null && allTasks >= 0 && cpus > 0) {
            usage = clamp(allTasks / (cpus * 1000.0) * 100.0);
            usageKind = MeasurementKind.MEASURED;
        } else if (!cpuIdle.isEmpty() && cpuIdle.size() == cpus) {
            double active = 0;
            for (double idle : cpuIdle) {
                active += 1.0 - Math.max(0, Math.min(1, idle));
            }
            usage = clamp(active / cpuIdle.size() * 100.0);
            usageKind = MeasurementKind.DERIVED;
        }

        Double gpuUsage = null;
        Double gpuIdle = Plist.number(gpu, "idle_ratio");
        if (gpuIdle != null && gpuIdle >= 0 && gpuIdle <= 1) {
            gpuUsage = (1.0 - gpuIdle) * 100.0;
        } else {
            for (Object g : Plist.array(s, "GPU")) {
                Double idle = Plist.number(Plist.asDict(g), "c_state_ratio");
                if (idle != null && idle >= 0 && idle <= 1) {
                    double u = (1.0 - idle) * 100.0;
                    gpuUsage = gpuUsage == null ? u : Math.max(gpuUsage, u);
                }
            }
        }

        List<Task> tasks = new ArrayList<>();
        for (Object t : Plist.array(s, "tasks")) {
            Map<String, Object> d = Plist.asDict(t);
            Double pid = Plist.number(d, "pid");
            Double ms = Plist.number(d, "cputime_ms_per_s");
            if (pid != null && pid >= 0 && ms != null) {
                String name = Plist.string(d, "name");
                tasks.add(new Task(pid.longValue(), name == null ? "" : name, ms));
            }
        }
        Object ts = s.get("timestamp");
        return new Powermetrics(ts instanceof Instant i ? i : null, elapsedSec * 1000.0, cpuPower, gpuPower, usage,
                usageKind, gpuUsage, cpus, Plist.string(s, "hw_model"), Plist.string(s, "thermal_pressure"),
                List.copyOf(tasks));
    }

    private static Double perSecond(Double milliJoules, double seconds) {
        if (milliJoules == null || milliJoules < 0 || seconds <= 0) {
            return null;
        }
        double mw = milliJoules / seconds; // mJ per s = mW
        return Double.isFinite(mw) ? mw : null;
    }

    private static Double nonNegative(Double v) {
        return v == null || v < 0 || !Double.isFinite(v) ? null : v;
    }

    private static double clamp(double pct) {
        return Math.max(0, Math.min(100, pct));
    }

    /**
     * The metrics event of this sample, with what powermetrics does not report added by the caller: the memory
     * pressure level, memory used and the top processes. The time is the sample's own, else {@code fallback}.
     */
    public dev.eyes.event.MetricsEvent toEvent(Instant fallback, dev.eyes.event.MemoryPressure pressure,
                                               MeasurementKind pressureKind, Double memoryUsedMb,
                                               MeasurementKind memoryKind,
                                               List<dev.eyes.event.ProcessMetric> processes) {
        Double energy = cpuPowerMw == null ? null : cpuPowerMw + (gpuPowerMw == null ? 0 : gpuPowerMw);
        dev.eyes.event.MetricsProvenance prov = new dev.eyes.event.MetricsProvenance(
                dev.eyes.event.MetricsSource.POWERMETRICS,
                cpuUsagePercent == null ? MeasurementKind.UNAVAILABLE : cpuUsageKind,
                kind(cpuPowerMw, MeasurementKind.MEASURED), kind(gpuUsagePercent, MeasurementKind.MEASURED),
                kind(gpuPowerMw, MeasurementKind.MEASURED), pressureKind,
                memoryUsedMb == null ? MeasurementKind.UNAVAILABLE : memoryKind,
                kind(energy, MeasurementKind.DERIVED));
        return new dev.eyes.event.MetricsEvent(timestamp == null ? fallback : timestamp, round(cpuPowerMw),
                round(cpuUsagePercent), round(gpuPowerMw), round(gpuUsagePercent), pressure, round(memoryUsedMb),
                round(energy), prov, processes);
    }

    static MeasurementKind kind(Double v, MeasurementKind ifPresent) {
        return v == null ? MeasurementKind.UNAVAILABLE : ifPresent;
    }

    static Double round(Double v) {
        return v == null ? null : Math.round(v * 100.0) / 100.0;
    }

    /** The command for a continuous sampler ({@code sudo -n} first when not root). */
    public static List<String> command(boolean viaSudo, long intervalMs, int count) {
        List<String> cmd = new ArrayList<>();
        if (viaSudo) {
            cmd.add("sudo");
            cmd.add("-n");
        }
        cmd.addAll(List.of("powermetrics", "--samplers", "cpu_power,gpu_power,tasks", "-f", "plist", "-i",
                Long.toString(intervalMs)));
        if (count > 0) {
            cmd.add("-n");
            cmd.add(Integer.toString(count));
        }
        return cmd;
    }
}
