package dev.eyes.alert;

import dev.eyes.alert.notify.Notifier;
import dev.eyes.event.Severity;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.AlertStatus;
import dev.eyes.store.Silence;
import dev.eyes.store.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The status an alert gets when it is decided (at admission, or again when the queue is flushed): {@link Triage}'s
 * verdict, then whether any notifier takes it, then deliver now ({@code pending}) or wait ({@code queued}, and the
 * oldest queued alert dropped when the queue is full). Reads state, changes nothing: it runs inside the deciding
 * transaction.
 */
final class Admission {
    /** The alert stage's queue and rate limit as the decision sees them. */
    record Backlog(int queued, Long oldest, boolean stopping, boolean canSend) {
    }

    private final AlertManager.Settings settings;
    private final List<Notifier> notifiers;

    Admission(AlertManager.Settings settings, List<Notifier> notifiers) {
        this.settings = settings;
        this.notifiers = List.copyOf(notifiers);
    }

    /** The notifiers that take alerts of this severity. */
    List<Notifier> targets(Severity s) {
        return notifiers.stream().filter(n -> n.accepts(s)).toList();
    }

    /**
     * @param recovered found at start without an alert (too old ones are not notified)
     * @param flushing  decided again by a flush, which has already checked the rate limit
     */
    AlertLedger.Plan plan(AlertLedger.Facts f, List<Silence> silences, boolean recovered, boolean flushing,
                          Instant now, Backlog backlog) {
        if (recovered && f.assessedAt() != null
                && f.assessedAt().isBefore(now.minus(AlertManager.RECOVERY_MAX_AGE))) {
            return AlertLedger.Plan.of(AlertStatus.SUPPRESSED, "analysed at " + Timestamps.format(f.assessedAt())
                    + " while no alert stage was running (eyes analyze, eyes replay, or Eyes stopped first); more "
                    + "than " + AlertManager.RECOVERY_MAX_AGE.toMinutes() + " min old, not notified");
        }
        Triage.Decision d = Triage.decide(f, silences, settings.minimumSeverity());
        if (!d.deliver()) {
            return new AlertLedger.Plan(d.status(), d.reason(), d.silenceId(), null, null);
        }
        List<Notifier> targets = targets(f.severity());
        if (targets.isEmpty()) {
            return AlertLedger.Plan.of(AlertStatus.SUPPRESSED, noNotifier(f.severity()));
        }
        String why = d.escalation() == null ? "" : d.escalation() + "; ";
        if (flushing || (!backlog.stopping() && backlog.queued() == 0 && backlog.canSend())) {
            return AlertLedger.Plan.of(AlertStatus.PENDING, why + "delivering to " + targets.stream()
                    .map(Notifier::name).collect(Collectors.joining(", ")));
        }
        String wait;
        if (backlog.stopping()) {
            wait = "Eyes is stopping; it is delivered after the next start";
        } else if (backlog.queued() > 0) {
            wait = "waiting behind " + backlog.queued() + " queued alert(s)";
        } else {
            wait = "rate limit: " + settings.rateLimitPerMinute() + " deliveries per minute "
                    + "(alerts.rate_limit_per_minute) already used or under way";
        }
        Long drop = backlog.queued() >= settings.queueSize() ? backlog.oldest() : null;
        return new AlertLedger.Plan(AlertStatus.QUEUED, why + wait, null, drop, drop == null ? null
                : "alert queue capacity (" + settings.queueSize() + ", alerts.queue_size) exceeded: dropped the "
                + "oldest queued alert to make room for the alert of candidate " + f.candidateId());
    }

    private String noNotifier(Severity s) {
        if (notifiers.isEmpty()) {
            return "notifications are off: start Eyes with --enable-notifications for desktop notifications, or "
                    + "configure [[alerts.webhooks]]";
        }
        return "no notifier takes " + s.wireName() + " alerts (" + notifiers.stream().map(Object::toString)
                .collect(Collectors.joining(", ")) + ")";
    }
}
