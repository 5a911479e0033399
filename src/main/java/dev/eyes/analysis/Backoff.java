package dev.eyes.analysis;

import java.time.Duration;

/**
 * The delay before attempt n+1 after attempt n failed: 1 s, 2 s, 4 s … doubling, capped at
 * {@code ai.retry_max_delay_seconds}. When the server said how long to wait ({@code Retry-After}), that is
 * honoured — never less than it, but at most {@link #MAX_RETRY_AFTER}.
 */
public record Backoff(Duration base, Duration cap) {
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    public static Backoff of(int retryMaxDelaySeconds) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(Math.max(1, retryMaxDelaySeconds)));
    }

    /**
     * @param failedAttempts attempts made so far (≥ 1)
     * @param retryAfter     what the server asked for, or null
     */
    public Duration delay(int failedAttempts, Duration retryAfter) {
        int shift = Math.max(0, Math.min(failedAttempts - 1, 40));
        Duration d = base.multipliedBy(1L << Math.min(shift, 30));
        if (shift > 30 || d.compareTo(cap) > 0) {
            d = cap;
        }
        if (retryAfter != null && !retryAfter.isNegative()) {
            Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
            if (asked.compareTo(d) > 0) {
                d = asked;
            }
        }
        return d;
    }

    /** "3 s", "1.5 s": a delay or limit for messages. */
    public static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
