package dev.eyes.config;

import java.util.List;
import java.util.regex.Pattern;

/** {@code [rules.*]}: switches and thresholds of each built-in rule, and the extra keyword and benign lists. */
public record RulesConfig(ErrorFrequency errorFrequency, Crash crash, Benign benign, MemoryPressureRule memoryPressure,
                          ResourceSpike resourceSpike, DiskIoSpike diskIoSpike) {

    /** {@code [rules.error_frequency]}; thresholds live in {@code [triggers]}. */
    public record ErrorFrequency(boolean enabled) {
    }

    /** {@code [rules.crash]}: extra keywords are matched like the built-in ones (whole word, case-insensitive). */
    public record Crash(boolean enabled, List<String> extraKeywords) {
    }

    /** {@code [rules.benign]}: regexes over {@code "process: message"}; a match makes a log line invisible to the rules. */
    public record Benign(List<Pattern> patterns) {
    }

    /** {@code [rules.memory_pressure]}; the threshold is {@code triggers.memory_threshold}. */
    public record MemoryPressureRule(boolean enabled) {
    }

    /** {@code [rules.resource_spike]}: rises over the running minimum within the window. */
    public record ResourceSpike(boolean enabled, int comparisonWindowSeconds, double cpuPowerDeltaMw,
                                double gpuPowerDeltaMw, double cpuUsageDeltaPercent) {
    }

    /** {@code [rules.disk_io_spike]}: per-device rises over the running minimum within the window. */
    public record DiskIoSpike(boolean enabled, int comparisonWindowSeconds, double readDeltaKbPerSec,
                              double writeDeltaKbPerSec) {
    }

    public static RulesConfig defaults() {
        return new RulesConfig(new ErrorFrequency(true), new Crash(true, List.of()), new Benign(List.of()),
                new MemoryPressureRule(true), new ResourceSpike(true, 30, 1000, 2000, 50),
                new DiskIoSpike(true, 30, 524288, 262144));
    }
}
