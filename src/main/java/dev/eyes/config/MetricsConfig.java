package dev.eyes.config;

import java.util.List;

/**
 * {@code [metrics]}: resource sampling.
 *
 * @param intervalSeconds          sampling interval for metrics and disk I/O (original key, ≥ 1)
 * @param enabled                  sample CPU, memory, pressure, power and GPU
 * @param diskEnabled              sample per-device disk I/O
 * @param pressureWarningPercent   Linux PSI {@code some avg10} at or above which pressure is Warning
 * @param pressureCriticalPercent  Linux PSI {@code some avg10} at or above which pressure is Critical
 * @param diskExclude              device name globs to skip (loop*, ram*, zram* by default)
 * @param topProcesses             how many processes (largest RSS first) each sample lists
 */
public record MetricsConfig(int intervalSeconds, boolean enabled, boolean diskEnabled, double pressureWarningPercent,
                            double pressureCriticalPercent, List<String> diskExclude, int topProcesses) {
    public static MetricsConfig defaults() {
        return new MetricsConfig(5, true, true, 10.0, 40.0, List.of("loop*", "ram*", "zram*"), 5);
    }
}
