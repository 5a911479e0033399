package dev.eyes.event;

/** One process in a metrics sample's top-by-RSS snapshot. */
public record ProcessMetric(long processId, String process, double cpuUsagePercent, double residentMemoryMb) {
    public ProcessMetric {
        process = process == null ? "" : process;
    }
}
