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
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
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
