package dev.eyes.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain reads of a SQLite file for assertions. */
public final class Sql {
    private Sql() {
    }

    public static List<Map<String, Object>> query(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    public static long count(Path db, String sql) throws SQLException {
        List<Map<String, Object>> rows = query(db, sql);
        return ((Number) rows.getFirst().values().iterator().next()).longValue();
    }

    public static String integrityCheck(Path db) throws SQLException {
        return String.valueOf(query(db, "PRAGMA integrity_check").getFirst().values().iterator().next());
    }
}
