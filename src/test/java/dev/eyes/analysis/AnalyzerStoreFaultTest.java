package dev.eyes.analysis;

import static dev.eyes.testing.FakeLlmServer.ollamaStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.analysis.backend.Backends;
import dev.eyes.analysis.backend.OllamaBackend;
import dev.eyes.rule.Trigger;
import dev.eyes.source.Platform;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.Tx;
import dev.eyes.testing.Answers;
import dev.eyes.testing.Await;
import dev.eyes.testing.FakeLlmServer;
import dev.eyes.testing.ManualScheduler;
import dev.eyes.testing.Triggers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A finished analysis whose assessment cannot be stored because the database is full or locked is kept and its
 * write retried until the database takes it — the model is not asked again and the candidate is not left pending
 * until the next start. The real SQLite store answers everything except the writes this test makes fail with
 * SQLite's own exceptions (the end-to-end version, on a real full tmpfs and a real lock, is {@code ResourceFaults}).
 */
class AnalyzerStoreFaultTest {
    @TempDir
    java.nio.file.Path dir;

    private Database db;
    private AssessmentStore store;
    private FakeLlmServer server;
    private final Scheduler realTime = Scheduler.system("test-timer");
    private final List<AnalyzedCandidate> handedOver = new CopyOnWriteArrayList<>();
    private Analyzer analyzer;

    /** The real store, with {@code analyzed} failing while {@link #failure} is set. */
    final class FaultyRecords implements AnalysisRecords {
        final AtomicReference<SQLException> failure = new AtomicReference<>();
        final AtomicInteger analyzedCalls = new AtomicInteger();

        @Override
        public Candidate load(long id) throws Exception {
            return store.load(id);
        }

        @Override
        public List<Long> pending() throws Exception {
            return store.pending();
        }

        @Override
        public void attemptFailed(long id, int attempts, String error, String next) throws Exception {
            store.attemptFailed(id, attempts, error, next);
        }

        @Override
        public OptionalLong analyzed(long id, Insight insight, AnalysisMetadata metadata) throws Exception {
            analyzedCalls.incrementAndGet();
            SQLException f = failure.get();
            if (f != null) {
                throw f;
            }
            return store.analyzed(id, insight, metadata);
        }

        @Override
        public void failed(long id, int attempts, String reason) throws Exception {
            store.failed(id, attempts, reason);
        }

        @Override
        public List<Long> takeRequests() throws Exception {
            return store.takeRequests();
        }

        @Override
        public boolean transientFailure(Exception failure) {
            return store.transientFailure(failure);
        }
    }

    private final FaultyRecords records = new FaultyRecords();

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(dir.resolve("eyes.db"));
        store = new AssessmentStore(db);
        server = new FakeLlmServer().always(ollamaStream(Answers.GOOD));
        Duration t = Duration.ofSeconds(10);
        analyzer = new Analyzer(new Analyzer.Settings(2, t, 4, Backoff.of(60), 100),
                new OllamaBackend(Backends.httpClient(t), server.url(), "llama3", t, 1000, 1 << 20,
                        InsightSchema.schema()), new Redactor(true, false), new PromptBuilder(Platform.LINUX),
                new InsightParser(1 << 20), records, new ManualScheduler(), realTime, handedOver::add);
        analyzer.start(true, false, false);
    }

    @AfterEach
    void tearDown() throws Exception {
        analyzer.stop(Duration.ofSeconds(2));
        server.close();
        realTime.shutdown();
        store.close();
    }

    private long pending() throws Exception {
        Trigger t = Triggers.errorBurst(6);
        try (Connection c = db.connect()) {
            return Tx.run(c, conn -> new CandidateStore(db).insert(conn, t, AnalysisStatus.PENDING, null));
        }
    }

    @Test
    void anAssessmentThatMeetsAFullDiskIsKeptAndStoredOnceThereIsRoomWithoutAskingTheModelAgain() throws Exception {
        records.failure.set(new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL));
        long id = pending();
        analyzer.submit(id);
        // more tries than the ~1.5 s of retries that used to end in "could not be stored"
        Await.until("the write retried", Duration.ofSeconds(20), () -> records.analyzedCalls.get() >= 7);
        assertThat(store.status(id)).isEqualTo(AnalysisStatus.PENDING);
        assertThat(analyzer.storeFailure()).contains("database or disk is full");
        assertThat(analyzer.stats().running()).isEqualTo(1);
        assertThat(server.posts()).hasSize(1);

        records.failure.set(null);
        Await.untilTrue("analyzed", Duration.ofSeconds(20), () -> store.status(id) == AnalysisStatus.ANALYZED);
        assertThat(server.posts()).hasSize(1);
        assertThat(store.assessmentOf(id).insight().summary()).isEqualTo("nginx cannot reach its upstream");
        Await.until("handed to the alert stage", () -> handedOver.size() == 1);
        assertThat(analyzer.storeFailure()).isNull();
        assertThat(analyzer.stats().analyzed()).isEqualTo(1);
        assertThat(analyzer.stats().failed()).isZero();
    }

    @Test
    void stoppingWhileTheDatabaseIsLockedLeavesTheCandidatePendingForTheNextStart() throws Exception {
        records.failure.set(new SQLiteException("[SQLITE_BUSY] The database file is locked (database is locked)",
                SQLiteErrorCode.SQLITE_BUSY));
        long id = pending();
        analyzer.submit(id);
        Await.until("the write retried", Duration.ofSeconds(20), () -> records.analyzedCalls.get() >= 3);
        long t0 = System.nanoTime();
        analyzer.stop(Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(store.status(id)).isEqualTo(AnalysisStatus.PENDING);
        assertThat(store.failure(id)).isNull();
        assertThat(analyzer.stats().failed()).isZero();
    }

    @Test
    void aFailureThatDoesNotHealStillEndsFailedWithItsReason() throws Exception {
        records.failure.set(new SQLiteException("[SQLITE_CONSTRAINT] constraint failed",
                SQLiteErrorCode.SQLITE_CONSTRAINT));
        long id = pending();
        analyzer.submit(id);
        Await.untilTrue("failed", Duration.ofSeconds(20), () -> store.status(id) == AnalysisStatus.FAILED);
        assertThat(records.analyzedCalls.get()).isEqualTo(6);
        assertThat(store.failure(id)).startsWith("Analysis completed but its assessment could not be stored: ")
                .contains("constraint failed");
        assertThat(analyzer.storeFailure()).isNull();
    }
}
