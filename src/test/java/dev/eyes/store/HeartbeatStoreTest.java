package dev.eyes.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.selfmon.Health;
import dev.eyes.testing.Sql;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat row: written by the observer, read by anything that shares the database. */
class HeartbeatStoreTest {
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path dir;

    static Health health(Instant at, Health.State state) {
        return new Health(at, 777, "0.1.0", state, at.minusSeconds(60),
                List.of(new Health.SourceHealth("journald", "log", "journald-json", "running", "", 0, at, 3, 0)),
                new Health.PipelineHealth(0, 8192, 3, 0, 0, 256, 3, 2),
                new Health.StoreHealth("x.db", true, 0, 0, 0, null, null, Map.of()), null, null, null, null,
                List.of());
    }

    @Test
    void noHeartbeatBeforeAnObserverRan() throws Exception {
        HeartbeatStore hs = new HeartbeatStore(Database.open(dir.resolve("eyes.db")));
        assertThat(hs.read()).isEmpty();
    }

    @Test
    void freshStaleAndStopped() throws Exception {
        HeartbeatStore hs = new HeartbeatStore(Database.open(dir.resolve("eyes.db")));
        hs.write(health(T, Health.State.RUNNING));
        hs.write(health(T.plusSeconds(10), Health.State.RUNNING)); // the one row is replaced
        assertThat(Sql.count(dir.resolve("eyes.db"), "SELECT COUNT(*) FROM observer_heartbeat")).isEqualTo(1);
        Heartbeat hb = hs.read().orElseThrow();
        assertThat(hb.at()).isEqualTo(T.plusSeconds(10));
        assertThat(hb.pid()).isEqualTo(777);
        assertThat(hb.health().sources()).extracting(Health.SourceHealth::eventsIngested).containsExactly(3L);

        assertThat(hb.liveness(T.plusSeconds(15))).isEqualTo(Heartbeat.Liveness.RUNNING);
        assertThat(hb.liveness(T.plusSeconds(10).plus(Heartbeat.STALE_AFTER))).isEqualTo(Heartbeat.Liveness.RUNNING);
        assertThat(hb.liveness(T.plusSeconds(41))).isEqualTo(Heartbeat.Liveness.NOT_RUNNING);
        assertThat(hb.describe(T.plusSeconds(14))).isEqualTo("running (pid 777, last heartbeat 4 s ago)");
        assertThat(hb.describe(T.plusSeconds(610))).isEqualTo(
                "not running (the last heartbeat, from pid 777, is 10 min old)");
        assertThat(hb.liveness(T.minusSeconds(5))).isEqualTo(Heartbeat.Liveness.RUNNING); // clock skew: not negative

        hs.write(health(T.plusSeconds(20), Health.State.STOPPED));
        Heartbeat stopped = hs.read().orElseThrow();
        assertThat(stopped.liveness(T.plusSeconds(21))).isEqualTo(Heartbeat.Liveness.STOPPED);
        assertThat(stopped.liveness(T.plus(Duration.ofDays(3)))).isEqualTo(Heartbeat.Liveness.STOPPED);
        assertThat(stopped.describe(T.plusSeconds(25))).isEqualTo("stopped (cleanly, 5 s ago; it was pid 777)");
    }

    @Test
    void anUnreadablePayloadStillTellsWhenAndWho() throws Exception {
        Database db = Database.open(dir.resolve("eyes.db"));
        try (var c = db.connect(); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO observer_heartbeat (id, at, pid, payload) VALUES"
                    + " (1, '2026-11-28T10:00:00.000000Z', 5, '{\"written by\": \"a future version\"}')");
        }
        Heartbeat hb = new HeartbeatStore(db).read().orElseThrow();
        assertThat(hb.health()).isNull();
        assertThat(hb.payload()).contains("future version");
        assertThat(hb.liveness(T.plusSeconds(5))).isEqualTo(Heartbeat.Liveness.RUNNING);
        assertThat(hb.liveness(T.plusSeconds(60))).isEqualTo(Heartbeat.Liveness.NOT_RUNNING);
    }
}
