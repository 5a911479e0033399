package dev.eyes.testing;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MessageType;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsProvenance;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.ProcessMetric;
import dev.eyes.event.Severity;
import dev.eyes.rule.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Triggers for tests, with fixed times so prompts are reproducible. */
public final class Triggers {
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00.000000Z");

    private Triggers() {
    }

    public static LogEvent log(int secondsAfter, MessageType type, String unit, String process, long pid, String msg) {
        return new LogEvent(T0.plusMillis(secondsAfter * 1000L), type, unit, "daemon", process, pid, msg);
    }

    /** An ErrorFrequencyRule trigger from nginx with {@code n} distinct messages. */
    public static Trigger errorBurst(int n) {
        List<LogEvent> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            logs.add(log(i, MessageType.ERROR, "nginx.service", "nginx", 1234,
                    "connect() failed (111: Connection refused) while connecting to upstream " + i));
        }
        return new Trigger(T0.plusSeconds(n), "ErrorFrequencyRule", "nginx.service/nginx", Severity.WARNING,
                "Rule 'ErrorFrequencyRule' triggered for nginx.service/nginx: " + n
                        + " distinct error messages from nginx.service/nginx within 10 s (threshold 5)",
                logs, List.of(), List.of());
    }

    /** A trigger whose one log message is {@code message}. */
    public static Trigger withMessage(String message, Severity severity) {
        return new Trigger(T0, "CrashDetectionRule", "app.service/app", severity,
                "Rule 'CrashDetectionRule' triggered for app.service/app", List.of(
                        log(0, MessageType.ERROR, "app.service", "app", 42, message)), List.of(), List.of());
    }

    public static MetricsEvent metrics(int secondsAfter, double cpu, double memMb, MemoryPressure pressure,
                                       List<ProcessMetric> procs) {
        MetricsProvenance p = new MetricsProvenance(MetricsSource.PROC, MeasurementKind.MEASURED,
                MeasurementKind.ESTIMATED, MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE,
                pressure == MemoryPressure.UNKNOWN ? MeasurementKind.UNAVAILABLE : MeasurementKind.MEASURED,
                MeasurementKind.DERIVED, MeasurementKind.ESTIMATED);
        return new MetricsEvent(T0.plusSeconds(secondsAfter), cpu * 40, cpu, null, null, pressure, memMb, cpu * 40,
                p, procs);
    }

    public static DiskEvent disk(int secondsAfter, String dev, double readKb, double writeKb, String path) {
        return new DiskEvent(T0.plusSeconds(secondsAfter), readKb, writeKb, readKb / 64, writeKb / 64, dev, path);
    }
}
