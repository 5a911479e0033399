package dev.eyes.config;

/**
 * {@code [self_monitoring]}: Eyes watching itself.
 *
 * @param intervalSeconds              how often the self-check runs
 * @param memoryWarningMb              warn when the process RSS exceeds this
 * @param latencyWarningMillis         warn when the mean AI latency exceeds this
 * @param notificationSuccessWarningPercent warn when fewer notifications than this succeed
 * @param pressureMemoryMb             above this RSS Eyes considers itself under pressure (adaptive sampling)
 * @param pressureLatencyMillis        above this mean AI latency, likewise
 * @param pressureEventsPerMinute      above this event rate, likewise
 * @param adaptiveSampling             slow the metric interval ×{@code slowdownFactor} under pressure, recover ×{@code recoveryFactor}
 * @param maxIntervalSeconds           the slowest adaptive interval
 * @param metricsBindAddress           host:port of a separate {@code /metrics} server, "" for none (also
 *                                     {@code eyes run --metrics-bind}); off loopback it requires {@code web.token}
 */
public record SelfMonitoringConfig(boolean enabled, int intervalSeconds, long memoryWarningMb, long latencyWarningMillis,
                                   double notificationSuccessWarningPercent, long pressureMemoryMb,
                                   long pressureLatencyMillis, long pressureEventsPerMinute, boolean adaptiveSampling,
                                   double slowdownFactor, double recoveryFactor, int maxIntervalSeconds,
                                   String metricsBindAddress) {
    public static SelfMonitoringConfig defaults() {
        return new SelfMonitoringConfig(true, 60, 500, 30_000, 90.0, 400, 20_000, 1000, true, 1.5, 0.9, 60, "");
    }

    public SelfMonitoringConfig withMetricsBindAddress(String address) {
        return new SelfMonitoringConfig(enabled, intervalSeconds, memoryWarningMb, latencyWarningMillis,
                notificationSuccessWarningPercent, pressureMemoryMb, pressureLatencyMillis, pressureEventsPerMinute,
                adaptiveSampling, slowdownFactor, recoveryFactor, maxIntervalSeconds, address);
    }
}
