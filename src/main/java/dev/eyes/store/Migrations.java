package dev.eyes.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations, tracked in {@code PRAGMA user_version}. Each migration is a script
 * {@code db/V<n>__<name>.sql} on the classpath, applied in one transaction with the version bump. A database
 * written by a newer Eyes (higher version) is refused with a clear error.
 */
final class Migrations {
    static final String[] SCRIPTS = {"db/V1__schema.sql"};

    private Migrations() {
    }

    static int latest() {
        return SCRIPTS.length;
    }

    static void migrate(Connection c, Path file) throws SQLException, StoreException {
        int version = userVersion(c);
        if (version > latest()) {
            throw new StoreException("the database " + file + " was written by a newer Eyes (schema version "
                    + version + "; this Eyes knows up to " + latest() + "); upgrade Eyes or use another database_path");
        }
        for (int v = version + 1; v <= latest(); v++) {
            String script = load(SCRIPTS[v - 1]);
            int target = v;
            try {
                Tx.run(c, conn -> {
                    if (userVersion(conn) >= target) {
                        return null; // another process migrated meanwhile
                    }
                    try (Statement s = conn.createStatement()) {
                        for (String stmt : split(script)) {
                            s.execute(stmt);
                        }
                        s.execute("PRAGMA user_version = " + target);
                    }
                    return null;
                });
            } catch (SQLException e) {
                throw new StoreException("migrating the database " + file + " to schema version " + v + " failed: "
                        + SqlErrors.describe(e), e);
            }
        }
    }

    static int userVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String load(String resource) throws StoreException {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StoreException("migration " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + resource + ": " + e.getMessage());
        }
    }

    /** Splits a script on semicolons at line ends, dropping {@code --} comment lines. */
    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
