package dev.eyes.store;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.Severity;
import dev.eyes.json.JsonTrees;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** How an alert is read back: the row query and its mapping, and the lists that hydrate a record. */
final class AlertRows {
    static final String SEVERITY = "COALESCE(a.severity, c.expected_severity)";
    static final String SEVERITY_RANK = "(CASE " + SEVERITY + " WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END)";
    static final String FROM = " FROM alert_candidates c LEFT JOIN assessments a ON a.id = c.assessment_id"
            + " LEFT JOIN alerts al ON al.id = c.alert_id";
    static final String ROW = """
            SELECT c.id, c.group_parent_id, c.triggered_at, c.updated_at,
                COALESCE(a.summary, c.trigger_reason), a.root_cause, %s,
                a.observation_confidence, a.diagnosis_confidence,
                al.notification_title, al.notification_body, al.status, al.status_reason, al.silence_id,
                al.delivery_attempted_at, al.delivered_at, al.failure_message,
                c.analysis_status, c.analysis_failure,
                a.assessed_at, a.backend, a.model, a.latency_ms, a.attempts, a.redaction_count,
                c.trigger_rule, c.trigger_source, c.trigger_reason, c.expected_severity,
                c.log_event_count, c.metrics_event_count, c.disk_event_count,
                c.resolution_status, c.resolved_at, c.acknowledged_at, c.acknowledged_by, c.acknowledgement_note,
                (SELECT COUNT(*) FROM alert_candidates ch WHERE ch.group_parent_id = c.id),
                (SELECT COUNT(*) FROM alert_agent_reviews r WHERE r.candidate_id = c.id),
                c.assessment_id, c.alert_id
            """.formatted(SEVERITY) + FROM;
    private static final String NOT_ANALYZED = "not analyzed";


    private AlertRows() {
    }

    static AlertSummary summary(AlertRecord a) {
        return new AlertSummary(a.id(), a.groupParentId(), a.assessedAt(), a.updatedAt(), a.summary(), a.severity(),
                a.analysisStatus(), a.resolutionStatus(), a.resolvedAt(), a.triggeredBy(), a.triggerSource(),
                a.similarAlertCount(), a.agentReviewCount(), a.status(), a.acknowledgedAt(), a.acknowledgedBy());
    }

    /** The rows (without lists) of {@code ids}, in that order. */
    static List<AlertRecord> rowsInOrder(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, AlertRecord> byId = new HashMap<>();
        String marks = String.join(",", ids.stream().map(x -> "?").toList());
        try (PreparedStatement ps = c.prepareStatement(ROW + " WHERE c.id IN (" + marks + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AlertRecord a = row(rs);
                    byId.put(a.id(), a);
                }
            }
        }
        List<AlertRecord> out = new ArrayList<>(ids.size());
        for (Long id : ids) {
            AlertRecord a = byId.get(id);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    static AlertRecord row(ResultSet rs) throws SQLException {
        boolean analysed = rs.getObject(40) != null;
        AlertRecord.Analysis analysis = analysed && rs.getString(20) != null
                ? new AlertRecord.Analysis(Timestamps.parse(rs.getString(20)), rs.getString(21), rs.getString(22),
                rs.getLong(23), rs.getInt(24), rs.getInt(25)) : null;
        Instant triggered = Timestamps.parse(rs.getString(3));
        long silence = rs.getLong(14);
        Long silenceId = rs.wasNull() ? null : silence;
        long parent = rs.getLong(2);
        Long parentId = rs.wasNull() ? null : parent;
        return new AlertRecord(rs.getLong(1), triggered, triggered, Timestamps.parse(rs.getString(4)),
                rs.getString(5), rs.getString(6), Severity.parse(rs.getString(7)),
                analysed ? rs.getString(8) : NOT_ANALYZED, analysed ? rs.getString(9) : NOT_ANALYZED,
                List.of(), List.of(), List.of(),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), silenceId,
                Timestamps.parse(rs.getString(15)), Timestamps.parse(rs.getString(16)), rs.getString(17),
                rs.getString(18), rs.getString(19), analysis,
                rs.getString(26), rs.getString(27), rs.getString(28), Severity.parse(rs.getString(29)),
                rs.getInt(30), rs.getInt(31), rs.getInt(32), List.of(), List.of(), List.of(),
                parentId, rs.getString(33), Timestamps.parse(rs.getString(34)),
                Timestamps.parse(rs.getString(35)), rs.getString(36), rs.getString(37),
                rs.getInt(38), rs.getInt(39), List.of(), List.of(), List.of(), List.of());
    }

    /** The record with its lists and reviews; with {@code full} also its events, deliveries and history. */
    static AlertRecord hydrated(Connection c, long id, boolean full) throws SQLException {
        AlertRecord a;
        Long assessment;
        Long alert;
        try (PreparedStatement ps = c.prepareStatement(ROW + " WHERE c.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                a = row(rs);
                long as = rs.getLong(40);
                assessment = rs.wasNull() ? null : as;
                long al = rs.getLong(41);
                alert = rs.wasNull() ? null : al;
            }
        }
        List<String> recs = assessment == null ? List.of() : texts(c, "assessment_recommendations", assessment);
        List<String> evidence = assessment == null ? List.of() : texts(c, "assessment_evidence", assessment);
        List<String> limits = assessment == null ? List.of() : texts(c, "assessment_limitations", assessment);
        List<LogEvent> logs = new ArrayList<>();
        List<MetricsEvent> metrics = new ArrayList<>();
        List<DiskEvent> disks = new ArrayList<>();
        List<DeliveryAttempt> deliveries = new ArrayList<>();
        List<StateChange> history = new ArrayList<>();
        if (full) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT event_kind, payload FROM alert_candidate_context_events
                    WHERE candidate_id = ? ORDER BY event_kind, position""")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonNode n = JsonTrees.parse(rs.getString(2));
                        switch (rs.getString(1)) {
                            case "log" -> logs.add(EventJson.log(n));
                            case "metrics" -> metrics.add(EventJson.metrics(n));
                            case "disk" -> disks.add(EventJson.disk(n));
                            default -> {
                            }
                        }
                    }
                }
            }
            if (alert != null) {
                deliveries = deliveries(c, alert);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT at, aspect, from_status, to_status, reason FROM alert_candidate_transitions
                    WHERE candidate_id = ? ORDER BY id""")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        history.add(new StateChange(Timestamps.parse(rs.getString(1)), rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
        }
        return a.withDetails(recs, evidence, limits, logs, metrics, disks, reviews(c, id), deliveries, history);
    }

    static List<DeliveryAttempt> deliveries(Connection c, long alertId) throws SQLException {
        List<DeliveryAttempt> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT notifier, attempted_at, status, error FROM alert_deliveries WHERE alert_id = ? ORDER BY id")) {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeliveryAttempt(rs.getString(1), Timestamps.parse(rs.getString(2)), rs.getString(3),
                            rs.getString(4)));
                }
            }
        }
        return out;
    }

    static List<AgentReview> reviews(Connection c, long id) throws SQLException {
        List<AgentReview> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, created_at, agent_name, review_type, body FROM alert_agent_reviews
                WHERE candidate_id = ? ORDER BY created_at, id""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AgentReview(rs.getLong(1), id, Timestamps.parse(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    private static List<String> texts(Connection c, String table, long assessment) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT text FROM " + table + " WHERE assessment_id = ? ORDER BY position")) {
            ps.setLong(1, assessment);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

}
