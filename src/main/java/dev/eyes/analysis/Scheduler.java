package dev.eyes.analysis;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time for the retry queue: a monotonic clock and delayed tasks. Injected so tests can move time by hand and
 * check the backoff without sleeping. Tasks must be short (they only move work between queues).
 */
public interface Scheduler {
    /** Monotonic nanoseconds (only differences mean anything). */
    long nanoTime();

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Stops running tasks (those not yet due are dropped). */
    default void shutdown() {
    }

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Real time, on one daemon platform thread named {@code name}. */
    static Scheduler system(String name) {
        ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        exec.setRemoveOnCancelPolicy(true);
        exec.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new Scheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                if (exec.isShutdown()) {
                    return () -> {
                    };
                }
                try {
                    ScheduledFuture<?> f = exec.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return () -> {
                    };
                }
            }

            @Override
            public void shutdown() {
                exec.shutdownNow();
            }
        };
    }
}
