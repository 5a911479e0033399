package dev.eyes.app;

import static dev.eyes.testing.FakeLlmServer.ollamaStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.testing.Answers;
import dev.eyes.testing.FakeLlmServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReplayAnalyzeTest {
    @TempDir
    Path dir;

    private FakeLlmServer server;
    private Path log;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeLlmServer();
        log = dir.resolve("incident.log");
        Files.writeString(log, """
                Mar  1 10:00:00 web1 nginx[123]: error: connect() failed (111: Connection refused) to 10.0.0.5
                Mar  1 10:00:01 web1 nginx[123]: error: upstream timed out password=hunter2
                Mar  1 10:00:02 web1 app[77]: error: database unavailable
                Mar  1 10:00:03 web1 app[77]: error: cannot open session
                """);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Path config(String ai) throws Exception {
        Path c = dir.resolve("eyes.toml");
        Files.writeString(c, "[triggers]\nerror_threshold = 1\n[ai]\n" + ai);
        return c;
    }

    private int run(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void printsEachTriggerWithItsInsight() throws Exception {
        server.always(ollamaStream(Answers.GOOD));
        Path c = config("backend = \"ollama\"\nendpoint = \"" + server.url() + "\"\n");
        assertThat(run("replay", "--config", c.toString(), "--format", "syslog", "--analyze", log.toString()))
                .as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.stream().filter(l -> l.contains("ErrorFrequencyRule")).count()).isEqualTo(2);
        assertThat(lines.stream().filter(l -> l.equals("    Summary: nginx cannot reach its upstream")).count())
                .isEqualTo(2);
        int first = lines.indexOf(lines.stream().filter(l -> l.contains("ErrorFrequencyRule")).findFirst().get());
        assertThat(lines.get(first + 1)).isEqualTo("    Summary: nginx cannot reach its upstream");
        assertThat(err.toString()).contains("2 triggers").contains("2 analysed, 0 analyses failed");
        assertThat(server.posts()).hasSize(2);
        // the secret in the log never reached the model; the IP did (loopback backend: network identities kept)
        assertThat(server.posts().getFirst().body() + server.posts().get(1).body()).doesNotContain("hunter2")
                .contains("10.0.0.5");
    }

    @Test
    void jsonWithTheMockAndStoredWhenADatabaseIsGiven() throws Exception {
        Path c = config("backend = \"mock\"\n");
        Path db = dir.resolve("replay.db");
        assertThat(run("replay", "--config", c.toString(), "--format", "syslog", "--analyze", "--json", "--database",
                db.toString(), log.toString())).as(err.toString()).isZero();
        List<JsonNode> objects = out.toString().lines().map(l -> JsonMapper.builder().build().readTree(l)).toList();
        assertThat(objects).hasSize(2);
        for (JsonNode n : objects) {
            assertThat(n.path("analysis").path("backend").asString()).isEqualTo("mock");
            assertThat(n.path("analysis").path("summary").asString()).startsWith("[mock] ");
        }
        CandidateStore store = new CandidateStore(Database.open(db));
        assertThat(store.idsWithStatus(AnalysisStatus.ANALYZED)).hasSize(2);
    }

    @Test
    void aFailingBackendIsReportedPerTrigger() throws Exception {
        Path c = config("backend = \"mock\"\nmock_pattern = \"invalid\"\nmax_attempts = 1\n");
        assertThat(run("replay", "--config", c.toString(), "--format", "syslog", "--analyze", log.toString()))
                .isZero();
        assertThat(out.toString()).contains("    Analysis failed: Invalid response format: the answer is not JSON");
        assertThat(err.toString()).contains("0 analysed, 2 analyses failed");
    }
}
