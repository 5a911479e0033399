package dev.eyes.testing;

import dev.eyes.analysis.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link Scheduler} whose time moves only when a test calls {@link #advance}. Thread-safe. */
public final class ManualScheduler implements Scheduler {
    private record Task(long due, long seq, Runnable run, boolean[] cancelled) {
    }

    private long now = 1_000_000_000L;
    private long seq;
    private final List<Task> tasks = new ArrayList<>();
    private final List<Duration> scheduledDelays = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + delay.toNanos(), seq++, task, cancelled));
        scheduledDelays.add(delay);
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward, running each task that falls due (outside the lock, in due order). */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.cancelled()[0] && t.due() - target <= 0)
                        .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq)).orElse(null);
                if (next == null) {
                    now = target;
                    tasks.removeIf(t -> t.cancelled()[0]);
                    return;
                }
                tasks.remove(next);
                if (next.due() - now > 0) {
                    now = next.due();
                }
            }
            next.run().run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized int pending() {
        return (int) tasks.stream().filter(t -> !t.cancelled()[0]).count();
    }

    /** How far ahead the earliest live task is, or null. */
    public synchronized Duration nextIn() {
        return tasks.stream().filter(t -> !t.cancelled()[0]).mapToLong(Task::due).min()
                .stream().mapToObj(d -> Duration.ofNanos(d - now)).findFirst().orElse(null);
    }

    /** Every delay ever asked for, in order. */
    public synchronized List<Duration> delays() {
        return List.copyOf(scheduledDelays);
    }
}
