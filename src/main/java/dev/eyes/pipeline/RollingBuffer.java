package dev.eyes.pipeline;

import dev.eyes.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * The recent events of one stream: at most {@code maxSize} (the oldest is overwritten), none older than
 * {@code maxAge} before the newest event seen (event time). A ring buffer: adding is O(1) and allocates
 * nothing. Single-threaded (the event loop owns it).
 */
public final class RollingBuffer<T extends Event> {
    private final Object[] ring;
    private final long maxAgeSeconds;
    private final int maxAgeNanos;
    private int head;
    private int size;
    private Instant newest = Instant.EPOCH;

    public RollingBuffer(int maxSize, Duration maxAge) {
        this.ring = new Object[maxSize];
        this.maxAgeSeconds = maxAge.getSeconds();
        this.maxAgeNanos = maxAge.getNano();
    }

    public void add(T event) {
        if (event.timestamp().isAfter(newest)) {
            newest = event.timestamp();
        }
        int tail = (head + size) % ring.length;
        ring[tail] = event;
        if (size == ring.length) {
            head = (head + 1) % ring.length;
        } else {
            size++;
        }
        prune();
    }

    private void prune() {
        // the horizon newest − maxAge as (seconds, nanos), without allocating an Instant per event
        long horizonSeconds = newest.getEpochSecond() - maxAgeSeconds;
        int horizonNanos = newest.getNano() - maxAgeNanos;
        if (horizonNanos < 0) {
            horizonNanos += 1_000_000_000;
            horizonSeconds--;
        }
        while (size > 0 && isBefore(get(0).timestamp(), horizonSeconds, horizonNanos)) {
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        }
    }

    private static boolean isBefore(Instant t, long seconds, int nanos) {
        long s = t.getEpochSecond();
        return s < seconds || (s == seconds && t.getNano() < nanos);
    }

    @SuppressWarnings("unchecked")
    private T get(int i) {
        return (T) ring[(head + i) % ring.length];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return ring.length;
    }

    /** The newest event time seen. */
    public Instant newest() {
        return newest;
    }

    /**
     * Events at or after {@code from} that match, oldest first; at most {@code limit}, keeping the newest.
     * Walks back from the newest event and stops at the first one older than {@code from}.
     */
    public List<T> since(Instant from, Predicate<? super T> filter, int limit) {
        List<T> out = new ArrayList<>();
        for (int i = size - 1; i >= 0 && out.size() < limit; i--) {
            T e = get(i);
            if (e.timestamp().isBefore(from)) {
                break;
            }
            if (filter.test(e)) {
                out.add(e);
            }
        }
        Collections.reverse(out);
        return out;
    }

    /** Everything in the buffer, oldest first. */
    public List<T> snapshot() {
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(get(i));
        }
        return out;
    }
}
