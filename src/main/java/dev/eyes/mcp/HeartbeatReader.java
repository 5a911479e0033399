package dev.eyes.mcp;

import dev.eyes.json.JsonTrees;
import dev.eyes.store.Busy;
import dev.eyes.store.Database;
import dev.eyes.store.SqlErrors;
import dev.eyes.store.StoreException;
import dev.eyes.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the running observer's heartbeat — the one row of {@code observer_heartbeat} ({@code at}, {@code pid},
 * {@code payload} JSON) that {@code eyes run} rewrites every 10 s and once more, with state {@code stopped}, when
 * it stops cleanly — and says whether the observer runs. Kept apart from the tools so that it can give way to the
 * store's own heartbeat reader once both exist; it depends only on the table.
 */
public final class HeartbeatReader {
    /** Three missed heartbeats: the observer died or hangs. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(30);
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    public static final String NOT_RUNNING = "not running";


    /**
     * What the heartbeat says.
     *
     * @param observer      {@link #RUNNING}, {@link #STOPPED} (it said so at a clean stop) or {@link #NOT_RUNNING}
     *                      (no heartbeat at all, or the last one older than {@link #STALE_AFTER})
     * @param lastHeartbeat when the last heartbeat was written, null when there is none
     * @param age           how old it is (zero when it is dated in the future), null when there is none
     * @param pid           the observer's process id, null when there is no heartbeat
     * @param payload       the observer's health snapshot as it wrote it, null when none or not JSON
     * @param payloadError  why the payload could not be read, null when it could
     */
    public record Status(String observer, Instant lastHeartbeat, Duration age, Long pid, JsonNode payload,
                         String payloadError) {
        public boolean running() {
            return RUNNING.equals(observer);
        }

        /** One line: "running (pid 123, last heartbeat 4 s ago)", "not running (no heartbeat in …)" … */
        public String describe() {
            if (lastHeartbeat == null) {
                return "not running (no observer has written a heartbeat to this database)";
            }
            String ago = age.toSeconds() + " s";
            return switch (observer) {
                case RUNNING -> "running (pid " + pid + ", last heartbeat " + ago + " ago)";
                case STOPPED -> "stopped (it stopped cleanly " + ago + " ago; it was pid " + pid + ")";
                default -> "not running (the last heartbeat, from pid " + pid + ", is " + ago + " old)";
            };
        }
    }

    private final Database db;
    private final InstantSource clock;

    public HeartbeatReader(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    public Status read() throws StoreException {
        Row row;
        try {
            row = Busy.retry(this::row);
        } catch (SQLException e) {
            throw new StoreException("cannot read the observer heartbeat: " + SqlErrors.describe(e), e);
        }
        if (row == null) {
            return new Status(NOT_RUNNING, null, null, null, null, null);
        }
        Instant at;
        try {
            at = Timestamps.parse(row.at());
        } catch (DateTimeParseException e) {
            throw new StoreException("the observer heartbeat has an unreadable time: '" + row.at() + "'");
        }
        JsonNode payload = null;
        String payloadError = null;
        try {
            payload = JsonTrees.parse(row.payload());
            if (!payload.isObject()) {
                payloadError = "the heartbeat payload is not a JSON object";
                payload = null;
            }
        } catch (JacksonException e) {
            payloadError = "the heartbeat payload is not JSON: " + e.getOriginalMessage();
        }
        Duration age = Duration.between(at, clock.instant());
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        String state;
        if (payload != null && STOPPED.equals(payload.path("state").asString(""))) {
            state = STOPPED;
        } else if (age.compareTo(STALE_AFTER) > 0) {
            state = NOT_RUNNING;
        } else {
            state = RUNNING;
        }
        return new Status(state, at, age, row.pid(), payload, payloadError);
    }

    private record Row(String at, long pid, String payload) {
    }

    private Row row() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT at, pid, payload FROM observer_heartbeat WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Row(rs.getString(1), rs.getLong(2), rs.getString(3)) : null;
        }
    }
}
