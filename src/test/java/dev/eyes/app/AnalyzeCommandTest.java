package dev.eyes.app;

import static dev.eyes.testing.FakeLlmServer.ollamaStream;
import static dev.eyes.testing.FakeLlmServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.Tx;
import dev.eyes.testing.Answers;
import dev.eyes.testing.FakeLlmServer;
import dev.eyes.testing.Triggers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    private FakeLlmServer server;
    private Path db;
    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeLlmServer();
        db = dir.resolve("eyes.db");
        config = dir.resolve("eyes.toml");
        Files.writeString(config, """
                [ai]
                backend = "ollama"
                endpoint = "%s"
                max_attempts = 1
                """.formatted(server.url()));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private long candidate(AnalysisStatus status) throws Exception {
        Database d = Database.open(db);
        CandidateStore store = new CandidateStore(d);
        try (Connection c = d.connect()) {
            return Tx.run(c, conn -> store.insert(conn, Triggers.errorBurst(6), status,
                    status == AnalysisStatus.PENDING ? null : "Recorded by eyes replay"));
        }
    }

    private int run(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void analysesAStoredCandidateAndPrintsTheInsight() throws Exception {
        long id = candidate(AnalysisStatus.NOT_DONE);
        server.then(ollamaStream(Answers.GOOD));
        int code = run("analyze", "--config", config.toString(), "--database", db.toString(), Long.toString(id));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Candidate " + id + ": ErrorFrequencyRule nginx.service/nginx (warning)")
                .contains("  Summary: nginx cannot reach its upstream")
                .contains("  Root cause: not determined")
                .contains("    1. Check the upstream service")
                .contains("  Analysed by: ollama model llama3, ");
        AssessmentStore store = new AssessmentStore(Database.open(db));
        assertThat(store.status(id)).isEqualTo(AnalysisStatus.ANALYZED);
        assertThat(store.history(id)).element(1).isEqualTo("not_done → pending: manual analysis with eyes analyze");
    }

    @Test
    void jsonOutput() throws Exception {
        long id = candidate(AnalysisStatus.PENDING);
        server.then(ollamaStream(Answers.GOOD));
        assertThat(run("analyze", "--json", "--config", config.toString(), "--database", db.toString(),
                Long.toString(id))).isZero();
        JsonNode n = JsonMapper.builder().build().readTree(out.toString());
        assertThat(n.path("summary").asString()).isEqualTo("nginx cannot reach its upstream");
        assertThat(n.path("candidate_id").asLong()).isEqualTo(id);
        assertThat(n.path("backend").asString()).isEqualTo("ollama");
        assertThat(n.path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void failureExitsOneWithAPlainMessage() throws Exception {
        long id = candidate(AnalysisStatus.FAILED);
        server.then(status(401, "{\"error\":\"unauthorized\"}"));
        int code = run("analyze", "--config", config.toString(), "--database", db.toString(), Long.toString(id));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("eyes: analysis of candidate " + id
                + " failed: HTTP error: Ollama returned 401: unauthorized");
        assertThat(out.toString()).isEmpty();
        assertThat(new AssessmentStore(Database.open(db)).status(id)).isEqualTo(AnalysisStatus.FAILED);
    }

    @Test
    void refusesWhatCannotBeAnalysed() throws Exception {
        candidate(AnalysisStatus.NOT_DONE);
        assertThat(run("analyze", "--config", config.toString(), "--database", db.toString(), "99")).isEqualTo(1);
        assertThat(err.toString()).contains("eyes: Alert candidate 99 does not exist");
        assertThat(run("analyze", "--config", config.toString(), "--database", dir.resolve("none.db").toString(),
                "1")).isEqualTo(1);
        assertThat(err.toString()).contains("there is no Eyes database at");
        assertThat(server.posts()).isEmpty();
    }

    @Test
    void refusesAnAnalysedCandidate() throws Exception {
        long id = candidate(AnalysisStatus.NOT_DONE);
        server.then(ollamaStream(Answers.GOOD));
        assertThat(run("analyze", "--config", config.toString(), "--database", db.toString(), Long.toString(id)))
                .isZero();
        assertThat(run("analyze", "--config", config.toString(), "--database", db.toString(), Long.toString(id)))
                .isEqualTo(1);
        assertThat(err.toString()).contains("eyes: Alert candidate " + id
                + " cannot be analyzed while its status is 'analyzed'");
    }

    @Test
    void mockIsLabelled() throws Exception {
        Files.writeString(config, "[ai]\nbackend = \"mock\"\n");
        long id = candidate(AnalysisStatus.NOT_DONE);
        assertThat(run("analyze", "--config", config.toString(), "--database", db.toString(), Long.toString(id)))
                .isZero();
        assertThat(out.toString()).contains("Summary: [mock] Canned analysis, no model was asked")
                .contains("Analysed by: mock (mock backend: canned answer, no model was asked)");
    }
}
