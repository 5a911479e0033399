package dev.eyes.store;

import dev.eyes.analysis.Insight;
import dev.eyes.event.LogEvent;
import dev.eyes.event.Severity;
import dev.eyes.json.JsonTrees;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The alert stage's side of the store (the {@code AlertManager}'s only way in): creates each analysed candidate's
 * alert with the status the manager decides — inside the transaction that reads the facts it decides on — and
 * records every later status change and delivery attempt, each with its reason and a transition. Not for the
 * dashboard or MCP (they use {@link AlertStore}).
 */
public final class AlertLedger {
    private static final String ASPECT = "alert";

    private final SqliteAlertStore store;

    public AlertLedger(SqliteAlertStore store) {
        this.store = store;
    }

    public SqliteAlertStore store() {
        return store;
    }

    /**
     * What the manager decides on, read in the deciding transaction.
     *
     * @param alertStatus    the alert's current status (null before it exists)
     * @param severity       the assessment's severity (else the trigger's)
     * @param rootId         the group's root ({@code candidateId} itself for a root)
     * @param rootResolved   the group's root is resolved (then grouping and acknowledgement no longer hold it back)
     * @param selfResolved   this candidate is resolved
     * @param acknowledgedBy who acknowledged the group (its root), or null
     * @param notifiedLevel  the most severe other member of the group that was, is being or will be notified
     *                       (alert pending, queued or delivered), or null
     * @param groupLevel     the most severe other member of the group, whatever its alert, or null
     * @param title          the stored notification title (for an existing alert)
     */
    public record Facts(long candidateId, Long alertId, AlertStatus alertStatus, Instant assessedAt, String rule,
                        String source, Severity severity, List<LogEvent> logs, long rootId, boolean rootResolved,
                        boolean selfResolved, String acknowledgedBy, Instant acknowledgedAt, Severity notifiedLevel,
                        Severity groupLevel, String title, String body) {
        public boolean child() {
            return rootId != candidateId;
        }
    }

    /**
     * The status to write.
     *
     * @param status     pending (deliver now), queued, suppressed or silenced
     * @param silenceId  the silence, for silenced
     * @param dropAlert  a queued alert to mark dropped in the same transaction (the queue's oldest), or null
     * @param dropReason why
     */
    public record Plan(AlertStatus status, String reason, Long silenceId, Long dropAlert, String dropReason) {
        public static Plan of(AlertStatus status, String reason) {
            return new Plan(status, reason, null, null, null);
        }
    }

    /** Decides; called inside the transaction (possibly more than once: it must not change anything). */
    @FunctionalInterface
    public interface Decider {
        Plan decide(Facts facts, List<Silence> activeSilences);
    }

    /** What was written. */
    public record Decided(long alertId, Facts facts, Plan plan) {
    }

    /**
     * Creates the alert of an analysed candidate with the status {@code decider} chooses, in one transaction.
     * Empty when the candidate does not exist, is not analysed, or already has an alert (so handing the same
     * candidate over twice is harmless).
     */
    public Optional<Decided> admit(long candidateId, String title, String body, Decider decider)
            throws StoreException {
        return store.write(c -> {
            Facts f = facts(c, candidateId);
            if (f == null || f.alertId() != null) {
                return Optional.empty();
            }
            Long assessment = assessmentId(c, candidateId);
            if (assessment == null) {
                return Optional.empty();
            }
            Facts withText = new Facts(f.candidateId(), null, null, f.assessedAt(), f.rule(), f.source(),
                    f.severity(), f.logs(), f.rootId(), f.rootResolved(), f.selfResolved(), f.acknowledgedBy(),
                    f.acknowledgedAt(), f.notifiedLevel(), f.groupLevel(), title, body);
            Instant now = store.now();
            Plan plan = decider.decide(withText, SilenceTable.activeSilences(c, now));
            String ts = Timestamps.format(now);
            long alertId;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO alerts (assessment_id, created_at, updated_at, notification_title, notification_body,
                        status, status_reason, silence_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, assessment);
                ps.setString(2, ts);
                ps.setString(3, ts);
                ps.setString(4, title);
                ps.setString(5, body);
                ps.setString(6, plan.status().wireName());
                ps.setString(7, plan.reason());
                if (plan.silenceId() == null) {
                    ps.setNull(8, Types.INTEGER);
                } else {
                    ps.setLong(8, plan.silenceId());
                }
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    alertId = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE alert_candidates SET alert_id = ?, updated_at = ? WHERE id = ? AND alert_id IS NULL")) {
                ps.setLong(1, alertId);
                ps.setString(2, ts);
                ps.setLong(3, candidateId);
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("candidate " + candidateId + " got an alert concurrently");
                }
            }
            Transitions.record(c, candidateId, ASPECT, null, plan.status().wireName(), plan.reason(), now);
            drop(c, plan, now);
            return Optional.of(new Decided(alertId, withText, plan));
        });
    }

    /**
     * Decides again for a queued alert (a silence may have been created, the group acknowledged or resolved
     * meanwhile) and writes the new status unless it stays queued. Empty when the alert is no longer queued.
     */
    public Optional<Decided> recheck(long alertId, Decider decider) throws StoreException {
        return store.write(c -> {
            Long candidate = candidateOf(c, alertId);
            if (candidate == null) {
                return Optional.empty();
            }
            Facts f = facts(c, candidate);
            if (f == null || f.alertStatus() != AlertStatus.QUEUED) {
                return Optional.empty();
            }
            Instant now = store.now();
            Plan plan = decider.decide(f, SilenceTable.activeSilences(c, now));
            if (plan.status() != AlertStatus.QUEUED) {
                change(c, alertId, candidate, AlertStatus.QUEUED, plan.status(), plan.reason(), plan.silenceId(), now);
            }
            drop(c, plan, now);
            return Optional.of(new Decided(alertId, f, plan));
        });
    }

    private void drop(Connection c, Plan plan, Instant now) throws SQLException {
        if (plan.dropAlert() != null) {
            Long victim = candidateOf(c, plan.dropAlert());
            if (victim != null) {
                change(c, plan.dropAlert(), victim, AlertStatus.QUEUED, AlertStatus.DROPPED, plan.dropReason(), null,
                        now);
            }
        }
    }

    /** queued → dropped (outside an admission: the queue shrank at a restart). */
    public boolean drop(long alertId, String reason) throws StoreException {
        return changeStatus(alertId, AlertStatus.QUEUED, AlertStatus.DROPPED, reason);
    }

    /** {@code from → to} with the reason; false when the alert was not in {@code from}. */
    public boolean changeStatus(long alertId, AlertStatus from, AlertStatus to, String reason) throws StoreException {
        return store.write(c -> {
            Long candidate = candidateOf(c, alertId);
            return candidate != null && change(c, alertId, candidate, from, to, reason, null, store.now());
        });
    }

    private static boolean change(Connection c, long alertId, long candidateId, AlertStatus from, AlertStatus to,
                                  String reason, Long silenceId, Instant now) throws SQLException {
        String ts = Timestamps.format(now);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE alerts SET status = ?, status_reason = ?, silence_id = COALESCE(?, silence_id), updated_at = ?
                WHERE id = ? AND status = ?""")) {
            ps.setString(1, to.wireName());
            ps.setString(2, reason);
            if (silenceId == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setLong(3, silenceId);
            }
            ps.setString(4, ts);
            ps.setLong(5, alertId);
            ps.setString(6, from.wireName());
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        touch(c, candidateId, ts);
        Transitions.record(c, candidateId, ASPECT, from.wireName(), to.wireName(), reason, now);
        return true;
    }

    private static void touch(Connection c, long candidateId, String ts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert_candidates SET updated_at = ? WHERE id = ? AND updated_at < ?")) {
            ps.setString(1, ts);
            ps.setLong(2, candidateId);
            ps.setString(3, ts);
            ps.executeUpdate();
        }
    }

    /**
     * Stores one notifier's attempts and, when {@code to} is set, moves the (pending) alert there:
     * {@code delivered} (at the first success; {@code delivered_at} = now), {@code delivery_failed} (when every
     * notifier failed). {@code failureMessage} replaces the alert's failure message when not null (for a delivered
     * alert: which notifiers failed). {@code delivery_attempted_at} is the first attempt's time.
     */
    public void recordAttempts(long alertId, List<DeliveryAttempt> attempts, AlertStatus to, String reason,
                               String failureMessage) throws StoreException {
        store.write(c -> {
            Long candidate = candidateOf(c, alertId);
            if (candidate == null) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO alert_deliveries (alert_id, notifier, attempted_at, status, error)
                    VALUES (?, ?, ?, ?, ?)""")) {
                for (DeliveryAttempt a : attempts) {
                    ps.setLong(1, alertId);
                    ps.setString(2, a.notifier());
                    ps.setString(3, Timestamps.format(a.attemptedAt()));
                    ps.setString(4, a.status());
                    ps.setString(5, a.error());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            Instant now = store.now();
            String ts = Timestamps.format(now);
            String first = attempts.isEmpty() ? ts : Timestamps.format(attempts.getFirst().attemptedAt());
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE alerts SET delivery_attempted_at = COALESCE(delivery_attempted_at, ?),
                        failure_message = COALESCE(?, failure_message), updated_at = ?
                    WHERE id = ?""")) {
                ps.setString(1, first);
                ps.setString(2, failureMessage);
                ps.setString(3, ts);
                ps.setLong(4, alertId);
                ps.executeUpdate();
            }
            if (to != null) {
                if (change(c, alertId, candidate, AlertStatus.PENDING, to, reason, null, now)
                        && to == AlertStatus.DELIVERED) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET delivered_at = ? WHERE id = ?")) {
                        ps.setString(1, ts);
                        ps.setLong(2, alertId);
                        ps.executeUpdate();
                    }
                }
            } else {
                touch(c, candidate, ts);
            }
            return null;
        });
    }

    /** Ids of the alerts in {@code status}, oldest first. */
    public List<Long> alertsWithStatus(AlertStatus status) throws StoreException {
        return store.read(c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alerts WHERE status = ? ORDER BY id")) {
                ps.setString(1, status.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Analysed candidates without an alert, oldest first: their hand-over to the alert stage was lost (a crash
     * between the analysis and the alert; the inbox overflowed), or they were analysed by {@code eyes analyze} or
     * {@code eyes replay --analyze}, which have no alert stage.
     */
    public List<Long> unalerted() throws StoreException {
        return store.read(c -> {
            List<Long> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT id FROM alert_candidates
                    WHERE analysis_status = 'analyzed' AND alert_id IS NULL AND assessment_id IS NOT NULL
                    ORDER BY id""")) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /** The candidate's stored assessment as an insight, or null when it has none. */
    public Insight insight(long candidateId) throws StoreException {
        AlertRecord r = store.read(c -> AlertRows.hydrated(c, candidateId, false));
        if (r == null || r.analysis() == null) {
            return null;
        }
        return new Insight(r.summary(), r.rootCause(), r.recommendations(), r.evidence(), r.observationConfidence(),
                r.diagnosisConfidence(), r.limitations(), r.severity());
    }

    /** The facts of candidate {@code id}'s alert (read in its own snapshot), or null. */
    public Facts facts(long candidateId) throws StoreException {
        return store.read(c -> facts(c, candidateId));
    }

    /** The alert's candidate, or null. */
    public Long candidateOf(long alertId) throws StoreException {
        return store.read(c -> candidateOf(c, alertId));
    }

    /** The hydrated alert (for the webhook's {@code json} payload). */
    public AlertRecord record(long candidateId) throws StoreException {
        return store.getAlert(candidateId);
    }

    private static Long candidateOf(Connection c, long alertId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alert_candidates WHERE alert_id = ?")) {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Long assessmentId(Connection c, long candidateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT assessment_id FROM alert_candidates
                WHERE id = ? AND analysis_status = 'analyzed' AND assessment_id IS NOT NULL""")) {
            ps.setLong(1, candidateId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Severity rank(int r) {
        return switch (r) {
            case 3 -> Severity.CRITICAL;
            case 2 -> Severity.WARNING;
            case 1 -> Severity.INFO;
            default -> null;
        };
    }

    static Facts facts(Connection c, long candidateId) throws SQLException {
        Long alertId;
        AlertStatus alertStatus;
        Instant assessedAt;
        String rule;
        String source;
        Severity severity;
        long root;
        boolean selfResolved;
        String title;
        String body;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.alert_id, al.status, a.assessed_at, c.trigger_rule, "
                + "c.trigger_source, " + AlertRows.SEVERITY + ", COALESCE(c.group_parent_id, c.id), "
                + "c.resolution_status, al.notification_title, al.notification_body" + AlertRows.FROM
                + " WHERE c.id = ?")) {
            ps.setLong(1, candidateId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long a = rs.getLong(1);
                alertId = rs.wasNull() ? null : a;
                alertStatus = AlertStatus.parse(rs.getString(2));
                assessedAt = Timestamps.parse(rs.getString(3));
                rule = rs.getString(4);
                source = rs.getString(5);
                severity = Severity.parse(rs.getString(6));
                root = rs.getLong(7);
                selfResolved = "resolved".equals(rs.getString(8));
                title = rs.getString(9);
                body = rs.getString(10);
            }
        }
        boolean rootResolved;
        String ackBy;
        Instant ackAt;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT resolution_status, acknowledged_by, acknowledged_at FROM alert_candidates WHERE id = ?")) {
            ps.setLong(1, root);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rootResolved = "resolved".equals(rs.getString(1));
                ackBy = rs.getString(2);
                ackAt = Timestamps.parse(rs.getString(3));
            }
        }
        Severity groupLevel;
        Severity notifiedLevel;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(" + AlertRows.SEVERITY_RANK + "), "
                + "MAX(CASE WHEN al.status IN ('pending', 'queued', 'delivered') THEN "
                + AlertRows.SEVERITY_RANK + " END)" + AlertRows.FROM
                + " WHERE (c.id = ? OR c.group_parent_id = ?) AND c.id <> ?")) {
            ps.setLong(1, root);
            ps.setLong(2, root);
            ps.setLong(3, candidateId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                groupLevel = rank(rs.getInt(1));
                notifiedLevel = rank(rs.getInt(2));
            }
        }
        List<LogEvent> logs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT payload FROM alert_candidate_context_events
                WHERE candidate_id = ? AND event_kind = 'log' ORDER BY position""")) {
            ps.setLong(1, candidateId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    logs.add(EventJson.log(JsonTrees.parse(rs.getString(1))));
                }
            }
        }
        return new Facts(candidateId, alertId, alertStatus, assessedAt, rule, source, severity, logs, root,
                rootResolved, selfResolved, ackBy, ackAt, notifiedLevel, groupLevel, title, body);
    }
}
