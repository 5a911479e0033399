package dev.eyes.rule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The minimum of a series over a sliding event-time window, kept in a monotonic deque: values increase from front
 * to back, so the front is the minimum; each value is added and removed at most once (O(1) amortised), whatever
 * the window holds. Time going backwards (a clock step) starts the series over. Single-threaded.
 */
final class RunningMinimum {
    private record Point(Instant at, double value) {
    }

    private final Duration window;
    private final int cap;
    private final ArrayDeque<Point> deque = new ArrayDeque<>();
    private Instant last;

    /** @param cap most points kept (a guard for absurd sample rates; the oldest go first) */
    RunningMinimum(Duration window, int cap) {
        this.window = window;
        this.cap = Math.max(2, cap);
    }

    /**
     * The minimum of the values seen in [{@code at} − window, {@code at}] before this one, or null when there is
     * none; then records this one.
     */
    Double minBeforeAndAdd(Instant at, double value) {
        if (last != null && at.isBefore(last)) {
            deque.clear();
        }
        last = at;
        Instant from = at.minus(window);
        while (!deque.isEmpty() && deque.peekFirst().at.isBefore(from)) {
            deque.pollFirst();
        }
        Double min = deque.isEmpty() ? null : deque.peekFirst().value;
        while (!deque.isEmpty() && deque.peekLast().value >= value) {
            deque.pollLast();
        }
        deque.addLast(new Point(at, value));
        if (deque.size() > cap) {
            deque.pollFirst();
        }
        return min;
    }

    /** When the last value was added, or null. */
    Instant last() {
        return last;
    }

    int size() {
        return deque.size();
    }
}
