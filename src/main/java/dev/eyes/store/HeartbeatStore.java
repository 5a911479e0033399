package dev.eyes.store;

import dev.eyes.selfmon.Health;
import dev.eyes.selfmon.HealthJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The one-row {@code observer_heartbeat} table: the running observer writes its {@link Health} there every
 * {@value dev.eyes.selfmon.SelfMonitor#HEARTBEAT_SECONDS} s, at start and at a clean stop (state {@code stopped});
 * {@code eyes mcp} ({@code get_health}), {@code eyes service status} and anything else that shares the database
 * read it with {@link #read()} and ask {@link Heartbeat#liveness} whether the observer runs. {@link #write} keeps one
 * connection between heartbeats ({@link #close} closes it); {@link #read} opens its own (WAL: readers never wait
 * for the writer; {@code busy_timeout} covers writers).
 */
public final class HeartbeatStore implements AutoCloseable {
    private final Database db;
    /** One connection reused by the heartbeat every few seconds, rather than opening the file each time. */
    private final ConnectionPool pool;

    public HeartbeatStore(Database db) {
        this.db = db;
        this.pool = new ConnectionPool(db, 1);
    }

    public void write(Health h) throws SQLException {
        String payload = HealthJson.write(h);
        try {
            pool.with(c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO observer_heartbeat (id, at, pid, payload) VALUES (1, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET at = excluded.at, pid = excluded.pid,
                        payload = excluded.payload""")) {
                    ps.setString(1, Timestamps.format(h.checkedAt()));
                    ps.setLong(2, h.pid());
                    ps.setString(3, payload);
                    return ps.executeUpdate();
                }
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

    /** The last heartbeat, or empty when no observer ever wrote one to this database. */
    public Optional<Heartbeat> read() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT at, pid, payload FROM observer_heartbeat WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String payload = rs.getString(3);
            Health health;
            try {
                health = HealthJson.parse(payload);
            } catch (IllegalArgumentException e) {
                health = null;
            }
            return Optional.of(new Heartbeat(Timestamps.parse(rs.getString(1)), rs.getLong(2), payload, health));
        }
    }
}
