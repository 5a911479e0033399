package dev.eyes.source.metrics;

import dev.eyes.event.ProcessMetric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * {@link ProcessSampler} over OSHI (Linux {@code /proc}, macOS {@code proc_pidinfo}). It keeps each process's CPU
 * time from the previous call (a few dozen bytes per process) to compute CPU % between calls. Not thread-safe:
 * one sampling thread.
 */
public final class OshiProcessSampler implements ProcessSampler {
    private record Prior(long startTime, long cpuMillis, long upMillis) {
    }

    private final OperatingSystem os;
    private Map<Integer, Prior> prior = new HashMap<>();

    public OshiProcessSampler() {
        this(new SystemInfo().getOperatingSystem());
    }

    OshiProcessSampler(OperatingSystem os) {
        this.os = os;
    }

    @Override
    public List<ProcessMetric> top(int n) {
        if (n <= 0) {
            return List.of();
        }
        List<OSProcess> all = os.getProcesses(null, OperatingSystem.ProcessSorting.RSS_DESC, 0);
        Map<Integer, Prior> now = new HashMap<>(all.size() * 2);
        List<ProcessMetric> out = new ArrayList<>(n);
        for (OSProcess p : all) {
            long cpu = p.getKernelTime() + p.getUserTime();
            Prior cur = new Prior(p.getStartTime(), cpu, p.getUpTime());
            now.put(p.getProcessID(), cur);
            if (out.size() < n) {
                Prior before = prior.get(p.getProcessID());
                double pct;
                if (before != null && before.startTime == cur.startTime && cur.upMillis > before.upMillis
                        && cpu >= before.cpuMillis) {
                    pct = 100.0 * (cpu - before.cpuMillis) / (cur.upMillis - before.upMillis);
                } else {
                    pct = cur.upMillis > 0 ? 100.0 * cpu / cur.upMillis : 0.0;
                }
                out.add(new ProcessMetric(p.getProcessID(), p.getName(), Numbers.round1(pct),
                        Numbers.round1(p.getResidentMemory() / 1048576.0)));
            }
        }
        prior = now;
        return out;
    }
}
