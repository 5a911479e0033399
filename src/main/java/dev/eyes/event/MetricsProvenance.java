package dev.eyes.event;

/** The {@link MeasurementKind} of each value in a {@link MetricsEvent}, and which collector made it. */
public record MetricsProvenance(MetricsSource source, MeasurementKind cpuUsage, MeasurementKind cpuPower,
                                MeasurementKind gpuUsage, MeasurementKind gpuPower, MeasurementKind memoryPressure,
                                MeasurementKind memoryUsed, MeasurementKind energyImpact) {
    public static final MetricsProvenance UNKNOWN = new MetricsProvenance(MetricsSource.UNKNOWN,
            MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE,
            MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE,
            MeasurementKind.UNAVAILABLE);
}
