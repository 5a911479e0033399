package dev.eyes.store;

import dev.eyes.event.Severity;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The WHERE clauses of alert lists and searches, built from validated filters. */
final class AlertFilters {
    private AlertFilters() {
    }

    /** WHERE clauses and their parameters. */
    static final class Where {
        final List<String> clauses = new ArrayList<>();
        final List<Object> params = new ArrayList<>();

        Where add(String clause, Object... ps) {
            clauses.add(clause);
            params.addAll(List.of(ps));
            return this;
        }

        String sql() {
            return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        }

        Where copy() {
            Where w = new Where();
            w.clauses.addAll(clauses);
            w.params.addAll(params);
            return w;
        }

        int bind(PreparedStatement ps, int from) throws SQLException {
            int i = from;
            for (Object p : params) {
                switch (p) {
                    case String s -> ps.setString(i++, s);
                    case Long l -> ps.setLong(i++, l);
                    case Integer n -> ps.setInt(i++, n);
                    default -> throw new IllegalArgumentException(String.valueOf(p));
                }
            }
            return i;
        }
    }

    static Severity severityFilter(String field, String s) throws AlertException {
        if (s == null || s.isBlank()) {
            return null;
        }
        Severity v = Severity.parse(s);
        if (v == null) {
            throw AlertException.invalid(field + " must be one of " + Severity.allowed());
        }
        return v;
    }

    private static String analysisFilter(String s) throws AlertException {
        if (s == null || s.isBlank()) {
            return null;
        }
        for (AnalysisStatus a : AnalysisStatus.values()) {
            if (a.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return a.wireName();
            }
        }
        throw AlertException.invalid("status must be one of pending, analyzed, failed, not_done");
    }

    private static String alertStatusFilter(String s) throws AlertException {
        if (s == null || s.isBlank()) {
            return null;
        }
        AlertStatus a = AlertStatus.parse(s);
        if (a == null) {
            throw AlertException.invalid("alert_status must be one of " + AlertStatus.allowed());
        }
        return a.wireName();
    }

    static String like(String q) {
        return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** The filters shared by list and search (not severity, not resolution). */
    static Where common(String status, String alertStatus, String rule, String source, String q,
                                Boolean acknowledged) throws AlertException {
        Where w = new Where();
        String st = analysisFilter(status);
        if (st != null) {
            w.add("c.analysis_status = ?", st);
        }
        String ast = alertStatusFilter(alertStatus);
        if (ast != null) {
            w.add("al.status = ?", ast);
        }
        if (rule != null && !rule.isBlank()) {
            w.add("c.trigger_rule = ?", rule.trim());
        }
        if (source != null && !source.isBlank()) {
            w.add("c.trigger_source = ?", source.trim());
        }
        if (q != null && !q.isBlank()) {
            String p = like(q.trim());
            w.add("""
                    (COALESCE(a.summary, '') LIKE ? ESCAPE '\\' OR COALESCE(a.root_cause, '') LIKE ? ESCAPE '\\'
                     OR c.trigger_reason LIKE ? ESCAPE '\\' OR c.trigger_rule LIKE ? ESCAPE '\\'
                     OR COALESCE(c.trigger_source, '') LIKE ? ESCAPE '\\'
                     OR EXISTS (SELECT 1 FROM alert_agent_reviews r WHERE r.candidate_id = c.id
                                AND (r.body LIKE ? ESCAPE '\\' OR r.agent_name LIKE ? ESCAPE '\\')))""",
                    p, p, p, p, p, p, p);
        }
        if (acknowledged != null) {
            w.add(acknowledged ? "c.acknowledged_at IS NOT NULL" : "c.acknowledged_at IS NULL");
        }
        return w;
    }

}
