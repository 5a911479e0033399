package dev.eyes.analysis.backend;

import static dev.eyes.testing.FakeLlmServer.ollamaJson;
import static dev.eyes.testing.FakeLlmServer.ollamaStream;
import static dev.eyes.testing.FakeLlmServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.analysis.AnalysisException;
import dev.eyes.analysis.InsightSchema;
import dev.eyes.event.Severity;
import dev.eyes.testing.FakeLlmServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OllamaBackendTest {
    private FakeLlmServer server;
    private OllamaBackend backend;
    private final BackendRequest request = new BackendRequest("SYSTEM TEXT", "USER TEXT", Severity.WARNING, "s");

    @BeforeEach
    void start() throws Exception {
        server = new FakeLlmServer();
        backend = ollama(server.url() + "/", "llama3", 1 << 20);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static OllamaBackend ollama(String url, String model, long maxBytes) {
        Duration t = Duration.ofSeconds(5);
        return new OllamaBackend(Backends.httpClient(t), url, model, t, 1000, maxBytes, InsightSchema.schema());
    }

    static Reply call(Backend b, BackendRequest r, List<String> chunks) throws Exception {
        Exchange ex = new Exchange("timeout");
        ex.begin();
        try {
            return b.complete(r, ex, chunks::add);
        } finally {
            ex.end();
        }
    }

    @Test
    void streamsChatOverNdjsonAndSendsTheDocumentedRequest() throws Exception {
        server.then(ollamaStream("{\"sum", "mary\": \"ok\"", "}"));
        List<String> chunks = new CopyOnWriteArrayList<>();
        Reply reply = call(backend, request, chunks);
        assertThat(reply.text()).isEqualTo("{\"summary\": \"ok\"}");
        assertThat(reply.cutAtLimit()).isFalse();
        assertThat(chunks).containsExactly("{\"sum", "mary\": \"ok\"", "}");

        FakeLlmServer.Request sent = server.posts().getFirst();
        assertThat(sent.path()).isEqualTo("/api/chat");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = sent.json();
        assertThat(body.path("model").asString()).isEqualTo("llama3");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").get(0).path("content").asString()).isEqualTo("SYSTEM TEXT");
        assertThat(body.path("messages").get(1).path("role").asString()).isEqualTo("user");
        assertThat(body.path("messages").get(1).path("content").asString()).isEqualTo("USER TEXT");
        assertThat(body.path("format")).isEqualTo(InsightSchema.schema());
        assertThat(body.path("options").path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(1000);
    }

    @Test
    void aPlainHttpTargetGetsAClientWithoutTheDefaultTls() throws Exception {
        Duration t = Duration.ofSeconds(5);
        java.net.URI target = java.net.URI.create(server.url());
        java.net.http.HttpClient plain = Backends.httpClient(t, target).get();
        assertThat(plain.sslContext()).as("no trust store loaded for http://")
                .isNotSameAs(javax.net.ssl.SSLContext.getDefault());
        assertThat(Backends.httpClient(t, java.net.URI.create("https://api.example.com/v1")).get().sslContext())
                .isSameAs(javax.net.ssl.SSLContext.getDefault());
        OllamaBackend b = new OllamaBackend(() -> plain, server.url(), "llama3", t, 1000, 1 << 20,
                InsightSchema.schema());
        server.then(ollamaStream("{\"summary\": \"over plain http\"}"));
        assertThat(call(b, request, new CopyOnWriteArrayList<>()).text()).isEqualTo("{\"summary\": \"over plain http\"}");
    }

    @Test
    void understandsANonStreamedAnswer() throws Exception {
        server.then(ollamaJson("{\"summary\": \"whole\"}"));
        List<String> chunks = new ArrayList<>();
        assertThat(call(backend, request, chunks).text()).isEqualTo("{\"summary\": \"whole\"}");
        assertThat(chunks).containsExactly("{\"summary\": \"whole\"}");
    }

    @Test
    void tokenLimitIsReported() throws Exception {
        server.then(ollamaStream(Duration.ZERO, "length", "{\"summary\": \"cut"));
        assertThat(call(backend, request, new ArrayList<>()).cutAtLimit()).isTrue();
    }

    @Test
    void errorInTheStreamIsRetryable() {
        server.then((ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(("{\"model\":\"llama3\",\"message\":{\"role\":\"assistant\",\"content\":\"{\"},"
                    + "\"done\":false}\n{\"error\":\"model runner has unexpectedly stopped\"}\n").getBytes());
        });
        assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                .isInstanceOf(AnalysisException.class)
                .hasMessage("Ollama error: model runner has unexpectedly stopped")
                .extracting(e -> ((AnalysisException) e).kind()).isEqualTo(AnalysisException.Kind.SERVER);
    }

    @Test
    void unknownModelIsRejectedAtOnceWithTheServersMessage() {
        server.then(status(404, "{\"error\":\"model \\\"llama3\\\" not found, try pulling it first\"}"));
        assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                .hasMessage("HTTP error: Ollama returned 404: model \"llama3\" not found, try pulling it first"
                        + " (is the model \"llama3\" installed? run: ollama pull llama3)")
                .extracting(e -> ((AnalysisException) e).kind()).isEqualTo(AnalysisException.Kind.REJECTED);
    }

    @Test
    void streamThatStopsEarlyIsInvalid() {
        server.then((ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(("{\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"summ\"},"
                    + "\"done\":false}\n").getBytes());
        });
        assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                .hasMessageContaining("ended before the answer was complete")
                .extracting(e -> ((AnalysisException) e).kind()).isEqualTo(AnalysisException.Kind.INVALID_RESPONSE);
    }

    @Test
    void answerOverTheLimitIsCutOff() {
        OllamaBackend small = ollama(server.url(), "llama3", 4096);
        server.then(FakeLlmServer.huge(10L << 20, false));
        List<String> chunks = new ArrayList<>();
        assertThatThrownBy(() -> call(small, request, chunks))
                .hasMessageContaining("exceeded ai.max_response_bytes (4096 bytes) and was cut off");
        assertThat(String.join("", chunks).length()).isLessThanOrEqualTo(4096);
    }

    @Test
    void probeSaysWhatIsMissing() throws Exception {
        server.onGet(status(200, "{\"models\":[{\"name\":\"llama3:latest\",\"model\":\"llama3:latest\"},"
                + "{\"name\":\"qwen2.5:7b\",\"model\":\"qwen2.5:7b\"}]}"));
        Probe ok = backend.probe();
        assertThat(ok.ok()).isTrue();
        assertThat(ok.message()).contains("has the model \"llama3\"");
        assertThat(server.requests().getLast().path()).isEqualTo("/api/tags");

        Probe missing = ollama(server.url(), "mistral", 1 << 20).probe();
        assertThat(missing.ok()).isFalse();
        assertThat(missing.message()).isEqualTo("Ollama at " + server.url() + " does not have the model \"mistral\""
                + " (installed: llama3:latest, qwen2.5:7b); run: ollama pull mistral");

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Probe down = ollama("http://127.0.0.1:" + port, "llama3", 1 << 20).probe();
        assertThat(down.ok()).isFalse();
        assertThat(down.message()).startsWith("Ollama is not reachable at http://127.0.0.1:" + port
                + " (connection refused)");
    }

    @Test
    void probeNeitherMakesTheAnalysisClientNorWaitsPastItsLimit() throws Exception {
        server.onGet(status(200, "{\"models\":[{\"name\":\"llama3:latest\"}]}"));
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        Duration t = Duration.ofSeconds(5);
        OllamaBackend lazy = new OllamaBackend(() -> {
            made.incrementAndGet();
            return Backends.httpClient(t).get();
        }, server.url(), "llama3", t, 1000, 1 << 20, InsightSchema.schema());
        assertThat(lazy.probe().ok()).isTrue();
        assertThat(made).as("the HTTP client (and TLS) is made by the first analysis, not by checks").hasValue(0);

        // a server that accepts the connection (the kernel's backlog) but never answers
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            Probe p = ollama("http://127.0.0.1:" + silent.getLocalPort(), "llama3", 1 << 20).probe();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(p.ok()).isFalse();
            assertThat(p.message()).contains("(no answer within 5 s)");
            assertThat(ms).isBetween(4_900L, 7_000L);
        }
    }

    /** A body cut short may surface before the response is handed over: it reads the same as a break mid-body. */
    @Test
    void aBodyCutShortBeforeTheResponseIsHandedOverIsABreakWhileReading() {
        java.net.URI chat = java.net.URI.create(server.url() + "/api/chat");
        for (Throwable t : List.of(new java.io.IOException("fixed content-length: 352, bytes received: 176"),
                new java.io.EOFException("EOF reached while reading"))) {
            assertThat(backend.transportError(t, chat).getMessage())
                    .startsWith("Backend communication failed: the connection to " + server.url()
                            + "/api/chat broke while reading the answer: ");
        }
        assertThat(backend.transportError(new java.io.IOException("something else"), chat).getMessage())
                .isEqualTo("Backend communication failed: something else (" + server.url() + "/api/chat)");
    }

    @Test
    void modelNames() {
        assertThat(OllamaBackend.sameModel("llama3:latest", "llama3")).isTrue();
        assertThat(OllamaBackend.sameModel("llama3:8b", "llama3")).isFalse();
        assertThat(OllamaBackend.sameModel("llama3:8b", "llama3:8b")).isTrue();
    }
}
