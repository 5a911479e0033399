package dev.eyes.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eyes.config.AlertsConfig;
import dev.eyes.event.Severity;
import dev.eyes.store.DeliveryAttempt;
import dev.eyes.testing.TestJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Webhooks against a local HTTP server: payload shapes, retries, failures with their reason, timeouts. */
class WebhookNotifierTest {
    /** One request as the server saw it. */
    record Request(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().getFirst()).orElse(null);
        }

        JsonNode json() {
            return TestJson.MAPPER.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the server answers, per request in turn; the last one repeats. {@code -1} hangs. */
    HttpServer server;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedDeque<Integer> answers = new ConcurrentLinkedDeque<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        requests.add(new Request(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
        Integer status = answers.size() > 1 ? answers.pollFirst() : answers.peekFirst();
        if (status == null) {
            status = 200;
        }
        if (status == -1) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        byte[] out = (status == 200 ? "ok" : "upstream exploded\n  while   handling " + "y".repeat(400))
                .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private WebhookNotifier hook(String format, Map<String, String> headers, int timeout, Severity minimum) {
        return new WebhookNotifier(1, new AlertsConfig.Webhook(url("/hooks/T000/B000/secret-token"), format, headers,
                timeout, minimum), "host-a", Duration.ofMillis(20), InstantSource.system());
    }

    static Notification note(Severity s) {
        JsonNode alert = TestJson.MAPPER.readTree("{\"id\":42,\"summary\":\"disk full\",\"log_events\":[]}");
        return new Notification(7, 42, 42, s, "System Alert: disk full <!channel> & ünïcödé",
                "Cause: /srv is full\n\nRecommendations:\n1. Free <b>space</b>", "CrashDetectionRule",
                "app.service/app", () -> alert);
    }

    @Test
    void jsonSendsTheWholeAlertWithTheConfiguredHeaders() {
        WebhookNotifier n = hook("json", Map.of("X-Token", "s3cret", "Authorization", "Bearer abc"), 5,
                Severity.WARNING);
        List<DeliveryAttempt> attempts = n.deliver(note(Severity.WARNING));
        assertThat(attempts).singleElement().extracting(DeliveryAttempt::delivered).isEqualTo(true);
        Request r = requests.getFirst();
        assertThat(r.path()).isEqualTo("/hooks/T000/B000/secret-token");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Token")).isEqualTo("s3cret");
        assertThat(r.header("Authorization")).isEqualTo("Bearer abc");
        JsonNode j = r.json();
        assertThat(j.path("source").asString()).isEqualTo("eyes");
        assertThat(j.path("host").asString()).isEqualTo("host-a");
        assertThat(j.path("alert_id").asLong()).isEqualTo(42);
        assertThat(j.path("group_id").asLong()).isEqualTo(42);
        assertThat(j.path("severity").asString()).isEqualTo("warning");
        assertThat(j.path("title").asString()).isEqualTo("System Alert: disk full <!channel> & ünïcödé");
        assertThat(j.path("alert").path("summary").asString()).isEqualTo("disk full");
        // the name never shows the URL's secret path, nor header values
        assertThat(n.name()).isEqualTo("webhook 1 (json, 127.0.0.1:" + server.getAddress().getPort() + ")");
        assertThat(n.accepts(Severity.INFO)).isFalse();
        assertThat(n.accepts(Severity.CRITICAL)).isTrue();
    }

    @Test
    void slackSendsTextAndBlocksWithItsEscaping() {
        hook("slack", Map.of(), 5, Severity.INFO).deliver(note(Severity.CRITICAL));
        JsonNode j = requests.getFirst().json();
        assertThat(j.path("text").asString()).isEqualTo("[CRITICAL] System Alert: disk full &lt;!channel&gt; &amp; "
                + "ünïcödé");
        JsonNode blocks = j.path("blocks");
        assertThat(blocks.size()).isEqualTo(3);
        assertThat(blocks.get(0).path("type").asString()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("type").asString()).isEqualTo("plain_text");
        assertThat(blocks.get(0).path("text").path("text").asString())
                .isEqualTo("System Alert: disk full <!channel> & ünïcödé");
        assertThat(blocks.get(1).path("text").path("type").asString()).isEqualTo("mrkdwn");
        assertThat(blocks.get(1).path("text").path("text").asString())
                .isEqualTo("Cause: /srv is full\n\nRecommendations:\n1. Free &lt;b&gt;space&lt;/b&gt;");
        assertThat(blocks.get(2).path("type").asString()).isEqualTo("context");
        assertThat(blocks.get(2).path("elements").get(0).path("text").asString())
                .isEqualTo("*critical* · CrashDetectionRule · app.service/app · Signal 0042 · host-a");
    }

    @Test
    void ntfySendsTheBodyWithTitlePriorityAndTagHeaders() {
        WebhookNotifier n = hook("ntfy", Map.of("Authorization", "Bearer tk_x"), 5, Severity.INFO);
        n.deliver(note(Severity.CRITICAL));
        n.deliver(new Notification(8, 43, 40, Severity.INFO, "plain\r\ntitle", "b", "r", null, () -> null));
        Request r = requests.getFirst();
        assertThat(r.text()).isEqualTo("Cause: /srv is full\n\nRecommendations:\n1. Free <b>space</b>");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("X-Priority")).isEqualTo("5");
        assertThat(r.header("X-Tags")).isEqualTo("rotating_light");
        assertThat(r.header("Authorization")).isEqualTo("Bearer tk_x");
        String title = r.header("X-Title");
        assertThat(title).matches("(=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]+\\?= ?)+");
        StringBuilder decoded = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("=\\?UTF-8\\?B\\?([^?]+)\\?=").matcher(title);
        while (m.find()) {
            decoded.append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
        }
        assertThat(decoded.toString()).isEqualTo("System Alert: disk full <!channel> & ünïcödé");
        Request plain = requests.get(1);
        assertThat(plain.header("X-Title")).isEqualTo("plain  title");
        assertThat(plain.header("X-Priority")).isEqualTo("3");
        assertThat(plain.header("X-Tags")).isEqualTo("information_source");
    }

    @Test
    void twoServerErrorsThenSuccessIsDelivered() {
        answers.addAll(List.of(500, 503, 200));
        List<DeliveryAttempt> attempts = hook("json", Map.of(), 5, Severity.INFO).deliver(note(Severity.WARNING));
        assertThat(attempts).extracting(DeliveryAttempt::status).containsExactly("failed", "failed", "delivered");
        assertThat(attempts.get(0).error()).startsWith("HTTP 500: upstream exploded while handling yyy")
                .endsWith("… (try 1 of 3)");
        assertThat(attempts.get(1).error()).startsWith("HTTP 503: ").endsWith("(try 2 of 3)");
        assertThat(requests).hasSize(3);
    }

    @Test
    void alwaysFailingEndsFailedWithTheLastStatusAndAnExcerpt() {
        answers.add(500);
        List<DeliveryAttempt> attempts = hook("slack", Map.of(), 5, Severity.INFO).deliver(note(Severity.WARNING));
        assertThat(attempts).hasSize(3).allMatch(a -> !a.delivered());
        String last = attempts.getLast().error();
        assertThat(last).startsWith("HTTP 500: upstream exploded while handling yyyy").endsWith("… (after 3 tries)");
        // an excerpt, not the whole body
        assertThat(last.length()).isLessThan(260);
        assertThat(requests).hasSize(3);
    }

    @Test
    void aClientErrorIsNotRetried() {
        answers.add(404);
        List<DeliveryAttempt> attempts = hook("json", Map.of(), 5, Severity.INFO).deliver(note(Severity.WARNING));
        assertThat(attempts).singleElement().satisfies(a -> assertThat(a.error()).startsWith("HTTP 404: "));
        assertThat(requests).hasSize(1);
    }

    @Test
    void aHangingServerTimesOutEachTry() {
        answers.add(-1);
        WebhookNotifier n = hook("json", Map.of(), 1, Severity.INFO);
        long start = System.nanoTime();
        List<DeliveryAttempt> attempts = n.deliver(note(Severity.WARNING));
        long took = System.nanoTime() - start;
        assertThat(attempts).hasSize(3).allMatch(a -> !a.delivered());
        assertThat(attempts.getLast().error()).isEqualTo("no answer within 1 s (after 3 tries)");
        assertThat(took).isLessThan(n.deadline().toNanos()).isGreaterThan(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void aRefusedConnectionIsRetriedAndNamesNoSecret() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WebhookNotifier n = new WebhookNotifier(2, new AlertsConfig.Webhook(
                URI.create("http://127.0.0.1:" + port + "/topic-secret"), "ntfy", Map.of(), 2, Severity.INFO),
                "h", Duration.ofMillis(10), InstantSource.system());
        List<DeliveryAttempt> attempts = n.deliver(note(Severity.WARNING));
        assertThat(attempts).hasSize(3);
        assertThat(attempts.getLast().error()).isEqualTo("cannot reach the webhook: connection refused (after 3 tries)");
    }

    @Test
    void aRestrictedHeaderFailsEveryDeliveryWithoutItsValue() {
        WebhookNotifier n = hook("json", Map.of("Host", "evil.example"), 5, Severity.INFO);
        DeliveryAttempt a = n.deliver(note(Severity.WARNING)).getFirst();
        assertThat(a.delivered()).isFalse();
        assertThat(a.error()).startsWith("header 'Host' cannot be sent").doesNotContain("evil.example");
        assertThat(requests).isEmpty();
    }

    @Test
    void secretsAreReplacedInWhatGoesToAWebhookOffThisMachine() {
        JsonNode alert = TestJson.MAPPER.readTree("{\"id\":42,\"log_events\":[{\"message\":\"login failed "
                + "password=hunter2 from 10.0.0.7\"}],\"recommendations\":[\"rotate token=abc123def456\"]}");
        Notification n = new Notification(7, 42, 42, Severity.WARNING, "System Alert: password=hunter2 leaked",
                "Evidence: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln from 10.0.0.7", "r", "s",
                () -> alert);
        Notification clean = WebhookNotifier.redacted(n, new dev.eyes.analysis.Redactor(true, false));
        assertThat(clean.title()).doesNotContain("hunter2").contains("[REDACTED");
        assertThat(clean.body()).doesNotContain("eyJhbGciOiJIUzI1NiJ9").contains("10.0.0.7");
        String json = new String(WebhookPayloads.build("json", clean, "h").body(), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("hunter2", "abc123def456").contains("10.0.0.7");
        // the stored alert is untouched
        assertThat(alert.toString()).contains("hunter2");

        // on loopback (a relay of one's own) nothing is changed
        hook("json", Map.of(), 5, Severity.INFO).deliver(n);
        assertThat(requests.getFirst().text()).contains("hunter2");
    }
}
