package dev.eyes.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.analysis.backend.BackendRequest;
import dev.eyes.analysis.backend.Backends;
import dev.eyes.analysis.backend.Exchange;
import dev.eyes.analysis.backend.OpenAiBackend;
import dev.eyes.analysis.backend.Probe;
import dev.eyes.analysis.backend.Reply;
import dev.eyes.event.Severity;
import dev.eyes.source.Platform;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.Tx;
import dev.eyes.testing.Await;
import dev.eyes.testing.Triggers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol checks against a real inference engine: llama.cpp (npm node-llama-cpp 3.21.1) serving the 2 MB test
 * model {@code shared/models/eyes-tiny.gguf} behind a minimal OpenAI-compatible server
 * ({@code src/test/resources/smoke/openai-server.mjs}). Its answers are not diagnoses; what is checked is the wire:
 * streaming of real generated text, the model list, and a real "context exceeded" error (an Eyes prompt does not fit
 * its 192 tokens) ending the candidate {@code failed} with the server's message. Opt-in:
 * <pre>
 * (cd /tmp/llm &amp;&amp; npm install --omit=optional node-llama-cpp@3.21.1 @node-llama-cpp/linux-x64@3.21.1)
 * mvn test -Dtest=LlamaSmokeTest -Deyes.smoke.node_modules=/tmp/llm/node_modules
 * </pre>
 */
@EnabledIfSystemProperty(named = "eyes.smoke.node_modules", matches = ".+")
class LlamaSmokeTest {
    @TempDir
    Path dir;

    @Test
    void realEngine() throws Exception {
        Path modules = Path.of(System.getProperty("eyes.smoke.node_modules"));
        Path model = Path.of(System.getProperty("eyes.smoke.model", "../shared/models/eyes-tiny.gguf"));
        Path script = Path.of(PromptBuilderTest.goldenDir().getParent().resolve("smoke/openai-server.mjs").toString());
        if (!Files.exists(model)) {
            model = Path.of("/work/shared/models/eyes-tiny.gguf");
        }
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), model.toString())
                .redirectError(dir.resolve("server.err").toFile());
        pb.environment().put("NODE_PATH", modules.toString());
        Process node = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("server start: " + Files.readString(dir.resolve("server.err"))).startsWith("listening ");
            String base = "http://127.0.0.1:" + line.substring("listening ".length()).strip() + "/v1";
            Duration t = Duration.ofSeconds(60);
            OpenAiBackend backend = new OpenAiBackend(Backends.httpClient(t), base, "eyes-tiny", null, t, 48, 1 << 20);

            Probe probe = backend.probe();
            assertThat(probe.ok()).as(probe.message()).isTrue();
            assertThat(probe.message()).contains("has the model \"eyes-tiny\"");

            // a short question fits the context: real text streams in, piece by piece
            List<String> chunks = new CopyOnWriteArrayList<>();
            Exchange ex = new Exchange("timeout");
            ex.begin();
            Reply reply;
            try {
                reply = backend.complete(new BackendRequest("", "The disk is full. What should I check?",
                        Severity.WARNING, "smoke"), ex, chunks::add);
            } finally {
                ex.end();
            }
            assertThat(reply.text()).isNotBlank();
            assertThat(chunks.size()).isGreaterThan(3);
            assertThat(String.join("", chunks)).isEqualTo(reply.text());
            assertThat(reply.cutAtLimit()).isTrue();
            // a 2 MB model does not write the answer's JSON: that is an invalid response, retried, not a crash
            assertThatThrownBy(() -> new InsightParser(1 << 20).parse(reply.text()))
                    .isInstanceOf(AnalysisException.class);

            // a real Eyes prompt exceeds its 192-token context: the server refuses it, the candidate fails at once
            Database db = Database.open(dir.resolve("eyes.db"));
            AssessmentStore store = new AssessmentStore(db);
            CandidateStore candidates = new CandidateStore(db);
            long id;
            try (Connection c = db.connect()) {
                id = Tx.run(c, conn -> candidates.insert(conn, Triggers.errorBurst(6), AnalysisStatus.PENDING, null));
            }
            Scheduler timers = Scheduler.system("smoke-timer");
            Analyzer analyzer = new Analyzer(new Analyzer.Settings(1, t, 3, Backoff.of(60), 10), backend,
                    new Redactor(true, false), new PromptBuilder(Platform.LINUX), new InsightParser(1 << 20), store,
                    timers, timers, a -> { });
            analyzer.start(false, false, false);
            analyzer.submit(id);
            Await.untilTrue("failed", Duration.ofSeconds(60), () -> store.status(id) == AnalysisStatus.FAILED);
            assertThat(store.failure(id)).startsWith("HTTP error: the OpenAI-compatible server returned 400: the "
                    + "request exceeds the available context size").contains("(invalid_request_error)");
            assertThat(store.attempts(id)).isEqualTo(1);
            analyzer.stop(Duration.ofSeconds(2));
            timers.shutdown();
        } finally {
            node.destroy();
            node.waitFor();
        }
    }
}
