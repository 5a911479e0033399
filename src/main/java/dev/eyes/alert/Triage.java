package dev.eyes.alert;

import dev.eyes.event.Severity;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.AlertStatus;
import dev.eyes.store.Silence;
import dev.eyes.store.Timestamps;
import java.util.List;

/**
 * Whether an alert should reach anyone, before the rate limiter has its say — the stages in order:
 * <ol>
 *   <li><b>minimum severity</b> ({@code alerts.minimum_severity}): below it → suppressed;</li>
 *   <li><b>silences</b>: the first active silence that matches → silenced (with its id);</li>
 *   <li><b>resolution</b>: an alert resolved before it was sent → suppressed;</li>
 *   <li><b>grouping</b> (only while the group's root is open): when another member of the group was already
 *       notified (or is queued or being delivered) at this severity or higher → suppressed; a more severe one
 *       is an escalation and goes on;</li>
 *   <li><b>acknowledgement</b> (only while the root is open): an acknowledged group lets through only an alert
 *       more severe than anything in the group (an escalation);</li>
 *   <li>otherwise → deliver (the caller then sends it now or queues it).</li>
 * </ol>
 * Pure: the same facts give the same decision.
 */
final class Triage {
    /** A decision; {@code status} is PENDING for "deliver". {@code escalation} explains a let-through. */
    record Decision(AlertStatus status, String reason, Long silenceId, String escalation) {
        boolean deliver() {
            return status == AlertStatus.PENDING;
        }
    }

    private Triage() {
    }

    static Decision decide(AlertLedger.Facts f, List<Silence> silences, Severity minimum) {
        Severity s = f.severity();
        if (!s.atLeast(minimum)) {
            return new Decision(AlertStatus.SUPPRESSED, "severity " + s.wireName()
                    + " is below alerts.minimum_severity (" + minimum.wireName() + ")", null, null);
        }
        Silence silence = Silences.firstMatch(silences, f);
        if (silence != null) {
            return new Decision(AlertStatus.SILENCED, "silenced by silence " + silence.id() + " (created by "
                    + silence.createdBy() + (silence.comment().isEmpty() ? "" : ": " + silence.comment())
                    + ") until " + Timestamps.format(silence.endsAt()), silence.id(), null);
        }
        if (f.selfResolved()) {
            return new Decision(AlertStatus.SUPPRESSED, "alert " + f.candidateId()
                    + " was resolved before its notification was sent", null, null);
        }
        String escalation = null;
        if (!f.rootResolved()) {
            Severity notified = f.notifiedLevel();
            if (notified != null) {
                if (!s.atLeast(notified) || s == notified) {
                    return new Decision(AlertStatus.SUPPRESSED, groupName(f) + " was already notified at "
                            + notified.wireName() + " and this alert is not more severe", null, null);
                }
                escalation = "escalation: " + s.wireName() + " is more severe than the " + notified.wireName()
                        + " " + groupName(f) + " was notified at";
            }
            if (f.acknowledgedBy() != null) {
                Severity level = f.groupLevel();
                String when = f.acknowledgedAt() == null ? "" : " at " + Timestamps.format(f.acknowledgedAt());
                if (level == null) {
                    return new Decision(AlertStatus.SUPPRESSED, "acknowledged by " + f.acknowledgedBy() + when
                            + " before its notification was sent", null, null);
                }
                if (!s.atLeast(level) || s == level) {
                    return new Decision(AlertStatus.SUPPRESSED, groupName(f) + " was acknowledged by "
                            + f.acknowledgedBy() + when + " and this alert is not more severe than the group ("
                            + level.wireName() + ")", null, null);
                }
                escalation = "escalation: " + s.wireName() + " is more severe than anything in " + groupName(f)
                        + ", acknowledged by " + f.acknowledgedBy();
            }
        }
        return new Decision(AlertStatus.PENDING, null, null, escalation);
    }

    private static String groupName(AlertLedger.Facts f) {
        return f.child() ? "the group of alert " + f.rootId() : "the group of alert " + f.candidateId();
    }
}
