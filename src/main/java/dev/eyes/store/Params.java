package dev.eyes.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Small helpers for binding optional text. */
final class Params {
    private Params() {
    }

    static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }

}
