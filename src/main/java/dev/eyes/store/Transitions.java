package dev.eyes.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Appends to {@code alert_candidate_transitions}: every state a candidate passes through, with its reason. */
public final class Transitions {
    private Transitions() {
    }

    /**
     * @param aspect analysis | alert | resolution | acknowledgement | group
     */
    public static void record(Connection c, long candidateId, String aspect, String from, String to, String reason)
            throws SQLException {
        record(c, candidateId, aspect, from, to, reason, Instant.now());
    }

    /** As above, at {@code at} (a store with an injected clock). */
    public static void record(Connection c, long candidateId, String aspect, String from, String to, String reason,
                              Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO alert_candidate_transitions (candidate_id, at, aspect, from_status, to_status, reason)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, candidateId);
            ps.setString(2, Timestamps.format(at));
            ps.setString(3, aspect);
            ps.setString(4, from);
            ps.setString(5, to);
            ps.setString(6, reason == null ? "" : reason);
            ps.executeUpdate();
        }
    }
}
