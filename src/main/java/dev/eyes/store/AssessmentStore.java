package dev.eyes.store;

import dev.eyes.analysis.AnalysisMetadata;
import dev.eyes.analysis.AnalysisRecords;
import dev.eyes.analysis.Insight;
import dev.eyes.event.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysis lifecycle of candidates and their assessments (reference §10):
 * {@code pending → analyzed | failed}, {@code not_done} when automatic analysis is off, and
 * {@code failed | not_done → pending} by a manual retry. Each change is one {@code BEGIN IMMEDIATE} transaction
 * and is recorded, with its reason, in {@code alert_candidate_transitions}; so is every failed attempt. Also the
 * queue of manual analysis requests ({@code analysis_requests}) through which other processes (dashboard, MCP)
 * ask the running observer for an analysis.
 */
public final class AssessmentStore implements AnalysisRecords, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AssessmentStore.class);
    public static final String ASPECT = "analysis";
    /** At most this many requests are taken per poll. */
    static final int REQUESTS_PER_POLL = 100;

    /** An assessment as stored, with how it was obtained. */
    public record StoredAssessment(long id, long candidateId, Instant assessedAt, Insight insight,
                                   AnalysisMetadata metadata) {
    }

    private final Database db;
    private final CandidateStore candidates;
    private final ConnectionPool pool;

    public AssessmentStore(Database db) {
        this.db = db;
        this.candidates = new CandidateStore(db);
        this.pool = new ConnectionPool(db, 4);
    }

    public Database database() {
        return db;
    }

    /** Closes the pooled connections (the store stays usable: it opens new ones when asked). */
    @Override
    public void close() {
        pool.close();
    }

    // ---- the analyzer's side -------------------------------------------------------------------------------

    @Override
    public Candidate load(long id) throws SQLException {
        StoredCandidate c;
        try {
            c = pool.with(conn -> candidates.load(conn, id));
        } catch (StoreException e) {
            throw new SQLException(e.getMessage(), e);
        }
        return c == null ? null : new Candidate(id, c.trigger(), c.status() == AnalysisStatus.PENDING, c.attempts());
    }

    @Override
    public List<Long> pending() throws SQLException {
        return candidates.idsWithStatus(AnalysisStatus.PENDING);
    }

    @Override
    public void attemptFailed(long id, int attempts, String error, String next) throws SQLException, StoreException {
        pool.tx(conn -> {
            String now = Timestamps.format(Instant.now());
            try (PreparedStatement ps = conn.prepareStatement("""
                    UPDATE alert_candidates SET analysis_attempts = ?, analysis_failure = ?, updated_at = ?
                    WHERE id = ? AND analysis_status = 'pending'""")) {
                ps.setInt(1, attempts);
                ps.setString(2, error);
                ps.setString(3, now);
                ps.setLong(4, id);
                if (ps.executeUpdate() == 1) {
                    Transitions.record(conn, id, ASPECT, "pending", "pending",
                            "attempt " + attempts + " failed: " + error + "; " + next);
                }
            }
            return null;
        });
    }

    @Override
    public OptionalLong analyzed(long id, Insight insight, AnalysisMetadata meta) throws SQLException, StoreException {
        return pool.tx(conn -> {
            AnalysisStatus status = status(conn, id);
            if (status != AnalysisStatus.PENDING) {
                return OptionalLong.empty();
            }
            String now = Timestamps.format(Instant.now());
            long assessment;
            try (PreparedStatement ps = conn.prepareStatement("""
                    INSERT INTO assessments (assessed_at, summary, root_cause, severity, observation_confidence,
                        diagnosis_confidence, backend, model, latency_ms, attempts, redaction_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, now);
                ps.setString(2, insight.summary());
                if (insight.rootCause() == null) {
                    ps.setNull(3, Types.VARCHAR);
                } else {
                    ps.setString(3, insight.rootCause());
                }
                ps.setString(4, insight.severity().wireName());
                ps.setString(5, insight.observationConfidence());
                ps.setString(6, insight.diagnosisConfidence());
                ps.setString(7, meta.backend());
                ps.setString(8, meta.model());
                ps.setLong(9, meta.latencyMillis());
                ps.setInt(10, meta.attempts());
                ps.setInt(11, meta.redactionCount());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    assessment = keys.getLong(1);
                }
            }
            insertTexts(conn, "assessment_recommendations", assessment, insight.recommendations());
            insertTexts(conn, "assessment_evidence", assessment, insight.evidence());
            insertTexts(conn, "assessment_limitations", assessment, insight.limitations());
            try (PreparedStatement ps = conn.prepareStatement("""
                    UPDATE alert_candidates SET analysis_status = 'analyzed', analysis_failure = NULL,
                        analysis_attempts = ?, assessment_id = ?, updated_at = ?
                    WHERE id = ? AND analysis_status = 'pending'""")) {
                ps.setInt(1, meta.attempts());
                ps.setLong(2, assessment);
                ps.setString(3, now);
                ps.setLong(4, id);
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("candidate " + id + " changed while its assessment was stored");
                }
            }
            Transitions.record(conn, id, ASPECT, "pending", "analyzed", "analyzed by " + meta.backend() + " ("
                    + meta.model() + ") in " + meta.latencyMillis() + " ms, attempt " + meta.attempts()
                    + (meta.redactionCount() > 0 ? ", " + meta.redactionCount() + " redaction(s)" : ""));
            return OptionalLong.of(assessment);
        });
    }

    @Override
    public void failed(long id, int attempts, String reason) throws SQLException, StoreException {
        pool.tx(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("""
                    UPDATE alert_candidates SET analysis_status = 'failed', analysis_failure = ?,
                        analysis_attempts = ?, updated_at = ?
                    WHERE id = ? AND analysis_status = 'pending'""")) {
                ps.setString(1, reason);
                ps.setInt(2, attempts);
                ps.setString(3, Timestamps.format(Instant.now()));
                ps.setLong(4, id);
                if (ps.executeUpdate() == 1) {
                    Transitions.record(conn, id, ASPECT, "pending", "failed", reason);
                }
            }
            return null;
        });
    }

    @Override
    public List<Long> takeRequests() throws SQLException, StoreException {
        return pool.with(c -> {
            // the common case — nothing asked — costs one indexed read and no write lock
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1 FROM analysis_requests LIMIT 1")) {
                if (!rs.next()) {
                    return List.of();
                }
            }
            return Tx.run(c, conn -> {
                record Request(long id, long candidate, String by) {
                }
                List<Request> requests = new ArrayList<>();
                try (PreparedStatement ps = conn.prepareStatement(
                        "SELECT id, candidate_id, requested_by FROM analysis_requests ORDER BY id LIMIT ?")) {
                    ps.setInt(1, REQUESTS_PER_POLL);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            requests.add(new Request(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                        }
                    }
                }
                Set<Long> out = new LinkedHashSet<>();
                for (Request r : requests) {
                    AnalysisStatus s = status(conn, r.candidate());
                    if (s == AnalysisStatus.PENDING) {
                        out.add(r.candidate());
                    } else if (s == AnalysisStatus.FAILED || s == AnalysisStatus.NOT_DONE) {
                        toPending(conn, r.candidate(), s, "manual analysis requested by " + r.by());
                        out.add(r.candidate());
                    } else if (s != null) {
                        LOG.info("analysis: request {} for candidate {} ignored: it is already {}", r.id(),
                                r.candidate(), s.wireName());
                    }
                    try (PreparedStatement ps = conn.prepareStatement("DELETE FROM analysis_requests WHERE id = ?")) {
                        ps.setLong(1, r.id());
                        ps.executeUpdate();
                    }
                }
                return new ArrayList<>(out);
            });
        });
    }

    /** A locked database, a full disk or an I/O error anywhere in the cause chain: worth retrying. */
    @Override
    public boolean transientFailure(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && SqlErrors.isTransient(s)) {
                return true;
            }
        }
        return false;
    }

    // ---- the API of the dashboard, the MCP server and the CLI ------------------------------------------------

    /**
     * Manual analysis, step one: moves a {@code failed} or {@code not_done} candidate back to {@code pending}
     * (attempts reset), recording why. The caller then queues it ({@code Analyzer.submit}) — or, from another
     * process, uses {@link #requestAnalysis}.
     *
     * @throws CandidateNotFoundException "Alert candidate {id} does not exist" (404)
     * @throws CandidateStateException    "Alert candidate {id} cannot be analyzed while its status is '{s}'" (409)
     */
    public void retryCandidate(long id, String reason) throws SQLException, StoreException {
        pool.tx(conn -> {
            checkRetryable(conn, id, reason);
            return null;
        });
    }

    /**
     * For another process (dashboard, MCP) than the running observer: {@link #retryCandidate} plus a row in
     * {@code analysis_requests}, in one transaction; the observer picks it up within a few seconds (or re-queues
     * the pending candidate at its next start).
     */
    public void requestAnalysis(long id, String requestedBy) throws SQLException, StoreException {
        pool.tx(conn -> {
            checkRetryable(conn, id, "manual analysis requested by " + requestedBy);
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO analysis_requests (candidate_id, requested_at, requested_by) VALUES (?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, Timestamps.format(Instant.now()));
                ps.setString(3, requestedBy);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void checkRetryable(Connection conn, long id, String reason) throws SQLException, StoreException {
        AnalysisStatus s = status(conn, id);
        if (s == null) {
            throw new CandidateNotFoundException(id);
        }
        if (s != AnalysisStatus.FAILED && s != AnalysisStatus.NOT_DONE) {
            throw new CandidateStateException(id, s);
        }
        if (!toPending(conn, id, s, reason)) {
            throw new CandidateStateException(id, "Alert candidate " + id + " changed concurrently; try again");
        }
    }

    private static boolean toPending(Connection conn, long id, AnalysisStatus from, String reason)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("""
                UPDATE alert_candidates SET analysis_status = 'pending', analysis_failure = NULL, analysis_attempts = 0,
                    updated_at = ?
                WHERE id = ? AND analysis_status = ?""")) {
            ps.setString(1, Timestamps.format(Instant.now()));
            ps.setLong(2, id);
            ps.setString(3, from.wireName());
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        Transitions.record(conn, id, ASPECT, from.wireName(), "pending", reason);
        return true;
    }

    /** The candidate's analysis status, or null when it does not exist. */
    public AnalysisStatus status(long id) throws SQLException {
        try (Connection c = db.connect()) {
            return status(c, id);
        }
    }

    static AnalysisStatus status(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT analysis_status FROM alert_candidates WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? AnalysisStatus.parse(rs.getString(1)) : null;
            }
        }
    }

    /** The candidate's last analysis failure (or the last attempt's error while pending), or null. */
    public String failure(long id) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT analysis_failure FROM alert_candidates WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Attempts recorded on the candidate for its current analysis run. */
    public int attempts(long id) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT analysis_attempts FROM alert_candidates WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** The candidate's assessment, or null when it has none. */
    public StoredAssessment assessmentOf(long candidateId) throws SQLException {
        try (Connection c = db.connect()) {
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT assessment_id FROM alert_candidates WHERE id = ? AND assessment_id IS NOT NULL")) {
                ps.setLong(1, candidateId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT assessed_at, summary, root_cause, severity, observation_confidence, diagnosis_confidence,
                        backend, model, latency_ms, attempts, redaction_count
                    FROM assessments WHERE id = ?""")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Insight insight = new Insight(rs.getString(2), rs.getString(3),
                            texts(c, "assessment_recommendations", id), texts(c, "assessment_evidence", id),
                            rs.getString(5), rs.getString(6), texts(c, "assessment_limitations", id),
                            Severity.parse(rs.getString(4)));
                    AnalysisMetadata meta = new AnalysisMetadata(rs.getString(7), rs.getString(8), rs.getLong(9),
                            rs.getInt(10), rs.getInt(11));
                    return new StoredAssessment(id, candidateId, Timestamps.parse(rs.getString(1)), insight, meta);
                }
            }
        }
    }

    /** The analysis history of a candidate: "from → to: reason" lines, oldest first. */
    public List<String> history(long candidateId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT from_status, to_status, reason FROM alert_candidate_transitions
                WHERE candidate_id = ? AND aspect = 'analysis' ORDER BY id""")) {
            ps.setLong(1, candidateId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add((rs.getString(1) == null ? "∅" : rs.getString(1)) + " → " + rs.getString(2) + ": "
                            + rs.getString(3));
                }
            }
        }
        return out;
    }

    private static void insertTexts(Connection c, String table, long assessment, List<String> texts)
            throws SQLException {
        if (texts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + table + " (assessment_id, position, text) VALUES (?, ?, ?)")) {
            for (int i = 0; i < texts.size(); i++) {
                ps.setLong(1, assessment);
                ps.setInt(2, i);
                ps.setString(3, texts.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
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
