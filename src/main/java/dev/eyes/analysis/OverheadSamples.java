package dev.eyes.analysis;

import java.util.Arrays;

/**
 * The time each successful analysis attempt spent in Eyes itself, the backend excluded (redaction, prompt,
 * parsing, sanitising, storing): the most recent {@link #CAPACITY} figures, for the benchmarks and self-checks.
 * Thread-safe.
 */
final class OverheadSamples {
    static final int CAPACITY = 4096;

    private final long[] nanos = new long[CAPACITY];
    private int count;

    synchronized void record(long n) {
        nanos[count % CAPACITY] = n;
        count++;
    }

    /** The recorded figures, at most {@link #CAPACITY} (the oldest overwritten first). */
    synchronized long[] snapshot() {
        return Arrays.copyOf(nanos, Math.min(count, CAPACITY));
    }
}
