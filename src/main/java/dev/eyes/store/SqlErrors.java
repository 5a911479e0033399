package dev.eyes.store;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Classifies and describes SQLite errors for retries and for people. */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** True for "database is locked/busy": worth retrying. */
    public static boolean isBusy(SQLException e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            return code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED
                    || code.name().startsWith("SQLITE_BUSY") || code.name().startsWith("SQLITE_LOCKED");
        }
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("database is locked");
    }

    /** True for errors that retrying may cure: busy, locked, full disk, I/O. */
    public static boolean isTransient(SQLException e) {
        if (isBusy(e)) {
            return true;
        }
        if (e instanceof SQLiteException s) {
            String n = s.getResultCode().name();
            return n.startsWith("SQLITE_FULL") || n.startsWith("SQLITE_IOERR") || n.startsWith("SQLITE_CANTOPEN");
        }
        return false;
    }

    /** A one-line description without driver noise. */
    public static String describe(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        m = m.replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "");
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
