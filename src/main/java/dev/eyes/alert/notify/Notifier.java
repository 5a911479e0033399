package dev.eyes.alert.notify;

import dev.eyes.event.Severity;
import dev.eyes.store.DeliveryAttempt;
import java.time.Duration;
import java.util.List;

/**
 * Delivers notifications somewhere: the desktop, a webhook. Each call runs on its own virtual thread; the alert
 * manager stops waiting for it after {@link #deadline()} (and records it failed), so a hanging notifier never
 * holds up the others or the pipeline.
 */
public interface Notifier extends AutoCloseable {
    /** A name for logs and the delivery record — never a secret (no header values, no URL path or query). */
    String name();

    /** Whether alerts of this severity go here (a webhook's own {@code minimum_severity}). */
    boolean accepts(Severity severity);

    /** The longest one {@link #deliver} call may take, retries included. */
    Duration deadline();

    /**
     * Delivers {@code n}: every attempt, in order, with its outcome (at least one). Never throws; an interrupt
     * ends it with a failed attempt.
     */
    List<DeliveryAttempt> deliver(Notification n);

    @Override
    default void close() {
    }
}
