package dev.eyes.alert;

import dev.eyes.event.Severity;
import dev.eyes.store.AlertStatus;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One alert on its way to its notifiers, each called in its own task: what each notifier's result means for the
 * alert. The first success makes it {@code delivered}; it is {@code delivery_failed} only when every notifier
 * failed. Owned by the alert stage's thread.
 */
final class Fanout {
    /** The alert stage's logger: a delivered alert is logged under its name, as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

    /** What one notifier's result changes: the status to store (null: none) with its reason; the failures so far. */
    record Outcome(AlertStatus to, String reason, String failure) {
    }

    final long candidateId;
    private final Severity severity;
    private final String title;
    private int remaining;
    private boolean delivered;
    private final List<String> failures = new ArrayList<>();

    Fanout(long candidateId, Severity severity, String title, int notifiers) {
        this.candidateId = candidateId;
        this.severity = severity;
        this.title = title;
        this.remaining = notifiers;
    }

    /** What a notifier's result means, before it is stored; nothing changes until {@link #settle}. */
    Outcome judge(String notifier, boolean ok, String lastError) {
        List<String> all = new ArrayList<>(failures);
        if (!ok) {
            all.add(notifier + ": " + lastError);
        }
        String failure = all.isEmpty() ? null : String.join("; ", all);
        if (ok && !delivered) {
            return new Outcome(AlertStatus.DELIVERED, "delivered by " + notifier, failure);
        }
        if (!ok && !delivered && remaining == 1) {
            return new Outcome(AlertStatus.DELIVERY_FAILED, all.size() == 1 ? "delivery failed"
                    : "every notifier failed", failure);
        }
        return new Outcome(null, null, failure);
    }

    /** Takes a result in once it is stored. */
    void settle(String notifier, boolean ok, String lastError, Outcome o) {
        remaining--;
        if (!ok) {
            failures.add(notifier + ": " + lastError);
        }
        if (o.to() == AlertStatus.DELIVERED) {
            delivered = true;
        }
    }

    /** Every notifier answered. */
    boolean finished() {
        return remaining == 0;
    }

    boolean delivered() {
        return delivered;
    }

    /** The failed notifiers with their errors, "; "-separated; empty when none failed. */
    String failures() {
        return String.join("; ", failures);
    }

    /** The original logs each delivered insight at its severity's level. */
    void logDelivered(String notifier) {
        String line = "alert for candidate " + candidateId + " delivered by " + notifier + ": " + title;
        switch (severity) {
            case CRITICAL -> LOG.error(line);
            case WARNING -> LOG.warn(line);
            case INFO -> LOG.info(line);
        }
    }
}
