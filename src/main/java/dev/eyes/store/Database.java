package dev.eyes.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite file: WAL, {@code busy_timeout} 5 s, foreign keys on, {@code synchronous=NORMAL} (durable across
 * a crash of Eyes; the last transactions may be lost only if the whole machine loses power), transactions
 * {@code BEGIN IMMEDIATE}. Opening it creates missing parent directories and migrates the schema.
 */
public final class Database {
    public static final int BUSY_TIMEOUT_MS = 5000;

    private final Path path;
    private final SQLiteDataSource dataSource;

    private Database(Path path) {
        this.path = path;
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        this.dataSource = new SQLiteDataSource(config);
        this.dataSource.setUrl("jdbc:sqlite:" + path);
    }

    /** Opens (creating if needed) and migrates the database at {@code file}. */
    public static Database open(Path file) throws StoreException {
        Path abs = file.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory for the database " + abs + ": " + e.getMessage());
        }
        if (Files.isDirectory(abs)) {
            throw new StoreException("the database path " + abs + " is a directory");
        }
        Database db = new Database(abs);
        try (Connection c = db.connect()) {
            Migrations.migrate(c, abs);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + abs + ": " + SqlErrors.describe(e), e);
        }
        return db;
    }

    public Path path() {
        return path;
    }

    /** A new connection with the settings above; the caller closes it. */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** {@code PRAGMA integrity_check}: "ok" when the file is sound. */
    public String integrityCheck() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("PRAGMA integrity_check")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : "; ").append(rs.getString(1));
            }
            return out.toString();
        }
    }
}
