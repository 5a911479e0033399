package dev.eyes.store;

import dev.eyes.event.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@link AlertStore} on the SQLite file. Each write is one {@code BEGIN IMMEDIATE} transaction, each read one
 * snapshot ({@code BEGIN DEFERRED}); both are retried while another process holds the lock ({@link Busy}).
 * Every state change is recorded with its reason in {@code alert_candidate_transitions}. Thread-safe.
 */
public final class SqliteAlertStore implements AlertStore {
    private final Database db;
    private final InstantSource clock;
    private final ConnectionPool pool;
    private final SilenceTable silences = new SilenceTable(this);
    private final AutoGroupRuleTable rules = new AutoGroupRuleTable(this);

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
            case "severity" -> AlertRows.SEVERITY_RANK;
            case "status" -> "c.analysis_status";
            case "summary" -> "COALESCE(a.summary, c.trigger_reason) COLLATE NOCASE";
            default -> "c.updated_at";
        };
        String dir = "asc".equalsIgnoreCase(r.order() == null ? "" : r.order().trim()) ? "ASC" : "DESC";
        Severity severity = AlertFilters.severityFilter("severity", r.severity());
        AlertFilters.Where facets = AlertFilters.common(r.status(), r.alertStatus(), r.rule(), r.source(), r.q(),
                r.acknowledged());
        AlertFilters.Where roots = facets.copy().add("c.group_parent_id IS NULL");
        if (!r.showResolved()) {
            roots.add("c.resolution_status = 'open'");
        }
        if (severity != null) {
            roots.add(AlertRows.SEVERITY + " = ?", severity.wireName());
        }
        return read(c -> {
            long critical = 0;
            long warning = 0;
            long info = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AlertRows.SEVERITY + ", COUNT(*)"
                    + AlertRows.FROM + facets.sql()
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
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + AlertRows.FROM + roots.sql())) {
                roots.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    groups = rs.getLong(1);
                }
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id" + AlertRows.FROM + roots.sql()
                    + " ORDER BY " + sort
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
            List<AlertRecord> rows = AlertRows.rowsInOrder(c, ids);
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
        Severity severity = AlertFilters.severityFilter("severity", r.severity());
        String resolution = null;
        if (r.resolutionStatus() != null && !r.resolutionStatus().isBlank()) {
            resolution = r.resolutionStatus().trim().toLowerCase(Locale.ROOT);
            if (!resolution.equals("open") && !resolution.equals("resolved")) {
                throw AlertException.invalid("resolution_status must be open or resolved");
            }
        }
        AlertFilters.Where w = AlertFilters.common(r.status(), r.alertStatus(), r.rule(), r.source(), r.query(),
                r.acknowledged());
        if (severity != null) {
            w.add(AlertRows.SEVERITY + " = ?", severity.wireName());
        }
        if (resolution != null) {
            w.add("c.resolution_status = ?", resolution);
        }
        return read(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + AlertRows.FROM + w.sql())) {
                w.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id" + AlertRows.FROM + w.sql()
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
            for (AlertRecord a : AlertRows.rowsInOrder(c, ids)) {
                out.add(AlertRows.summary(a));
            }
            return new AlertSearchPage(out, total, limit, offset);
        });
    }

    // ---- one alert -------------------------------------------------------------------------------------------

    @Override
    public AlertRecord getAlert(long id) throws StoreException {
        return read(c -> {
            AlertRecord a = AlertRows.hydrated(c, id, true);
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
                    AlertRecord s = AlertRows.hydrated(c, child, false);
                    if (s != null) {
                        similar.add(s);
                    }
                }
                a = a.withSimilarAlerts(similar);
            }
            return a;
        });
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

    @Override
    public AutoGroupRule createAutoGroupRule(AutoGroupRuleRequest r) throws StoreException {
        return rules.create(r);
    }

    @Override
    public List<AutoGroupRule> listAutoGroupRules() throws StoreException {
        return read(Grouping::rules);
    }

    @Override
    public AutoGroupRule deleteAutoGroupRule(long ruleId) throws StoreException {
        return rules.delete(ruleId);
    }

    // ---- silences (SilenceTable) -------------------------------------------------------------------------------

    @Override
    public Silence createSilence(SilenceRequest r) throws StoreException {
        return silences.create(r);
    }

    @Override
    public Silence updateSilence(long id, SilenceRequest r) throws StoreException {
        return silences.update(id, r);
    }

    @Override
    public Silence getSilence(long id) throws StoreException {
        return silences.get(id);
    }

    @Override
    public List<Silence> listSilences(boolean includeExpired) throws StoreException {
        return silences.list(includeExpired);
    }

    @Override
    public Silence expireSilence(long id) throws StoreException {
        return silences.expire(id);
    }
}
