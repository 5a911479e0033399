package dev.eyes.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries a store operation while SQLite answers "database is locked" (SQLITE_BUSY / SQLITE_LOCKED). Several
 * processes write the same file — {@code eyes run}, the dashboard, {@code eyes mcp} — and although each waits up
 * to {@link Database#BUSY_TIMEOUT_MS} for the lock, a long write elsewhere (a WAL checkpoint on a slow disk, a
 * big transaction) can outlast that. The operation must be a whole transaction (it is rolled back before a
 * retry), so running it again is safe. Backoff 20 ms doubling to 500 ms with jitter, for at most {@link #LIMIT}.
 */
public final class Busy {
    public static final Duration LIMIT = Duration.ofSeconds(60);

    /** A store operation. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws SQLException, StoreException;
    }

    private Busy() {
    }

    public static <T> T retry(Call<T> call) throws SQLException, StoreException {
        return retry(call, LIMIT);
    }

    public static <T> T retry(Call<T> call, Duration limit) throws SQLException, StoreException {
        long deadline = System.nanoTime() + limit.toNanos();
        long sleep = 20;
        while (true) {
            try {
                return call.call();
            } catch (SQLException e) {
                if (!SqlErrors.isBusy(e) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            } catch (StoreException e) {
                if (!(e.getCause() instanceof SQLException s && SqlErrors.isBusy(s))
                        || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(sleep / 2 + ThreadLocalRandom.current().nextLong(sleep / 2 + 1));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for the database lock");
            }
            sleep = Math.min(sleep * 2, 500);
        }
    }
}
