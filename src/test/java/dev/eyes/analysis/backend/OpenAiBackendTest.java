package dev.eyes.analysis.backend;

import static dev.eyes.analysis.backend.OllamaBackendTest.call;
import static dev.eyes.testing.FakeLlmServer.openAiJson;
import static dev.eyes.testing.FakeLlmServer.openAiStream;
import static dev.eyes.testing.FakeLlmServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eyes.analysis.AnalysisException;
import dev.eyes.event.Severity;
import dev.eyes.testing.FakeLlmServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

class OpenAiBackendTest {
    static final String KEY = "sk-test-0123456789abcdefSECRET";
    private FakeLlmServer server;
    private OpenAiBackend backend;
    private final BackendRequest request = new BackendRequest("SYS", "USER", Severity.WARNING, "s");

    @BeforeEach
    void start() throws Exception {
        server = new FakeLlmServer();
        backend = openai(server.url() + "/v1", KEY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static OpenAiBackend openai(String base, String key) {
        Duration t = Duration.ofSeconds(5);
        return new OpenAiBackend(Backends.httpClient(t), base, "gpt-4", key, t, 1000, 1 << 20);
    }

    @Test
    void streamsServerSentEventsWithBearerAuth() throws Exception {
        server.then(openAiStream("{\"summary\":", " \"ok\"}"));
        List<String> chunks = new ArrayList<>();
        Reply reply = call(backend, request, chunks);
        assertThat(reply.text()).isEqualTo("{\"summary\": \"ok\"}");
        assertThat(chunks).containsExactly("{\"summary\":", " \"ok\"}");

        FakeLlmServer.Request sent = server.posts().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = sent.json();
        assertThat(body.path("model").asString()).isEqualTo("gpt-4");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1000);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").get(0).path("content").asString()).isEqualTo("SYS");
        assertThat(body.path("messages").get(1).path("role").asString()).isEqualTo("user");
        assertThat(body.path("messages").get(1).path("content").asString()).isEqualTo("USER");
    }

    @Test
    void understandsANonStreamedCompletion() throws Exception {
        server.then(openAiJson("{\"summary\": \"whole\"}"));
        assertThat(call(backend, request, new ArrayList<>()).text()).isEqualTo("{\"summary\": \"whole\"}");
    }

    @Test
    void noKeyNoAuthorizationHeader() throws Exception {
        server.then(openAiStream("x"));
        call(openai(server.url() + "/v1", null), request, new ArrayList<>());
        assertThat(server.posts().getFirst().header("Authorization")).isNull();
    }

    @Test
    void badKeyFailsAtOnceWithTheServersMessageButNeverTheKey() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        root.setLevel(Level.TRACE);
        logs.start();
        root.addAppender(logs);
        try {
            server.then(status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\","
                    + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
            assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                    .hasMessage("HTTP error: the OpenAI-compatible server returned 401: Incorrect API key provided: "
                            + "***. (invalid_request_error) (check ai.api_key or OPENAI_API_KEY)")
                    .extracting(e -> ((AnalysisException) e).kind()).isEqualTo(AnalysisException.Kind.REJECTED);
            server.onGet(status(401, "{\"error\":{\"message\":\"bad key " + KEY + "\"}}"));
            Probe p = backend.probe();
            assertThat(p.ok()).isFalse();
            assertThat(p.message()).contains("refused the API key").doesNotContain(KEY);
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
        }
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(KEY));
    }

    @Test
    void rateLimitCarriesRetryAfterInSecondsOrAsADate() {
        server.then(status(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}",
                Map.of("Retry-After", "3")));
        assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                .isInstanceOfSatisfying(AnalysisException.class, e -> {
                    assertThat(e.kind()).isEqualTo(AnalysisException.Kind.RATE_LIMITED);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(e.getMessage()).contains("429").contains("Rate limit reached");
                });
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(90).atZone(ZoneOffset.UTC));
        assertThat(HttpBackend.retryAfter(date, now)).isEqualTo(Duration.ofSeconds(90));
        assertThat(HttpBackend.retryAfter("soon", now)).isNull();
    }

    @Test
    void serverErrorsAreRetryable() {
        server.then(status(503, "<html>Service Unavailable</html>"));
        assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                .hasMessage("HTTP error: the OpenAI-compatible server returned 503: <html>Service Unavailable</html>")
                .extracting(e -> ((AnalysisException) e).kind()).isEqualTo(AnalysisException.Kind.SERVER);
    }

    @Test
    void errorEventInTheStream() {
        server.then((ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(("data: {\"error\":{\"message\":\"context length exceeded\","
                    + "\"type\":\"invalid_request_error\"}}\n\n").getBytes());
        });
        assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                .hasMessage("OpenAI API error (invalid_request_error): context length exceeded");
    }

    @Test
    void streamEndings() throws Exception {
        // finish_reason without [DONE] (some servers) is complete
        server.then((ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},"
                    + "\"finish_reason\":null}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{},"
                    + "\"finish_reason\":\"length\"}]}\n\n").getBytes());
        });
        Reply r = call(backend, request, new ArrayList<>());
        assertThat(r.text()).isEqualTo("a");
        assertThat(r.cutAtLimit()).isTrue();
        // neither: the connection dropped mid-answer
        server.then((ex, rq, s) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},"
                    + "\"finish_reason\":null}]}\n\n").getBytes());
        });
        assertThatThrownBy(() -> call(backend, request, new ArrayList<>()))
                .hasMessageContaining("ended before the answer was complete");
    }

    @Test
    void probeListsModels() {
        server.onGet(status(200, "{\"object\":\"list\",\"data\":[{\"id\":\"qwen2.5-7b-instruct\",\"object\":\"model\"}]}"));
        Probe p = backend.probe();
        assertThat(p.ok()).isFalse();
        assertThat(p.message()).contains("does not list the model \"gpt-4\" (available: qwen2.5-7b-instruct)");
        assertThat(server.requests().getLast().path()).isEqualTo("/v1/models");
        assertThat(server.requests().getLast().header("Authorization")).isEqualTo("Bearer " + KEY);
    }
}
