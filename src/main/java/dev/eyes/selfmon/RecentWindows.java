package dev.eyes.selfmon;

import java.util.function.LongSupplier;

/** The small windows behind the original's self-monitoring numbers (reference §13). Thread-safe. */
final class RecentWindows {
    private RecentWindows() {
    }

    /** The last {@code capacity} values (AI latencies: the last 100) and their mean. */
    static final class Values {
        private final double[] ring;
        private int next;
        private int size;

        Values(int capacity) {
            ring = new double[capacity];
        }

        synchronized void add(double v) {
            ring[next] = v;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }

        /** The mean of the values kept, or NaN when there are none. */
        synchronized double mean() {
            if (size == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += ring[i];
            }
            return sum / size;
        }

        synchronized int size() {
            return size;
        }
    }

    /**
     * The last {@code capacity} outcomes (notification results: the last 1000) with their times; the success
     * percentage over the outcomes of the last {@code windowNanos}.
     */
    static final class Outcomes {
        private final long[] at;
        private final boolean[] ok;
        private final long windowNanos;
        private final LongSupplier clock;
        private int next;
        private int size;

        Outcomes(int capacity, long windowNanos, LongSupplier clock) {
            at = new long[capacity];
            ok = new boolean[capacity];
            this.windowNanos = windowNanos;
            this.clock = clock;
        }

        synchronized void add(boolean success) {
            at[next] = clock.getAsLong();
            ok[next] = success;
            next = (next + 1) % at.length;
            size = Math.min(size + 1, at.length);
        }

        /** Percent of successes within the window, or NaN when there were none in it. */
        synchronized double successPercent() {
            long now = clock.getAsLong();
            int total = 0;
            int good = 0;
            for (int i = 0; i < size; i++) {
                if (now - at[i] <= windowNanos) {
                    total++;
                    if (ok[i]) {
                        good++;
                    }
                }
            }
            return total == 0 ? Double.NaN : 100.0 * good / total;
        }
    }
}
