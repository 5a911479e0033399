package dev.eyes.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MessageType;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsProvenance;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.ProcessMetric;
import dev.eyes.event.Severity;
import dev.eyes.rule.Trigger;
import dev.eyes.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    static Trigger trigger(String source, Instant at) {
        LogEvent log = new LogEvent(at, MessageType.ERROR, "unit.service", "daemon", "proc", 42, "it broke \"badly\"\n");
        MetricsProvenance prov = new MetricsProvenance(MetricsSource.PROC, MeasurementKind.MEASURED,
                MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE,
                MeasurementKind.MEASURED, MeasurementKind.DERIVED, MeasurementKind.UNAVAILABLE);
        MetricsEvent m = new MetricsEvent(at, null, 12.5, null, null, MemoryPressure.WARNING, 2048.0, null, prov,
                List.of(new ProcessMetric(1, "init", 0.1, 12.0)));
        DiskEvent d = new DiskEvent(at, 10, 20, 1, 2, "vda", null);
        return new Trigger(at, "ErrorFrequencyRule", source, Severity.WARNING, "because", List.of(log), List.of(m),
                List.of(d));
    }

    @Test
    void createsParentsMigratesAndRoundTripsACandidateWithItsEvidence() throws Exception {
        Path file = dir.resolve("nested/dir/eyes.db");
        Database db = Database.open(file);
        assertThat(file).exists();
        assertThat(Sql.query(file, "PRAGMA journal_mode").getFirst().values()).containsExactly("wal");
        assertThat(Sql.query(file, "PRAGMA user_version").getFirst().values()).containsExactly(Migrations.latest());
        CandidateStore store = new CandidateStore(db);
        Instant at = Instant.parse("2026-03-01T10:00:00.123456Z");
        long id;
        try (Connection c = db.connect()) {
            id = Tx.run(c, conn -> store.insert(conn, trigger("unit.service/proc", at), AnalysisStatus.PENDING, null));
        }
        StoredCandidate back = store.load(id);
        assertThat(back.status()).isEqualTo(AnalysisStatus.PENDING);
        assertThat(back.trigger()).isEqualTo(trigger("unit.service/proc", at));
        assertThat(Sql.query(file, "SELECT triggered_at FROM alert_candidates").getFirst().get("triggered_at"))
                .isEqualTo("2026-03-01T10:00:00.123456Z");
        assertThat(store.loadCooldowns()).containsEntry("ErrorFrequencyRule:unit.service/proc", at);
        assertThat(Sql.count(file, "SELECT COUNT(*) FROM alert_candidate_transitions WHERE to_status = 'pending'"))
                .isEqualTo(1);
        assertThat(db.integrityCheck()).isEqualTo("ok");
        // opening again does not re-run migrations
        Database.open(file);
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void aDatabaseFromANewerEyesIsRefused() throws Exception {
        Path file = dir.resolve("new.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> Database.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("written by a newer Eyes (schema version 99");
    }

    @Test
    void aDirectoryIsNotADatabase() throws Exception {
        Files.createDirectories(dir.resolve("d.db"));
        assertThatThrownBy(() -> Database.open(dir.resolve("d.db"))).hasMessageContaining("is a directory");
    }

    @Test
    void checkpointsAreUpsertedAndCooldownsOnlyMoveForward() throws Exception {
        Database db = Database.open(dir.resolve("e.db"));
        CandidateStore store = new CandidateStore(db);
        try (Connection c = db.connect()) {
            Tx.run(c, conn -> {
                store.saveCheckpoints(conn, Map.of("journald", "s=1", "file:/x", "k|10"));
                store.saveCheckpoints(conn, Map.of("journald", "s=2"));
                store.insert(conn, trigger("a", Instant.parse("2026-01-01T00:10:00Z")), AnalysisStatus.PENDING, null);
                store.insert(conn, trigger("a", Instant.parse("2026-01-01T00:05:00Z")), AnalysisStatus.PENDING, null);
                return null;
            });
        }
        assertThat(store.loadCheckpoints()).containsOnly(Map.entry("journald", "s=2"), Map.entry("file:/x", "k|10"));
        assertThat(store.loadCooldowns()).containsEntry("ErrorFrequencyRule:a", Instant.parse("2026-01-01T00:10:00Z"));
    }

    @Test
    void recorderRetriesWhileAnotherProcessHoldsTheWriteLockAndLosesNothing() throws Exception {
        Path file = dir.resolve("locked.db");
        Database db = Database.open(file);
        List<StoredCandidate> stored = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder(new CandidateStore(db), 100, stored::add);
        recorder.start();
        try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = blocker.createStatement()) {
            s.execute("BEGIN EXCLUSIVE"); // held longer than the 5 s busy timeout
            recorder.record(trigger("x", Instant.parse("2026-01-01T00:00:00Z")), AnalysisStatus.PENDING, null);
            var cp = recorder.saveCheckpoints(Map.of("journald", "s=9"));
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (recorder.lastError() == null && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(recorder.lastError()).contains("locked");
            assertThat(recorder.failing()).isTrue();
            assertThat(stored).isEmpty();
            assertThat(cp).isNotDone();
            s.execute("ROLLBACK");
            cp.get(15, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(recorder.sync(Duration.ofSeconds(10))).isTrue();
        assertThat(stored).hasSize(1);
        assertThat(recorder.failing()).isFalse();
        assertThat(recorder.failedWrites()).isPositive();
        assertThat(new CandidateStore(db).loadCheckpoints()).containsEntry("journald", "s=9");
        recorder.stop(Duration.ofSeconds(5));
    }

    @Test
    void theRecorderWritesTriggersBeforeLaterCheckpointsAndMergesCheckpointRuns() throws Exception {
        Path file = dir.resolve("order.db");
        Database db = Database.open(file);
        List<StoredCandidate> stored = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder(new CandidateStore(db), 100, stored::add);
        recorder.start();
        for (int i = 0; i < 20; i++) {
            recorder.saveCheckpoints(Map.of("journald", "s=" + i));
        }
        recorder.record(trigger("y", Instant.parse("2026-01-01T00:00:00Z")), AnalysisStatus.NOT_DONE, "off");
        recorder.saveCheckpoints(Map.of("journald", "s=final"));
        recorder.stop(Duration.ofSeconds(5));
        assertThat(stored).hasSize(1);
        assertThat(new CandidateStore(db).loadCheckpoints()).containsEntry("journald", "s=final");
        assertThat(Sql.query(file, "SELECT analysis_status, analysis_failure FROM alert_candidates").getFirst())
                .containsEntry("analysis_status", "not_done").containsEntry("analysis_failure", "off");
    }
}
