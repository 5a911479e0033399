package dev.eyes.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One metrics sample. A value whose provenance is {@link MeasurementKind#UNAVAILABLE} is {@code null}
 * (the boxed fields) and must not be read as zero.
 *
 * @param cpuPowerMw       CPU power in milliwatts, null when unavailable
 * @param cpuUsagePercent  CPU usage 0..100 over the sample interval, null when unavailable
 * @param gpuPowerMw       GPU power in milliwatts, null when unavailable
 * @param gpuUsagePercent  GPU usage 0..100, null when unavailable
 * @param memoryPressure   memory pressure level (UNKNOWN when unavailable)
 * @param memoryUsedMb     memory in use in MiB, null when unavailable
 * @param energyImpact     combined power in mW (CPU + GPU), null when unavailable
 * @param processes        the top processes by resident memory, largest first
 */
public record MetricsEvent(Instant timestamp, Double cpuPowerMw, Double cpuUsagePercent, Double gpuPowerMw,
                           Double gpuUsagePercent, MemoryPressure memoryPressure, Double memoryUsedMb,
                           Double energyImpact, MetricsProvenance provenance, List<ProcessMetric> processes)
        implements Event {
    public MetricsEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        memoryPressure = memoryPressure == null ? MemoryPressure.UNKNOWN : memoryPressure;
        provenance = provenance == null ? MetricsProvenance.UNKNOWN : provenance;
        processes = processes == null ? List.of() : List.copyOf(processes);
    }
}
