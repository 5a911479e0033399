package dev.eyes.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eyes.alert.notify.Notifier;
import dev.eyes.alert.notify.WebhookNotifier;
import dev.eyes.config.AlertsConfig;
import dev.eyes.event.Severity;
import dev.eyes.store.AlertRecord;
import dev.eyes.store.DeliveryAttempt;
import dev.eyes.testing.Await;
import dev.eyes.testing.TestJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The alert manager's own thread delivering through real webhooks to a local server: retries that end well, a
 * webhook that always fails, and one that hangs while another answers.
 */
class WebhookDeliveryTest {
    @TempDir
    Path dir;

    Harness h;
    HttpServer server;
    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir.resolve("eyes.db"));
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
        String path = ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        int n = hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        int status = switch (path) {
            case "/flaky" -> n <= 2 ? 500 : 200;
            case "/broken" -> 500;
            case "/slow" -> -1;
            default -> 200;
        };
        if (status == -1) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        if (status == 200) {
            received.add(TestJson.MAPPER.readTree(body));
        }
        byte[] out = (status == 200 ? "ok" : "{\"error\":\"database unavailable\"}").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private Notifier hook(int index, String path, int timeout) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return new WebhookNotifier(index, new AlertsConfig.Webhook(url, "json", Map.of(), timeout, Severity.INFO),
                "test-host", Duration.ofMillis(50), h.clock);
    }

    @Test
    void retriesThatEndWellDeliverAndAFailingWebhookIsRecordedWithItsReason() throws Exception {
        AlertManager flaky = h.manager(10, Severity.WARNING, 100, null, hook(1, "/flaky", 5));
        flaky.start();
        try {
            long id = h.raise(flaky, "a.service/a", Severity.WARNING, "disk full").candidateId();
            Await.untilTrue("delivered", Duration.ofSeconds(10), () -> "delivered".equals(h.status(id)));
            AlertRecord a = h.alert(id);
            assertThat(a.deliveries()).extracting(DeliveryAttempt::status)
                    .containsExactly("failed", "failed", "delivered");
            assertThat(a.deliveries().getFirst().error())
                    .isEqualTo("HTTP 500: {\"error\":\"database unavailable\"} (try 1 of 3)");
            // the json format carries the whole alert as stored
            JsonNode payload = received.getFirst();
            assertThat(payload.path("alert_id").asLong()).isEqualTo(id);
            assertThat(payload.path("alert").path("id").asLong()).isEqualTo(id);
            assertThat(payload.path("alert").path("log_events").get(0).path("message").asString())
                    .isEqualTo("disk full");
            assertThat(payload.path("alert").path("recommendations").get(0).asString())
                    .isEqualTo("Restart the upstream");
        } finally {
            flaky.stop(Duration.ofSeconds(2));
        }

        AlertManager broken = h.manager(10, Severity.WARNING, 100, null, hook(2, "/broken", 5));
        broken.start();
        try {
            long id = h.raise(broken, "b.service/b", Severity.WARNING, "oops").candidateId();
            Await.untilTrue("failed", Duration.ofSeconds(10), () -> "delivery_failed".equals(h.status(id)));
            AlertRecord a = h.alert(id);
            assertThat(a.deliveries()).hasSize(3);
            assertThat(a.failureMessage()).isEqualTo("webhook 2 (json, 127.0.0.1:" + server.getAddress().getPort()
                    + "): HTTP 500: {\"error\":\"database unavailable\"} (after 3 tries)");
            assertThat(a.statusReason()).isEqualTo("delivery failed");
            assertThat(a.deliveredAt()).isNull();
            assertThat(a.deliveryAttemptedAt()).isNotNull();
        } finally {
            broken.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void aHangingWebhookTimesOutWithoutHoldingUpTheOtherOrTheNextAlert() throws Exception {
        AlertManager m = h.manager(10, Severity.WARNING, 100, null, hook(1, "/slow", 1), hook(2, "/fast", 5));
        m.start();
        try {
            long start = System.nanoTime();
            long first = h.raise(m, "a.service/a", Severity.WARNING, "a").candidateId();
            long second = h.raise(m, "b.service/b", Severity.CRITICAL, "b").candidateId();
            Await.untilTrue("both delivered by the fast webhook", Duration.ofSeconds(10),
                    () -> "delivered".equals(h.status(first)) && "delivered".equals(h.status(second)));
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(2500).toNanos());
            assertThat(hits.get("/fast").get()).isEqualTo(2);
            // the slow one gives up on each try after its 1 s timeout and is recorded failed
            Await.untilTrue("the slow webhook recorded", Duration.ofSeconds(15),
                    () -> h.alert(first).deliveries().size() == 4);
            AlertRecord a = h.alert(first);
            assertThat(a.status()).isEqualTo("delivered");
            assertThat(a.failureMessage()).endsWith("no answer within 1 s (after 3 tries)");
            assertThat(m.stats().inFlight()).isBetween(0, 1);
        } finally {
            m.stop(Duration.ofSeconds(5));
        }
    }
}
