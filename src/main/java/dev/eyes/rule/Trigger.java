package dev.eyes.rule;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A rule fired: what, for which source, how bad at most, why, and the evidence (the events that made it
 * fire, plus the recent metrics and disk samples). Stored as a candidate before anything else happens to it.
 *
 * @param timestamp        event time of the event that crossed the threshold
 * @param rule             rule name, e.g. {@code ErrorFrequencyRule}
 * @param source           the log source or device it concerns, or null when system-wide
 * @param expectedSeverity the most severe an analysis may call it
 */
public record Trigger(Instant timestamp, String rule, String source, Severity expectedSeverity, String reason,
                      List<LogEvent> logEvents, List<MetricsEvent> metricsEvents, List<DiskEvent> diskEvents) {
    public Trigger {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(expectedSeverity, "expectedSeverity");
        reason = reason == null ? "" : reason;
        logEvents = List.copyOf(logEvents);
        metricsEvents = List.copyOf(metricsEvents);
        diskEvents = List.copyOf(diskEvents);
    }

    /** {@code rule} or {@code rule:source}: a (rule, source) pair fires at most once per cooldown. */
    public String cooldownKey() {
        return cooldownKey(rule, source);
    }

    public static String cooldownKey(String rule, String source) {
        return source == null ? rule : rule + ":" + source;
    }
}
