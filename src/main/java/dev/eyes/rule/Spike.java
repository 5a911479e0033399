package dev.eyes.rule;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A rise over a running minimum that reached its threshold, and how it reads in a trigger reason. */
record Spike(String what, double baseline, double peak, double threshold, String unit, String deltaUnit,
             String suffix) {
    double delta() {
        return peak - baseline;
    }

    /** How far over its threshold: spikes are listed largest first by this. */
    double ratio() {
        return delta() / threshold;
    }

    /** {@code "{what} spike: baseline X u, peak Y u, delta +Z du (threshold T du){suffix}"}. */
    String describe() {
        return String.format(Locale.ROOT, "%s spike: baseline %.1f %s, peak %.1f %s, delta +%.1f %s (threshold %.1f %s)%s",
                what, baseline, unit, peak, unit, delta(), deltaUnit, threshold, deltaUnit, suffix);
    }

    static String join(List<Spike> spikes) {
        return spikes.stream().sorted(Comparator.comparingDouble(Spike::ratio).reversed()).map(Spike::describe)
                .collect(Collectors.joining("; "));
    }
}
