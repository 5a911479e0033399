package dev.eyes.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.store.Database;
import dev.eyes.store.StoreException;
import dev.eyes.store.Timestamps;
import dev.eyes.testing.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The observer's liveness from its heartbeat row, on a real SQLite file and a manual clock. */
class HeartbeatReaderTest {
    @TempDir
    Path dir;

    Database db;
    final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    final ManualClock clock = new ManualClock(t0);
    HeartbeatReader reader;

    @BeforeEach
    void open() throws StoreException {
        db = Database.open(dir.resolve("eyes.db"));
        reader = new HeartbeatReader(db, clock);
    }

    void write(Instant at, String payload) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO observer_heartbeat (id, at, pid, payload) VALUES (1, ?, 77, ?)
                ON CONFLICT (id) DO UPDATE SET at = excluded.at, payload = excluded.payload""")) {
            ps.setString(1, Timestamps.format(at));
            ps.setString(2, payload);
            ps.executeUpdate();
        }
    }

    @Test
    void noRowMeansNotRunning() throws Exception {
        HeartbeatReader.Status s = reader.read();
        assertThat(s.observer()).isEqualTo("not running");
        assertThat(s.lastHeartbeat()).isNull();
        assertThat(s.payload()).isNull();
        assertThat(s.describe()).isEqualTo("not running (no observer has written a heartbeat to this database)");
    }

    @Test
    void freshUntilThirtySecondsThenNotRunning() throws Exception {
        write(t0, "{\"state\": \"running\", \"sources\": []}");
        assertThat(reader.read().observer()).isEqualTo("running");
        clock.advance(Duration.ofSeconds(30));
        HeartbeatReader.Status edge = reader.read();
        assertThat(edge.observer()).isEqualTo("running");
        assertThat(edge.describe()).isEqualTo("running (pid 77, last heartbeat 30 s ago)");
        clock.advance(Duration.ofMillis(1));
        HeartbeatReader.Status stale = reader.read();
        assertThat(stale.observer()).isEqualTo("not running");
        assertThat(stale.describe()).isEqualTo("not running (the last heartbeat, from pid 77, is 30 s old)");
        assertThat(stale.payload().path("state").asString()).isEqualTo("running");
    }

    @Test
    void aCleanStopSaysStoppedEvenWhenOld() throws Exception {
        write(t0, "{\"state\": \"stopped\"}");
        clock.advance(Duration.ofHours(5));
        HeartbeatReader.Status s = reader.read();
        assertThat(s.observer()).isEqualTo("stopped");
        assertThat(s.describe()).isEqualTo("stopped (it stopped cleanly 18000 s ago; it was pid 77)");
    }

    @Test
    void aHeartbeatFromTheFutureIsFreshAndABrokenPayloadIsReported() throws Exception {
        write(t0.plusSeconds(90), "{not json");
        HeartbeatReader.Status s = reader.read();
        assertThat(s.observer()).isEqualTo("running");
        assertThat(s.age()).isEqualTo(Duration.ZERO);
        assertThat(s.payload()).isNull();
        assertThat(s.payloadError()).startsWith("the heartbeat payload is not JSON");
        write(t0, "[1, 2]");
        assertThat(reader.read().payloadError()).isEqualTo("the heartbeat payload is not a JSON object");
        write(t0, "{}");
        try (Connection c = db.connect()) {
            c.createStatement().executeUpdate("UPDATE observer_heartbeat SET at = 'yesterday'");
        }
        assertThatThrownBy(reader::read).isInstanceOf(StoreException.class)
                .hasMessage("the observer heartbeat has an unreadable time: 'yesterday'");
    }
}
