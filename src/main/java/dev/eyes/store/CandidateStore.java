package dev.eyes.store;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.Severity;
import dev.eyes.json.JsonTrees;
import dev.eyes.rule.Trigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Candidates (stored triggers with their evidence), rule cooldowns and source checkpoints. Writes run inside the
 * caller's transaction (the {@link Recorder} owns the writer connection).
 */
public final class CandidateStore implements AutoCloseable {
    private final Database db;
    /** A kept connection for the self-check's frequent count. */
    private final ConnectionPool pool;
    private final Grouping grouping;

    /** Same-source grouping within {@link Grouping#DEFAULT_WINDOW}. */
    public CandidateStore(Database db) {
        this(db, new Grouping(Grouping.DEFAULT_WINDOW));
    }

    /** @param grouping how a new candidate joins a group (auto-group rules, same-source window) */
    public CandidateStore(Database db, Grouping grouping) {
        this.db = db;
        this.pool = new ConnectionPool(db, 1);
        this.grouping = grouping;
    }

    public Database database() {
        return db;
    }

    /**
     * Inserts a candidate, its context events, its first transition and its cooldown stamp, and groups it
     * ({@link Grouping}: auto-group rules, then same-source) — all in the caller's transaction, so a recorded
     * candidate is never seen ungrouped.
     *
     * @param failure the reason recorded with a non-pending initial status (e.g. automatic analysis off)
     */
    public long insert(Connection c, Trigger t, AnalysisStatus status, String failure) throws SQLException {
        String now = Timestamps.format(Instant.now());
        long id;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO alert_candidates (triggered_at, updated_at, trigger_rule, trigger_source, trigger_reason,
                    expected_severity, analysis_status, analysis_failure, log_event_count, metrics_event_count,
                    disk_event_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, Timestamps.format(t.timestamp()));
            ps.setString(2, now);
            ps.setString(3, t.rule());
            ps.setString(4, t.source());
            ps.setString(5, t.reason());
            ps.setString(6, t.expectedSeverity().wireName());
            ps.setString(7, status.wireName());
            ps.setString(8, failure);
            ps.setInt(9, t.logEvents().size());
            ps.setInt(10, t.metricsEvents().size());
            ps.setInt(11, t.diskEvents().size());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO alert_candidate_context_events (candidate_id, event_kind, position, payload)
                VALUES (?, ?, ?, ?)""")) {
            int i = 0;
            for (LogEvent e : t.logEvents()) {
                addContext(ps, id, "log", i++, JsonTrees.write(EventJson.log(e)));
            }
            i = 0;
            for (MetricsEvent e : t.metricsEvents()) {
                addContext(ps, id, "metrics", i++, JsonTrees.write(EventJson.metrics(e)));
            }
            i = 0;
            for (DiskEvent e : t.diskEvents()) {
                addContext(ps, id, "disk", i++, JsonTrees.write(EventJson.disk(e)));
            }
            ps.executeBatch();
        }
        Transitions.record(c, id, "analysis", null, status.wireName(),
                failure != null ? failure : "triggered: " + t.reason());
        grouping.apply(c, id, t);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO rule_cooldowns (cooldown_key, fired_at) VALUES (?, ?)
                ON CONFLICT (cooldown_key) DO UPDATE SET fired_at = excluded.fired_at
                WHERE excluded.fired_at > rule_cooldowns.fired_at""")) {
            ps.setString(1, t.cooldownKey());
            ps.setString(2, Timestamps.format(t.timestamp()));
            ps.executeUpdate();
        }
        return id;
    }

    private static void addContext(PreparedStatement ps, long id, String kind, int pos, String payload)
            throws SQLException {
        ps.setLong(1, id);
        ps.setString(2, kind);
        ps.setInt(3, pos);
        ps.setString(4, payload);
        ps.addBatch();
    }

    public void saveCheckpoints(Connection c, Map<String, String> positions) throws SQLException {
        String now = Timestamps.format(Instant.now());
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_checkpoints (source_id, position, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (source_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at""")) {
            for (Map.Entry<String, String> e : positions.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setString(2, e.getValue());
                ps.setString(3, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public Map<String, String> loadCheckpoints() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT source_id, position FROM source_checkpoints")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    public Map<String, Instant> loadCooldowns() throws SQLException {
        Map<String, Instant> out = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT cooldown_key, fired_at FROM rule_cooldowns")) {
            while (rs.next()) {
                out.put(rs.getString(1), Timestamps.parse(rs.getString(2)));
            }
        }
        return out;
    }

    /** Loads a stored candidate with its evidence, or null. */
    public StoredCandidate load(long id) throws SQLException {
        try (Connection c = db.connect()) {
            return load(c, id);
        }
    }

    public StoredCandidate load(Connection c, long id) throws SQLException {
        String rule;
        String source;
        String reason;
        Severity severity;
        Instant at;
        AnalysisStatus status;
        int attempts;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT triggered_at, trigger_rule, trigger_source, trigger_reason, expected_severity, analysis_status,
                    analysis_attempts
                FROM alert_candidates WHERE id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                at = Timestamps.parse(rs.getString(1));
                rule = rs.getString(2);
                source = rs.getString(3);
                reason = rs.getString(4);
                severity = Severity.parse(rs.getString(5));
                status = AnalysisStatus.parse(rs.getString(6));
                attempts = rs.getInt(7);
            }
        }
        List<LogEvent> logs = new ArrayList<>();
        List<MetricsEvent> metrics = new ArrayList<>();
        List<DiskEvent> disks = new ArrayList<>();
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
        return new StoredCandidate(id, new Trigger(at, rule, source, severity, reason, logs, metrics, disks), status,
                attempts);
    }

    /** Ids of candidates in a status, oldest first. */
    public List<Long> idsWithStatus(AnalysisStatus status) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM alert_candidates WHERE analysis_status = ? ORDER BY id")) {
            ps.setString(1, status.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    public long count() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM alert_candidates")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Candidates per analysis status (self-monitoring, every few seconds: on a kept connection; one indexed query). */
    public Map<String, Long> countByStatus() throws SQLException {
        try {
            return pool.with(c -> {
                Map<String, Long> out = new HashMap<>();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT analysis_status, COUNT(*) FROM alert_candidates"
                             + " GROUP BY analysis_status")) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return out;
            });
        } catch (StoreException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /** Closes the kept connection; a later call opens a new one. */
    @Override
    public void close() {
        pool.close();
    }
}
