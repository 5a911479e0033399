package dev.eyes.app;

import static dev.eyes.testing.FakeLlmServer.ollamaStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.testing.Answers;
import dev.eyes.testing.Await;
import dev.eyes.testing.FakeLlmServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole observer — sources, event loop, rules, recorder, analyzer — with a fake model server: while the
 * backend hangs, events keep flowing through the rules and new candidates keep being stored; stopping leaves
 * the in-flight analyses pending, and the next start analyses them.
 */
class ObserverAnalysisTest {
    @TempDir
    Path dir;

    private FakeLlmServer server;
    private Path logFile;
    private Path dbFile;

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeLlmServer();
        logFile = dir.resolve("app.log");
        Files.writeString(logFile, "");
        dbFile = dir.resolve("eyes.db");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    static EyesConfig config(Path logFile, Path db, String endpoint, int cooldownSeconds, String extraAi)
            throws Exception {
        String toml = """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "plain"
                [triggers]
                error_threshold = 1
                error_window_seconds = 10
                cooldown_seconds = %d
                [ai]
                backend = "ollama"
                endpoint = "%s"
                max_concurrent = 2
                timeout_seconds = 120
                %s
                [storage]
                database_path = "%s"
                [web]
                enabled = false
                """.formatted(logFile, cooldownSeconds, endpoint, extraAi, db);
        return ConfigLoader.parse(toml, null, Map.of()).config();
    }

    private void append(String lines) throws java.io.IOException {
        Files.writeString(logFile, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    static Observer start(EyesConfig config) {
        Observer o = new Observer(config, new Observer.Options(false), Platform.LINUX, RestartPolicy.DEFAULT);
        o.start();
        return o;
    }

    /** Two distinct errors from one source make one ErrorFrequencyRule trigger (threshold 1). */
    static void burst(Observer o, String process, Instant at) throws InterruptedException {
        o.loop().put(new LogEvent(at, MessageType.ERROR, process + ".service", "", process, 100,
                "request failed: upstream timed out (a)"), null);
        o.loop().put(new LogEvent(at.plusMillis(1), MessageType.ERROR, process + ".service", "", process, 100,
                "request failed: upstream timed out (b)"), null);
    }

    @Test
    void hangingBackendNeverStopsIngestion() throws Exception {
        server.always(FakeLlmServer.hang());
        Observer o = start(config(logFile, dbFile, server.url(), 300, ""));
        CandidateStore candidates = new CandidateStore(o.database());
        Instant t0 = Instant.now();
        try {
            for (int i = 0; i < 100; i++) {
                burst(o, "svc" + i, t0.plusMillis(i * 10L));
            }
            Await.untilTrue("100 candidates stored", Duration.ofSeconds(20), () -> candidates.count() == 100);
            Await.until("two analyses hanging at the server", () -> server.inProgress() == 2);
            assertThat(o.analyzer().stats().running()).isEqualTo(2);
            assertThat(o.analyzer().stats().ready()).isEqualTo(98);

            // while those hang, more events go through the rules and more candidates are stored
            for (int i = 100; i < 200; i++) {
                burst(o, "svc" + i, t0.plusMillis(i * 10L));
            }
            Await.untilTrue("200 candidates stored", Duration.ofSeconds(20), () -> candidates.count() == 200);
            assertThat(o.loop().queueDepth()).isZero();
            assertThat(o.loop().processor().processed()).isEqualTo(400);
            assertThat(server.maxInProgress()).isEqualTo(2);

            // and through a real file source too (appending until the tail, which starts at the end, sees it)
            Await.untilTrue("a candidate from the file", Duration.ofSeconds(20), () -> {
                append("error: first failure\nerror: second failure\n");
                return candidates.count() == 201;
            });
        } finally {
            long s0 = System.nanoTime();
            o.stop(Duration.ofSeconds(5));
            assertThat(System.nanoTime() - s0).isLessThan(Duration.ofSeconds(5).toNanos());
        }
        // nothing failed: the two in flight were cancelled and, like the queued ones, stay pending
        assertThat(candidates.idsWithStatus(AnalysisStatus.PENDING)).hasSize(201);
        assertThat(candidates.idsWithStatus(AnalysisStatus.FAILED)).isEmpty();

        // the next start (with a backend that answers) analyses every one of them
        FakeLlmServer healthy = new FakeLlmServer().always(ollamaStream(Answers.GOOD));
        try {
            Observer again = start(config(logFile, dbFile, healthy.url(), 300, ""));
            try {
                Await.untilTrue("all analysed after the restart", Duration.ofSeconds(60),
                        () -> candidates.idsWithStatus(AnalysisStatus.ANALYZED).size() == 201);
            } finally {
                again.stop(Duration.ofSeconds(5));
            }
            assertThat(healthy.posts()).hasSize(201);
        } finally {
            healthy.close();
        }
    }

    @Test
    void fileEventsBecomeAnalysedCandidates() throws Exception {
        server.always(ollamaStream(Answers.GOOD));
        Observer o = start(config(logFile, dbFile, server.url(), 0, ""));
        AssessmentStore store = new AssessmentStore(Database.open(dbFile));
        CandidateStore candidates = new CandidateStore(o.database());
        try {
            // the tail starts at the file's end once it has opened it: append until it sees the lines
            Await.untilTrue("analysed", Duration.ofSeconds(20), () -> {
                if (candidates.count() == 0) {
                    append("error: disk quota exceeded for /srv\nerror: write failed on /srv/data\n");
                    Thread.sleep(100);
                }
                return !candidates.idsWithStatus(AnalysisStatus.ANALYZED).isEmpty();
            });
        } finally {
            o.stop(Duration.ofSeconds(5));
        }
        long id = candidates.idsWithStatus(AnalysisStatus.ANALYZED).getFirst();
        assertThat(candidates.idsWithStatus(AnalysisStatus.FAILED)).isEmpty();
        assertThat(store.assessmentOf(id).insight().summary()).isEqualTo("nginx cannot reach its upstream");
        String prompt = server.posts().getFirst().json().path("messages").get(1).path("content").asString();
        assertThat(prompt).contains("error: disk quota exceeded for /srv").contains("You are a Linux system");
    }

    @Test
    void automaticAnalysisOffStoresNotDone() throws Exception {
        server.always(ollamaStream(Answers.GOOD));
        Observer o = start(config(logFile, dbFile, server.url(), 300, "automatic_analysis = false"));
        CandidateStore candidates = new CandidateStore(o.database());
        try {
            burst(o, "svc", Instant.now());
            Await.untilTrue("stored", Duration.ofSeconds(10), () -> candidates.count() == 1);
            long id = candidates.idsWithStatus(AnalysisStatus.NOT_DONE).getFirst();
            AssessmentStore store = o.assessments();
            assertThat(store.failure(id)).isEqualTo(Observer.ANALYSIS_DISABLED);
            Thread.sleep(300);
            assertThat(server.posts()).isEmpty();
            // Analyze now: the dashboard's path in the same process
            store.retryCandidate(id, "Analyze now");
            o.analyzer().submit(id);
            Await.untilTrue("analysed", Duration.ofSeconds(10), () -> store.status(id) == AnalysisStatus.ANALYZED);
            assertThat(store.history(id)).hasSize(3);
            // and the MCP/dashboard path from another process, through analysis_requests
            burst(o, "other", Instant.now());
            Await.untilTrue("stored", Duration.ofSeconds(10), () -> candidates.count() == 2);
            long second = candidates.idsWithStatus(AnalysisStatus.NOT_DONE).getFirst();
            new AssessmentStore(Database.open(dbFile)).requestAnalysis(second, "mcp");
            Await.untilTrue("picked up by the poll", Duration.ofSeconds(10),
                    () -> store.status(second) == AnalysisStatus.ANALYZED);
        } finally {
            o.stop(Duration.ofSeconds(5));
        }
        assertThat(server.posts()).hasSize(2);
    }
}
