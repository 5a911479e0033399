package dev.eyes.config;

import dev.eyes.event.MemoryPressure;

/**
 * {@code [triggers]}: the original's three rule keys, plus the cooldown.
 *
 * @param errorThreshold      ErrorFrequencyRule fires above this many distinct messages (or repeats) per window
 * @param errorWindowSeconds  ErrorFrequencyRule window W
 * @param memoryThreshold     MemoryPressureRule fires at or above this measured level (Normal, Warning or Critical)
 * @param cooldownSeconds     a (rule, source) pair that fired stays quiet this long
 */
public record TriggersConfig(int errorThreshold, int errorWindowSeconds, MemoryPressure memoryThreshold,
                             int cooldownSeconds) {
    public static TriggersConfig defaults() {
        return new TriggersConfig(5, 10, MemoryPressure.WARNING, 300);
    }
}
