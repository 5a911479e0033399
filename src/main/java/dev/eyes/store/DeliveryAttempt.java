package dev.eyes.store;

import java.time.Instant;

/**
 * One attempt to deliver an alert through one notifier ({@code alert_deliveries}).
 *
 * @param notifier e.g. {@code desktop (notify-send)}, {@code webhook 1 (slack, hooks.slack.com)}
 * @param status   delivered | failed
 * @param error    why it failed (null when delivered)
 */
public record DeliveryAttempt(String notifier, Instant attemptedAt, String status, String error) {
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    public boolean delivered() {
        return DELIVERED.equals(status);
    }

    public static DeliveryAttempt delivered(String notifier, Instant at) {
        return new DeliveryAttempt(notifier, at, DELIVERED, null);
    }

    public static DeliveryAttempt failed(String notifier, Instant at, String error) {
        return new DeliveryAttempt(notifier, at, FAILED, error);
    }
}
