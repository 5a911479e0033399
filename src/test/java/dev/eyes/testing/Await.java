package dev.eyes.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for asynchronous work to reach a state (polling every 5 ms), failing with a message after a limit. */
public final class Await {
    private Await() {
    }

    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + limit + " waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }

    /** For conditions that read a database. */
    @FunctionalInterface
    public interface Check {
        boolean test() throws Exception;
    }

    public static void untilTrue(String what, Duration limit, Check check) {
        until(what, limit, () -> {
            try {
                return check.test();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
