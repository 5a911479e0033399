package dev.eyes.selfmon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The alert stage's meters. Implemented here; the alert stage (issue 5) calls them — one line per hook:
 * <ul>
 *   <li>{@link #alert(String)} whenever an alert reaches a status (the {@code alerts.status} values);</li>
 *   <li>{@link #notification(String, boolean)} after every delivery attempt, per notifier;</li>
 *   <li>{@link #bindQueue(IntSupplier, int)} once at start.</li>
 * </ul>
 * The outcomes of the last {@value #OUTCOMES} notifications feed the success-rate warning (over the last 60 s,
 * reference §13). Meters appear when first used.
 */
public final class AlertMeters {
    static final int OUTCOMES = 1000;
    static final Set<String> STATUSES = Set.of("pending", "suppressed", "silenced", "queued", "delivered",
            "delivery_failed", "dropped");

    private final MeterRegistry registry;
    private final LabelGuard statuses = new LabelGuard("status", STATUSES.size() + 1, STATUSES);
    private final LabelGuard notifiers = new LabelGuard("notifier", 16);
    private final RecentWindows.Outcomes outcomes;
    private volatile boolean queueBound;

    AlertMeters(MeterRegistry registry, LongSupplier nanoClock) {
        this.registry = registry;
        this.outcomes = new RecentWindows.Outcomes(OUTCOMES, 60_000_000_000L, nanoClock);
    }

    /** An alert reached {@code status}: pending, suppressed, silenced, queued, delivered, delivery_failed, dropped. */
    public void alert(String status) {
        Counter.builder("eyes.alerts").description("Alerts by the status they reached")
                .tag("status", statuses.apply(status)).register(registry).increment();
    }

    /**
     * One delivery attempt ended.
     *
     * @param notifier the notifier's kind — {@code desktop}, {@code notify-send}, {@code webhook-json},
     *                 {@code webhook-slack}, {@code webhook-ntfy} — never its URL
     */
    public void notification(String notifier, boolean delivered) {
        Counter.builder("eyes.notifications").description("Notification delivery attempts by notifier and outcome")
                .tags("notifier", notifiers.apply(notifier), "outcome", delivered ? "delivered" : "failed")
                .register(registry).increment();
        outcomes.add(delivered);
    }

    /** The alert queue (alerts waiting for the rate limiter or a notifier). */
    public void bindQueue(IntSupplier depth, int capacity) {
        if (queueBound) {
            return;
        }
        queueBound = true;
        Gauge.builder("eyes.alert.queue.depth", depth, IntSupplier::getAsInt)
                .description("Alerts waiting to be delivered").strongReference(true).register(registry);
        Gauge.builder("eyes.alert.queue.capacity", () -> capacity)
                .description("Capacity of the alert queue").register(registry);
    }

    /** Percent of notifications delivered in the last 60 s, NaN when there were none. */
    public double recentSuccessPercent() {
        return outcomes.successPercent();
    }
}
