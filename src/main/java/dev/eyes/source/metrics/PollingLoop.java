package dev.eyes.source.metrics;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a task every {@code interval} on one virtual thread, at a fixed rate (no drift: the next run is scheduled
 * from the previous schedule, not from when the task ended; runs that fall behind are skipped, not bunched).
 * A task that throws is logged once per kind of failure and the loop goes on. {@link #stop()} returns promptly.
 */
public final class PollingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PollingLoop.class);

    /** One run; may be interrupted by {@link #stop()}. */
    @FunctionalInterface
    public interface Task {
        void run() throws InterruptedException;
    }

    private final String name;
    private volatile long periodNanos;
    private final Task task;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;
    private String lastFailure;

    public PollingLoop(String name, Duration interval, Task task) {
        this.name = name;
        this.periodNanos = positive(interval);
        this.task = task;
    }

    private static long positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the interval must be positive, got " + d);
        }
        return d.toNanos();
    }

    /** The current interval. */
    public Duration interval() {
        return Duration.ofNanos(periodNanos);
    }

    /**
     * Changes the interval while running (adaptive sampling, a reloaded configuration). The run already scheduled
     * keeps its time; the one after it follows the new interval, so a change never causes a burst of runs.
     */
    public void setInterval(Duration interval) {
        periodNanos = positive(interval);
    }

    public void start() {
        start(Duration.ZERO);
    }

    /** Starts; the first run comes after {@code initialDelay}. Idempotent. */
    public synchronized void start(Duration initialDelay) {
        if (thread == null && stopped.getCount() > 0) {
            thread = Thread.ofVirtual().name("eyes-" + name).start(() -> loop(initialDelay));
        }
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    public void stop() {
        stopped.countDown();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop(Duration initialDelay) {
        long next = System.nanoTime() + initialDelay.toNanos();
        try {
            if (!initialDelay.isZero() && stopped.await(initialDelay.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        while (!isStopped()) {
            try {
                task.run();
                lastFailure = null;
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                String kind = e.getClass().getName();
                if (!kind.equals(lastFailure)) {
                    LOG.warn("{}: sampling failed ({}); will try again every {} s", name, e.toString(),
                            interval().toMillis() / 1000.0);
                    LOG.debug("{} failure", name, e);
                }
                lastFailure = kind;
            }
            long now = System.nanoTime();
            long period = periodNanos;
            next += period;
            if (next - now < 0) {
                next = now + period - Math.floorMod(now - next, period);
            }
            try {
                if (stopped.await(next - now, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
    }
}
