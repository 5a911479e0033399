package dev.eyes.store;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@link AlertStore} on the SQLite file. Each write is one {@code BEGIN IMMEDIATE} transaction, each read one
 * snapshot ({@code BEGIN DEFERRED}); both are retried while another process holds the lock ({@link Busy}).
 * Every state change is recorded with its reason in {@code alert_candidate_transitions}. Thread-safe.
 */
public final class SqliteAlertStore implements AlertStore {
    static final String SEVERITY = "COALESCE(a.severity, c.expected_severity)";
    static final String SEVERITY_RANK = "(CASE " + SEVERITY + " WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END)";
    static final String FROM = " FROM alert_candidates c LEFT JOIN assessments a ON a.id = c.assessment_id"
            + " LEFT JOIN alerts al ON al.id = c.alert_id";
    private static final String ROW = """
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

    private final Database db;
    private final InstantSource clock;
    private final ConnectionPool pool;

    public SqliteAlertStore(Database db) {
        this(db, InstantSource.system());
    }

    /** @param clock the time written into the store and against which silences are judged (tests inject one) */
    public SqliteAlertStore(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
        this.pool = new ConnectionPool(db, 4);
    }

    public Database database() {
        return db;
    }

    public InstantSource clock() {
        return clock;
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    /** A write transaction, retried while the file is locked. */
    <T> T write(Tx.Body<T> body) throws StoreException {
        try {
            return Busy.retry(() -> pool.tx(body));
        } catch (SQLException e) {
            throw new StoreException("database error: " + SqlErrors.describe(e), e);
        }
    }

    /** A read snapshot, retried while the file is locked. */
    <T> T read(Tx.Body<T> body) throws StoreException {
        try {
            return Busy.retry(() -> pool.with(c -> Tx.read(c, body)));
        } catch (SQLException e) {
            throw new StoreException("database error: " + SqlErrors.describe(e), e);
        }
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * A value that changes whenever an alert is added or changes (analysis, grouping, resolution,
     * acknowledgement, reviews excepted), or a silence or auto-group rule is added, changed or removed — by this
     * process or another ({@code eyes mcp}, {@code eyes analyze}). Cheap: a few index look-ups. The dashboard polls
     * it while someone watches, to show changes made elsewhere.
     */
    public String changeMark() throws StoreException {
        return read(c -> {
            try (java.sql.Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("""
                         SELECT (SELECT MAX(id) FROM alert_candidates), (SELECT MAX(updated_at) FROM alert_candidates),
                             (SELECT COUNT(*) FROM silences), (SELECT MAX(id) FROM silences),
                             (SELECT MAX(expired_at) FROM silences),
                             (SELECT COUNT(*) FROM auto_group_rules), (SELECT MAX(id) FROM auto_group_rules)""")) {
                rs.next();
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 7; i++) {
                    b.append(rs.getString(i)).append('|');
                }
                return b.toString();
            }
        });
    }

    // ---- list and search -------------------------------------------------------------------------------------

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

    private static Severity severityFilter(String field, String s) throws AlertException {
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
    private static Where common(String status, String alertStatus, String rule, String source, String q,
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

    @Override
    public AlertPage listAlerts(AlertListRequest r) throws StoreException {
        int page = r.page() == null ? 1 : r.page();
        if (page < 1) {
            throw AlertException.invalid("page must be 1 or more");
        }
        int size = r.pageSize() == null ? AlertListRequest.DEFAULT_PAGE_SIZE
                : Math.clamp(r.pageSize(), AlertListRequest.MIN_PAGE_SIZE, AlertListRequest.MAX_PAGE_SIZE);
        String sortKey = r.sort() == null ? "" : r.sort().trim().toLowerCase(Locale.ROOT);
        String sort = switch (sortKey) {
            case "severity" -> SEVERITY_RANK;
            case "status" -> "c.analysis_status";
            case "summary" -> "COALESCE(a.summary, c.trigger_reason) COLLATE NOCASE";
            default -> "c.updated_at";
        };
        String dir = "asc".equalsIgnoreCase(r.order() == null ? "" : r.order().trim()) ? "ASC" : "DESC";
        Severity severity = severityFilter("severity", r.severity());
        Where facets = common(r.status(), r.alertStatus(), r.rule(), r.source(), r.q(), r.acknowledged());
        Where roots = facets.copy().add("c.group_parent_id IS NULL");
        if (!r.showResolved()) {
            roots.add("c.resolution_status = 'open'");
        }
        if (severity != null) {
            roots.add(SEVERITY + " = ?", severity.wireName());
        }
        return read(c -> {
            long critical = 0;
            long warning = 0;
            long info = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SEVERITY + ", COUNT(*)" + FROM + facets.sql()
                    + " GROUP BY 1")) {
                facets.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        switch (rs.getString(1)) {
                            case "critical" -> critical = rs.getLong(2);
                            case "warning" -> warning = rs.getLong(2);
                            default -> info += rs.getLong(2);
                        }
                    }
                }
            }
            long groups;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + FROM + roots.sql())) {
                roots.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    groups = rs.getLong(1);
                }
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id" + FROM + roots.sql() + " ORDER BY " + sort
                    + " " + dir + ", c.id " + dir + " LIMIT ? OFFSET ?")) {
                int i = roots.bind(ps, 1);
                ps.setInt(i++, size);
                ps.setLong(i, (long) (page - 1) * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            List<AlertRecord> rows = rowsInOrder(c, ids);
            int pages = (int) ((groups + size - 1) / size);
            return new AlertPage(rows, new AlertPage.Counts(critical + warning + info, critical, warning, info),
                    groups, page, size, pages);
        });
    }

    @Override
    public AlertSearchPage searchAlerts(AlertSearchRequest r) throws StoreException {
        if (r.query() != null && r.query().isBlank()) {
            throw AlertException.invalid("query cannot be empty");
        }
        int limit = r.limit() == null ? AlertSearchRequest.DEFAULT_LIMIT : r.limit();
        if (limit < 1 || limit > AlertSearchRequest.MAX_LIMIT) {
            throw AlertException.invalid("limit must be 1.." + AlertSearchRequest.MAX_LIMIT);
        }
        int offset = r.offset() == null ? 0 : r.offset();
        if (offset < 0) {
            throw AlertException.invalid("offset must be 0 or more");
        }
        Severity severity = severityFilter("severity", r.severity());
        String resolution = null;
        if (r.resolutionStatus() != null && !r.resolutionStatus().isBlank()) {
            resolution = r.resolutionStatus().trim().toLowerCase(Locale.ROOT);
            if (!resolution.equals("open") && !resolution.equals("resolved")) {
                throw AlertException.invalid("resolution_status must be open or resolved");
            }
        }
        Where w = common(r.status(), r.alertStatus(), r.rule(), r.source(), r.query(), r.acknowledged());
        if (severity != null) {
            w.add(SEVERITY + " = ?", severity.wireName());
        }
        if (resolution != null) {
            w.add("c.resolution_status = ?", resolution);
        }
        return read(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + FROM + w.sql())) {
                w.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id" + FROM + w.sql()
                    + " ORDER BY c.triggered_at DESC, c.id DESC LIMIT ? OFFSET ?")) {
                int i = w.bind(ps, 1);
                ps.setInt(i++, limit);
                ps.setInt(i, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            List<AlertSummary> out = new ArrayList<>();
            for (AlertRecord a : rowsInOrder(c, ids)) {
                out.add(summary(a));
            }
            return new AlertSearchPage(out, total, limit, offset);
        });
    }

    static AlertSummary summary(AlertRecord a) {
        return new AlertSummary(a.id(), a.groupParentId(), a.assessedAt(), a.updatedAt(), a.summary(), a.severity(),
                a.analysisStatus(), a.resolutionStatus(), a.resolvedAt(), a.triggeredBy(), a.triggerSource(),
                a.similarAlertCount(), a.agentReviewCount(), a.status(), a.acknowledgedAt(), a.acknowledgedBy());
    }

    /** The rows (without lists) of {@code ids}, in that order. */
    private static List<AlertRecord> rowsInOrder(Connection c, List<Long> ids) throws SQLException {
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

    private static AlertRecord row(ResultSet rs) throws SQLException {
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

    // ---- one alert -------------------------------------------------------------------------------------------

    @Override
    public AlertRecord getAlert(long id) throws StoreException {
        return read(c -> {
            AlertRecord a = hydrated(c, id, true);
            if (a == null) {
                throw AlertException.noCandidate(id);
            }
            if (a.root() && a.similarAlertCount() > 0) {
                List<Long> children = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT id FROM alert_candidates WHERE group_parent_id = ?
                        ORDER BY triggered_at DESC, id DESC LIMIT ?""")) {
                    ps.setLong(1, id);
                    ps.setInt(2, SIMILAR_ALERTS_SHOWN);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            children.add(rs.getLong(1));
                        }
                    }
                }
                List<AlertRecord> similar = new ArrayList<>();
                for (long child : children) {
                    AlertRecord s = hydrated(c, child, false);
                    if (s != null) {
                        similar.add(s);
                    }
                }
                a = a.withSimilarAlerts(similar);
            }
            return a;
        });
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
                        JsonNode n = EventJson.MAPPER.readTree(rs.getString(2));
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

    private static List<AgentReview> reviews(Connection c, long id) throws SQLException {
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

    // ---- reviews, resolution, acknowledgement ----------------------------------------------------------------

    private static String required(String value, String field) throws AlertException {
        if (value == null || value.isBlank()) {
            throw AlertException.invalid(field + " cannot be empty");
        }
        return value.trim();
    }

    /** The candidate's resolution status, or throws "does not exist". */
    private static String resolution(Connection c, long id) throws SQLException, AlertException {
        try (PreparedStatement ps = c.prepareStatement("SELECT resolution_status FROM alert_candidates WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw AlertException.noCandidate(id);
                }
                return rs.getString(1);
            }
        }
    }

    private AgentReview insertReview(Connection c, long id, String agent, String type, String body, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO alert_agent_reviews (candidate_id, created_at, agent_name, review_type, body)
                VALUES (?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, id);
            ps.setString(2, Timestamps.format(at));
            ps.setString(3, agent);
            ps.setString(4, type);
            ps.setString(5, body);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new AgentReview(keys.getLong(1), id, at, agent, type, body);
            }
        }
    }

    @Override
    public AgentReview appendAgentReview(long id, String agentName, String review) throws StoreException {
        String agent = required(agentName, "agent_name");
        String body = required(review, "review");
        return write(c -> {
            resolution(c, id);
            return insertReview(c, id, agent, "review", body, now());
        });
    }

    @Override
    public AgentReview resolveAlert(long id, String agentName, String resolutionText) throws StoreException {
        String agent = required(agentName, "agent_name");
        String body = required(resolutionText, "resolution");
        return write(c -> {
            if ("resolved".equals(resolution(c, id))) {
                throw AlertException.conflict("Alert " + id + " is already resolved");
            }
            Instant at = now();
            String ts = Timestamps.format(at);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE alert_candidates SET resolution_status = 'resolved', resolved_at = ?, updated_at = ?
                    WHERE id = ? AND resolution_status = 'open'""")) {
                ps.setString(1, ts);
                ps.setString(2, ts);
                ps.setLong(3, id);
                if (ps.executeUpdate() != 1) {
                    throw AlertException.conflict("Alert " + id + " is already resolved");
                }
            }
            AgentReview r = insertReview(c, id, agent, "resolution", body, at);
            Transitions.record(c, id, "resolution", "open", "resolved", "resolved by " + agent + ": " + body, at);
            return r;
        });
    }

    @Override
    public AlertRecord acknowledgeAlert(long id, String acknowledgedBy, String note) throws StoreException {
        String who = required(acknowledgedBy, "acknowledged_by");
        String text = note == null || note.isBlank() ? null : note.trim();
        long root = write(c -> {
            Long r = Grouping.rootOf(c, id);
            if (r == null) {
                throw AlertException.noCandidate(id);
            }
            String by;
            String res;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT acknowledged_by, resolution_status FROM alert_candidates WHERE id = ?")) {
                ps.setLong(1, r);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    by = rs.getString(1);
                    res = rs.getString(2);
                }
            }
            if ("resolved".equals(res)) {
                throw AlertException.conflict("Alert " + r + " is already resolved");
            }
            if (by != null) {
                throw AlertException.conflict("Alert " + r + " is already acknowledged by " + by);
            }
            Instant at = now();
            String ts = Timestamps.format(at);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE alert_candidates SET acknowledged_at = ?, acknowledged_by = ?, acknowledgement_note = ?,
                        updated_at = ?
                    WHERE id = ? AND acknowledged_at IS NULL""")) {
                ps.setString(1, ts);
                ps.setString(2, who);
                ps.setString(3, text);
                ps.setString(4, ts);
                ps.setLong(5, r);
                ps.executeUpdate();
            }
            String via = r == id ? "" : " (through alert " + id + ")";
            insertReview(c, r, who, "acknowledgement", (text == null ? "Acknowledged" : text) + via, at);
            Transitions.record(c, r, "acknowledgement", null, "acknowledged", "acknowledged by " + who + via
                    + (text == null ? "" : ": " + text), at);
            return r;
        });
        return getAlert(root);
    }

    // ---- grouping --------------------------------------------------------------------------------------------

    @Override
    public AlertRecord attachSimilarAlerts(long primaryId, List<Long> similarIds) throws StoreException {
        if (similarIds == null || similarIds.isEmpty()) {
            throw AlertException.invalid("Invalid alert grouping: similar_alert_ids cannot be empty");
        }
        Set<Long> seen = new HashSet<>();
        for (Long s : similarIds) {
            if (s == null) {
                throw AlertException.invalid("Invalid alert grouping: similar_alert_ids cannot contain null");
            }
            if (!seen.add(s)) {
                throw AlertException.invalid("Invalid alert grouping: alert " + s + " is listed more than once");
            }
            if (s == primaryId) {
                throw AlertException.invalid("Invalid alert grouping: alert " + primaryId
                        + " cannot be grouped under itself");
            }
        }
        write(c -> {
            Long primaryRoot = Grouping.rootOf(c, primaryId);
            if (primaryRoot == null) {
                throw AlertException.noCandidate(primaryId);
            }
            if (primaryRoot != primaryId) {
                throw AlertException.invalid("Invalid alert grouping: alert " + primaryId + " is grouped under alert "
                        + primaryRoot + "; use " + primaryRoot + " as the primary");
            }
            for (long s : similarIds) {
                if (Grouping.rootOf(c, s) == null) {
                    throw AlertException.noCandidate(s);
                }
            }
            Instant at = now();
            String ts = Timestamps.format(at);
            for (long s : similarIds) {
                List<Long> children = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM alert_candidates WHERE group_parent_id = ? ORDER BY id")) {
                    ps.setLong(1, s);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            children.add(rs.getLong(1));
                        }
                    }
                }
                for (long child : children) {
                    setParent(c, child, primaryId);
                    Transitions.record(c, child, "group", "child of " + s, "child of " + primaryId,
                            "its group's root, alert " + s + ", was attached to alert " + primaryId, at);
                }
                Long before = parent(c, s);
                if (before == null || before != primaryId) {
                    setParent(c, s, primaryId);
                    Transitions.record(c, s, "group", before == null ? "root" : "child of " + before,
                            "child of " + primaryId, "attached to alert " + primaryId + " as a similar alert", at);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE auto_group_rules SET target_alert_id = ? WHERE target_alert_id = ?")) {
                    ps.setLong(1, primaryId);
                    ps.setLong(2, s);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE alert_candidates SET updated_at = ? WHERE id = ?")) {
                ps.setString(1, ts);
                ps.setLong(2, primaryId);
                ps.executeUpdate();
            }
            return null;
        });
        return getAlert(primaryId);
    }

    private static Long parent(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT group_parent_id FROM alert_candidates WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long p = rs.getLong(1);
                return rs.wasNull() ? null : p;
            }
        }
    }

    private static void setParent(Connection c, long id, long parent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert_candidates SET group_parent_id = ? WHERE id = ?")) {
            ps.setLong(1, parent);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    // ---- auto-group rules ------------------------------------------------------------------------------------

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public AutoGroupRule createAutoGroupRule(AutoGroupRuleRequest r) throws StoreException {
        String process = trimmed(r.process());
        String subsystem = trimmed(r.subsystem());
        String source = trimmed(r.triggerSource());
        String by = trimmed(r.triggeredBy());
        if (process == null && subsystem == null && source == null && by == null) {
            throw AlertException.invalid("Invalid auto-group rule: at least one of process, subsystem, trigger_source "
                    + "or triggered_by is required");
        }
        String regex = r.messageRegex() == null ? "" : r.messageRegex().trim();
        if (regex.isEmpty()) {
            throw AlertException.invalid("Invalid auto-group rule: message_regex cannot be empty");
        }
        String problem = Regexes.problem(regex);
        if (problem != null) {
            throw AlertException.invalid("Invalid auto-group rule: message_regex is not a valid regular expression: "
                    + problem);
        }
        return write(c -> {
            Long target = Grouping.rootOf(c, r.targetAlertId());
            if (target == null) {
                throw AlertException.noCandidate(r.targetAlertId());
            }
            Instant at = now();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO auto_group_rules (created_at, target_alert_id, process, subsystem, trigger_source,
                        triggered_by, message_regex)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, Timestamps.format(at));
                ps.setLong(2, target);
                setNullable(ps, 3, process);
                setNullable(ps, 4, subsystem);
                setNullable(ps, 5, source);
                setNullable(ps, 6, by);
                ps.setString(7, regex);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new AutoGroupRule(keys.getLong(1), at, target, process, subsystem, source, by, regex);
                }
            }
        });
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }

    @Override
    public List<AutoGroupRule> listAutoGroupRules() throws StoreException {
        return read(Grouping::rules);
    }

    @Override
    public AutoGroupRule deleteAutoGroupRule(long ruleId) throws StoreException {
        return write(c -> {
            AutoGroupRule found = null;
            for (AutoGroupRule r : Grouping.rules(c)) {
                if (r.id() == ruleId) {
                    found = r;
                }
            }
            if (found == null) {
                throw AlertException.notFound("rule " + ruleId + " does not exist");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM auto_group_rules WHERE id = ?")) {
                ps.setLong(1, ruleId);
                ps.executeUpdate();
            }
            return found;
        });
    }

    // ---- silences --------------------------------------------------------------------------------------------

    private record SilenceSpec(String createdBy, String comment, Instant startsAt, Instant endsAt, String rule,
                               String source, String process, String subsystem, Severity minimumSeverity,
                               String messageRegex) {
    }

    private SilenceSpec validate(SilenceRequest r, String existingCreator) throws AlertException {
        String creator = trimmed(r.createdBy());
        if (creator == null) {
            creator = existingCreator;
        }
        if (creator == null) {
            throw AlertException.invalid("Invalid silence: created_by cannot be empty");
        }
        Severity min = null;
        if (trimmed(r.minimumSeverity()) != null) {
            min = Severity.parse(r.minimumSeverity());
            if (min == null) {
                throw AlertException.invalid("Invalid silence: minimum_severity must be one of " + Severity.allowed());
            }
        }
        String regex = trimmed(r.messageRegex());
        if (regex != null) {
            String problem = Regexes.problem(regex);
            if (problem != null) {
                throw AlertException.invalid("Invalid silence: message_regex is not a valid regular expression: "
                        + problem);
            }
        }
        String rule = trimmed(r.rule());
        String source = trimmed(r.source());
        String process = trimmed(r.process());
        String subsystem = trimmed(r.subsystem());
        if (rule == null && source == null && process == null && subsystem == null && min == null && regex == null) {
            throw AlertException.invalid("Invalid silence: at least one matcher is required (rule, source, process, "
                    + "subsystem, minimum_severity or message_regex)");
        }
        Instant now = now();
        Instant starts = r.startsAt() == null ? now : r.startsAt();
        if (r.endsAt() != null && r.duration() != null) {
            throw AlertException.invalid("Invalid silence: give ends_at or a duration, not both");
        }
        Instant ends;
        if (r.endsAt() != null) {
            ends = r.endsAt();
        } else if (r.duration() != null) {
            if (r.duration().isNegative() || r.duration().isZero()) {
                throw AlertException.invalid("Invalid silence: the duration must be positive");
            }
            ends = starts.plus(r.duration());
        } else {
            throw AlertException.invalid("Invalid silence: ends_at or a duration is required");
        }
        if (!ends.isAfter(starts)) {
            throw AlertException.invalid("Invalid silence: ends_at must be after starts_at");
        }
        if (!ends.isAfter(now)) {
            throw AlertException.invalid("Invalid silence: ends_at must be in the future");
        }
        return new SilenceSpec(creator, r.comment() == null ? "" : r.comment().trim(), starts, ends, rule, source,
                process, subsystem, min, regex);
    }

    private static void bindSpec(PreparedStatement ps, int from, SilenceSpec s) throws SQLException {
        ps.setString(from, Timestamps.format(s.startsAt()));
        ps.setString(from + 1, Timestamps.format(s.endsAt()));
        ps.setString(from + 2, s.comment());
        setNullable(ps, from + 3, s.rule());
        setNullable(ps, from + 4, s.source());
        setNullable(ps, from + 5, s.process());
        setNullable(ps, from + 6, s.subsystem());
        setNullable(ps, from + 7, s.minimumSeverity() == null ? null : s.minimumSeverity().wireName());
        setNullable(ps, from + 8, s.messageRegex());
    }

    @Override
    public Silence createSilence(SilenceRequest r) throws StoreException {
        SilenceSpec s = validate(r, null);
        long id = write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO silences (created_at, created_by, starts_at, ends_at, comment, rule, source, process,
                        subsystem, minimum_severity, message_regex)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, Timestamps.format(now()));
                ps.setString(2, s.createdBy());
                bindSpec(ps, 3, s);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return getSilence(id);
    }

    @Override
    public Silence updateSilence(long id, SilenceRequest r) throws StoreException {
        Silence existing = getSilence(id);
        if (Silence.EXPIRED.equals(existing.state())) {
            throw AlertException.conflict("Silence " + id + " is already expired");
        }
        SilenceSpec s = validate(r, existing.createdBy());
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE silences SET starts_at = ?, ends_at = ?, comment = ?, rule = ?, source = ?, process = ?,
                        subsystem = ?, minimum_severity = ?, message_regex = ?
                    WHERE id = ? AND expired_at IS NULL""")) {
                bindSpec(ps, 1, s);
                ps.setLong(10, id);
                if (ps.executeUpdate() != 1) {
                    throw AlertException.conflict("Silence " + id + " is already expired");
                }
            }
            return null;
        });
        return getSilence(id);
    }

    private static final String SILENCE_ROW = """
            SELECT s.id, s.created_at, s.starts_at, s.ends_at, s.expired_at, s.created_by, s.comment, s.rule, s.source,
                s.process, s.subsystem, s.minimum_severity, s.message_regex,
                (SELECT COUNT(*) FROM alerts al WHERE al.silence_id = s.id)
            FROM silences s""";

    private Silence silence(ResultSet rs, Instant now) throws SQLException {
        Instant starts = Timestamps.parse(rs.getString(3));
        Instant ends = Timestamps.parse(rs.getString(4));
        Instant expired = Timestamps.parse(rs.getString(5));
        return new Silence(rs.getLong(1), Timestamps.parse(rs.getString(2)), starts, ends, expired, rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                Severity.parse(rs.getString(12)), rs.getString(13), Silence.stateAt(now, starts, ends, expired),
                rs.getLong(14));
    }

    @Override
    public Silence getSilence(long id) throws StoreException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SILENCE_ROW + " WHERE s.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw AlertException.notFound("Silence " + id + " does not exist");
                    }
                    return silence(rs, now());
                }
            }
        });
    }

    @Override
    public List<Silence> listSilences(boolean includeExpired) throws StoreException {
        Instant now = now();
        List<Silence> all = read(c -> {
            List<Silence> out = new ArrayList<>();
            String where = includeExpired ? "" : " WHERE s.expired_at IS NULL AND s.ends_at > ?";
            try (PreparedStatement ps = c.prepareStatement(SILENCE_ROW + where)) {
                if (!includeExpired) {
                    ps.setString(1, Timestamps.format(now));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(silence(rs, now));
                    }
                }
            }
            return out;
        });
        List<Silence> live = new ArrayList<>(all.stream().filter(s -> !Silence.EXPIRED.equals(s.state()))
                .sorted(Comparator.comparing(Silence::endsAt).thenComparing(Silence::id)).toList());
        all.stream().filter(s -> Silence.EXPIRED.equals(s.state()))
                .sorted(Comparator.comparing((Silence s) -> s.expiredAt() != null ? s.expiredAt() : s.endsAt())
                        .thenComparing(Silence::id).reversed())
                .forEach(live::add);
        return live;
    }

    /** Silences active at {@code now}, in id order (the first match names the silence). */
    static List<Silence> activeSilences(Connection c, Instant now) throws SQLException {
        List<Silence> out = new ArrayList<>();
        String ts = Timestamps.format(now);
        try (PreparedStatement ps = c.prepareStatement(SILENCE_ROW
                + " WHERE s.expired_at IS NULL AND s.starts_at <= ? AND s.ends_at > ? ORDER BY s.id")) {
            ps.setString(1, ts);
            ps.setString(2, ts);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant starts = Timestamps.parse(rs.getString(3));
                    Instant ends = Timestamps.parse(rs.getString(4));
                    out.add(new Silence(rs.getLong(1), Timestamps.parse(rs.getString(2)), starts, ends, null,
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), Severity.parse(rs.getString(12)), rs.getString(13), Silence.ACTIVE,
                            rs.getLong(14)));
                }
            }
        }
        return out;
    }

    @Override
    public Silence expireSilence(long id) throws StoreException {
        write(c -> {
            Instant now = now();
            String starts;
            String ends;
            String expired;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT starts_at, ends_at, expired_at FROM silences WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw AlertException.notFound("Silence " + id + " does not exist");
                    }
                    starts = rs.getString(1);
                    ends = rs.getString(2);
                    expired = rs.getString(3);
                }
            }
            if (Silence.EXPIRED.equals(Silence.stateAt(now, Timestamps.parse(starts), Timestamps.parse(ends),
                    Timestamps.parse(expired)))) {
                throw AlertException.conflict("Silence " + id + " is already expired");
            }
            String ts = Timestamps.format(now);
            // it ended now (or, if it had not started, at its start)
            String end = ts.compareTo(starts) < 0 ? starts : ts;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE silences SET expired_at = ?, ends_at = ? WHERE id = ?")) {
                ps.setString(1, ts);
                ps.setString(2, end.compareTo(ends) < 0 ? end : ends);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            return null;
        });
        return getSilence(id);
    }
}
