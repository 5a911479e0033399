package dev.eyes.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A few reusable connections, so that frequent small transactions do not pay for opening the file and setting
 * its pragmas each time. A connection that saw an error is closed rather than reused. Idle connections hold no
 * lock (auto-commit, statements closed), so they never block other writers or WAL checkpoints.
 */
final class ConnectionPool implements AutoCloseable {
    private final Database db;
    private final BlockingQueue<Connection> idle;

    ConnectionPool(Database db, int size) {
        this.db = db;
        this.idle = new ArrayBlockingQueue<>(Math.max(1, size));
    }

    <T> T with(Tx.Body<T> body) throws SQLException, StoreException {
        Connection c = idle.poll();
        if (c == null) {
            c = db.connect();
        }
        boolean reuse = false;
        try {
            T result = body.run(c);
            reuse = true;
            return result;
        } catch (StoreException e) {
            reuse = !(e.getCause() instanceof SQLException);
            throw e;
        } finally {
            if (!reuse || !idle.offer(c)) {
                close(c);
            }
        }
    }

    /** Runs {@code body} in a {@code BEGIN IMMEDIATE} transaction on a pooled connection. */
    <T> T tx(Tx.Body<T> body) throws SQLException, StoreException {
        return with(c -> Tx.run(c, body));
    }

    /** Closes the idle connections; later calls open new ones as needed. */
    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            close(c);
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
