package dev.eyes.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit {@code BEGIN IMMEDIATE … COMMIT} on an auto-commit connection. (The JDBC way — auto-commit off —
 * makes sqlite-jdbc begin the next transaction right after each commit, which would hold the write lock
 * between writes and lock out the dashboard and the MCP server.)
 */
public final class Tx {
    @FunctionalInterface
    public interface Body<T> {
        T run(Connection c) throws SQLException, StoreException;
    }

    private Tx() {
    }

    public static <T> T run(Connection c, Body<T> body) throws SQLException, StoreException {
        return in(c, "BEGIN IMMEDIATE", body);
    }

    /**
     * A read-only transaction ({@code BEGIN DEFERRED}): the reads in {@code body} see one snapshot of the file
     * (WAL), take no write lock and never block writers.
     */
    public static <T> T read(Connection c, Body<T> body) throws SQLException, StoreException {
        return in(c, "BEGIN DEFERRED", body);
    }

    private static <T> T in(Connection c, String begin, Body<T> body) throws SQLException, StoreException {
        try (Statement s = c.createStatement()) {
            s.execute(begin);
        }
        boolean ok = false;
        try {
            T result = body.run(c);
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
            ok = true;
            return result;
        } finally {
            if (!ok) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // no transaction left to roll back
                }
            }
        }
    }
}
