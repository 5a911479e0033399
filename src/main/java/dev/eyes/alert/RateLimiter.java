package dev.eyes.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * At most {@code limit} successful deliveries in any sliding window (60 s by default), as the original's
 * {@code RateLimiter}: a success at {@code t} counts while {@code t > now − window}. Only successes count — a
 * failed delivery leaves room for the next one. A delivery in flight holds a reservation, so however the
 * deliveries that are running end, no window ever holds more than {@code limit} successes: (successes in the
 * window + reservations) never exceeds the limit, a success turns a reservation into a stamp, a failure frees it.
 * Not thread-safe: owned by the alert manager's thread. Time comes from the caller (an injected clock).
 */
public final class RateLimiter {
    private final int limit;
    private final Duration window;
    private final ArrayDeque<Instant> successes = new ArrayDeque<>();
    private int reserved;

    public RateLimiter(int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
        this.window = window;
    }

    public RateLimiter(int limit) {
        this(limit, Duration.ofSeconds(60));
    }

    private void prune(Instant now) {
        Instant edge = now.minus(window);
        while (!successes.isEmpty() && !successes.peekFirst().isAfter(edge)) {
            successes.pollFirst();
        }
    }

    /** True when one more delivery may start now. */
    public boolean canSend(Instant now) {
        prune(now);
        return successes.size() + reserved < limit;
    }

    /** A delivery starts (call only when {@link #canSend}). */
    public void reserve() {
        reserved++;
    }

    /** A reserved delivery succeeded at {@code now}. */
    public void succeeded(Instant now) {
        if (reserved > 0) {
            reserved--;
        }
        successes.addLast(now);
    }

    /** A reserved delivery failed: its room is free again. */
    public void failed() {
        if (reserved > 0) {
            reserved--;
        }
    }

    /** Successes within the window ending {@code now}. */
    public int used(Instant now) {
        prune(now);
        return successes.size();
    }

    public int reserved() {
        return reserved;
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    /** When the oldest success leaves the window (null when none counts). */
    public Instant nextRoom(Instant now) {
        prune(now);
        return successes.isEmpty() ? null : successes.peekFirst().plus(window);
    }
}
