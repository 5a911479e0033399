package dev.eyes.mcp;

import dev.eyes.store.AssessmentStore;
import dev.eyes.store.Database;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.store.StoreException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The stores the tools use, over a database that may still be opening: {@code eyes mcp} opens SQLite (driver,
 * pragmas, migrations) while the MCP handshake goes on, so the client's {@code initialize} is not kept waiting for
 * it. The first tool call waits for the opening; if it failed, every tool call answers with the reason.
 */
final class Stores implements AutoCloseable {
    /** The stores of an open database. */
    record Open(SqliteAlertStore alerts, AssessmentStore assessments, HeartbeatReader heartbeat) {
    }

    private final CompletableFuture<Database> opening;
    private final Path path;
    private final InstantSource clock;
    private Open open; // guarded by this

    Stores(CompletableFuture<Database> opening, Path path, InstantSource clock) {
        this.opening = opening;
        this.path = path;
        this.clock = clock;
    }

    Path path() {
        return path;
    }

    /** The stores, once the database is open; the opening's failure otherwise. */
    Open get() throws StoreException {
        Database db;
        try {
            db = opening.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof StoreException s) {
                throw s;
            }
            throw new StoreException("cannot open the database " + path + ": " + cause, cause);
        }
        synchronized (this) {
            if (open == null) {
                open = new Open(new SqliteAlertStore(db, clock), new AssessmentStore(db),
                        new HeartbeatReader(db, clock));
            }
            return open;
        }
    }

    /** Closes the pooled connections, if the stores were ever used. */
    @Override
    public synchronized void close() {
        if (open != null) {
            open.alerts().close();
            open.assessments().close();
        }
    }
}
