package dev.eyes.rule;

import dev.eyes.event.Event;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Rule 2 of reference §7: a metrics sample whose memory pressure was <em>measured</em> (macOS
 * {@code kern.memorystatus_vm_pressure_level}, Linux PSI) at or above {@code triggers.memory_threshold} fires,
 * system-wide. Estimated or unknown levels never fire. Severity follows the highest measured level in the evidence
 * window: Critical if Critical was seen, else Warning. One exception to the cooldown: after a Warning firing, the
 * first Critical sample fires again at once (an escalation must not wait out the cooldown of the milder alert).
 */
public final class MemoryPressureRule implements Rule {
    public static final String NAME = "MemoryPressureRule";

    private final MemoryPressure threshold;
    private final Duration evidenceWindow;
    private final BenignNoise benign;
    private Severity lastFired;

    public MemoryPressureRule(MemoryPressure threshold, Duration evidenceWindow, BenignNoise benign) {
        this.threshold = threshold == MemoryPressure.UNKNOWN ? MemoryPressure.NORMAL : threshold;
        this.evidenceWindow = evidenceWindow;
        this.benign = benign;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.METRICS);
    }

    @Override
    public void onEvent(Event event, Firing out) {
        if (!(event instanceof MetricsEvent m) || !measured(m) || m.memoryPressure().compareTo(threshold) < 0) {
            return;
        }
        Instant at = m.timestamp();
        boolean escalation = m.memoryPressure() == MemoryPressure.CRITICAL && lastFired == Severity.WARNING;
        if (!escalation && out.coolingDown(NAME, null, at)) {
            return;
        }
        Instant from = at.minus(evidenceWindow);
        List<MetricsEvent> metrics = Evidence.withLast(out.recent().metrics(from, Evidence.METRICS_LIMIT), m);
        MemoryPressure highest = m.memoryPressure();
        for (MetricsEvent x : metrics) {
            if (measured(x) && x.memoryPressure().compareTo(highest) > 0) {
                highest = x.memoryPressure();
            }
        }
        Severity severity = highest == MemoryPressure.CRITICAL ? Severity.CRITICAL : Severity.WARNING;
        var logs = out.recent().logs(from, x -> x.messageType().isErrorOrFault() && !benign.isBenign(x),
                Evidence.LOG_LIMIT);
        var disks = out.recent().disks(from, d -> true, Evidence.DISK_LIMIT);
        String reason = "Rule '" + NAME + "' triggered: memory pressure " + m.memoryPressure().wireName()
                + " (measured by " + m.provenance().source().display() + "; threshold "
                + threshold.wireName() + ")" + (highest != m.memoryPressure() ? ", " + highest.wireName()
                + " within the last " + evidenceWindow.toSeconds() + " s" : "")
                + (escalation ? "; escalated from Warning" : "");
        lastFired = severity;
        out.fire(new Trigger(at, NAME, null, severity, reason, logs, metrics, disks));
    }

    private static boolean measured(MetricsEvent m) {
        return m.provenance().memoryPressure() == MeasurementKind.MEASURED
                && m.memoryPressure() != MemoryPressure.UNKNOWN;
    }
}
