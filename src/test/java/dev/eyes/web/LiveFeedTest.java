package dev.eyes.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.Severity;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.Await;
import dev.eyes.testing.SseClient;
import dev.eyes.testing.TestJson;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/stream} over real sockets: events in publication order for every client, what the API's own
 * writes announce, catching up after a reconnect, and a stalled reader that is dropped without ever holding up a
 * publisher.
 */
class LiveFeedTest {
    @TempDir
    Path dir;
    WebFixture w;
    final List<SseClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        w = WebFixture.start(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (SseClient c : clients) {
            c.close();
        }
        w.close();
    }

    SseClient connect(String... headers) throws Exception {
        SseClient c = new SseClient(w.client.port(), headers);
        clients.add(c);
        Await.until("the client is connected", Duration.ofSeconds(5), () -> c.status() != 0);
        return c;
    }

    void awaitClients(int n) {
        Await.until(n + " live client(s)", Duration.ofSeconds(5), () -> w.server.events().clients() == n);
    }

    static ObjectNode data(String k, long v) {
        ObjectNode n = TestJson.MAPPER.createObjectNode();
        n.put(k, v);
        return n;
    }

    @Test
    void everyClientGetsEveryEventInPublicationOrder() throws Exception {
        SseClient a = connect();
        SseClient b = connect();
        awaitClients(2);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).isEqualTo("text/event-stream; charset=utf-8");
        // a burst within what a client may have waiting (EventHub.CLIENT_QUEUE): nobody is dropped
        int threads = 4;
        int each = 200;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            ts.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    ObjectNode n = data("thread", thread);
                    n.put("seq", i);
                    n.put("text", "ünïcødé → " + i); // multi-byte text across chunk boundaries
                    w.server.events().publish("tick", n);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        for (SseClient c : List.of(a, b)) {
            c.awaitCount("tick", threads * each, Duration.ofSeconds(20));
            List<SseClient.Event> got = c.events("tick");
            long last = 0;
            Map<Long, Long> perThread = new HashMap<>();
            for (SseClient.Event e : got) {
                assertThat(e.id()).isGreaterThan(last); // one sequence, in order
                last = e.id();
                long thread = e.json().get("thread").asLong();
                long seq = e.json().get("seq").asLong();
                assertThat(seq).isEqualTo(perThread.getOrDefault(thread, -1L) + 1); // nothing lost or reordered
                perThread.put(thread, seq);
                assertThat(e.json().get("text").asString()).isEqualTo("ünïcødé → " + seq);
            }
        }
        assertThat(a.events("tick")).extracting(SseClient.Event::id)
                .containsExactlyElementsOf(b.events("tick").stream().map(SseClient.Event::id).toList());
    }

    @Test
    void theApisOwnWritesAreAnnounced() throws Exception {
        long id = w.fx.record(AlertFixtures.trigger("CrashDetectionRule", "app.service/app", Severity.CRITICAL,
                Instant.parse("2026-03-01T10:00:00Z"), "segfault"));
        w.fx.analyze(id, AlertFixtures.insight("app crashed", Severity.CRITICAL));
        SseClient c = connect();
        awaitClients(1);
        w.client.post("/api/alerts/" + id + "/acknowledge", "{}");
        w.client.post("/api/silences", "{\"rule\": \"CrashDetectionRule\", \"duration\": \"1h\"}");
        w.client.post("/api/alerts/" + id + "/resolve", "{}");
        w.client.post("/api/auto-group-rules", "{\"target_alert_id\": " + id + ", \"process\": \"app\", "
                + "\"message_regex\": \"segfault\"}");
        c.await("rules_changed", e -> true, Duration.ofSeconds(5));
        List<String> types = c.events().stream().map(SseClient.Event::type)
                .filter(t -> !t.equals("changed")).toList();
        assertThat(types).containsExactly("alert_updated", "silences_changed", "alert_updated", "rules_changed");
        assertThat(c.events("alert_updated").get(0).json().get("change").asString()).isEqualTo("acknowledged");
        assertThat(c.events("alert_updated").get(1).json().get("change").asString()).isEqualTo("resolved");
        assertThat(c.events("alert_updated").get(1).json().get("id").asLong()).isEqualTo(id);
    }

    @Test
    void aChangeMadeByAnotherProcessIsAnnounced() throws Exception {
        SseClient c = connect();
        awaitClients(1);
        Thread.sleep(300); // the watcher's first look at the store happens as the client connects
        // another process (eyes mcp, eyes analyze) writes the same file: only the database knows
        try (dev.eyes.store.SqliteAlertStore other = new dev.eyes.store.SqliteAlertStore(
                dev.eyes.store.Database.open(dir.resolve("eyes.db")))) {
            other.createSilence(new dev.eyes.store.SilenceRequest("mcp", null, null, null, Duration.ofHours(1),
                    "X", null, null, null, null, null));
        }
        c.await("changed", e -> true, Duration.ofSeconds(10));
    }

    @Test
    void aHealthChangeIsAnnounced() throws Exception {
        SseClient c = connect();
        awaitClients(1);
        Thread.sleep(300); // the watcher has seen the healthy state
        w.health.set(Healths.storeFailing("/var/lib/eyes/eyes.db", "database or disk is full"));
        SseClient.Event e = c.await("health", x -> true, Duration.ofSeconds(10));
        assertThat(e.json().get("status").asString()).isEqualTo("failing");
        assertThat(e.json().get("problems").get(0).get("message").asString()).isEqualTo("writing to the database "
                + "/var/lib/eyes/eyes.db fails: database or disk is full — triggers wait in memory and are retried");
        w.health.set(Healths.ok());
        c.await("health", x -> x.json().get("status").asString().equals("ok"), Duration.ofSeconds(10));
    }

    @Test
    void aReconnectingClientGetsWhatItMissedOrIsToldToReload() throws Exception {
        for (int i = 1; i <= 5; i++) {
            w.server.events().publish("tick", data("n", i));
        }
        long first = w.server.events().nextId() - 5;
        SseClient c = connect("Last-Event-ID: " + (first + 1));
        c.awaitCount("tick", 3, Duration.ofSeconds(5));
        assertThat(c.events("tick")).extracting(e -> e.json().get("n").asLong()).containsExactly(3L, 4L, 5L);
        assertThat(c.events("reset")).isEmpty();
        w.server.events().publish("tick", data("n", 6));
        c.awaitCount("tick", 4, Duration.ofSeconds(5));

        for (int i = 0; i < EventHub.REPLAY + 10; i++) {
            w.server.events().publish("tick", data("n", 100 + i));
        }
        SseClient old = connect("Last-Event-ID: " + first);
        old.await("reset", e -> true, Duration.ofSeconds(5));
        SseClient future = connect("Last-Event-ID: 999999999");
        future.await("reset", e -> true, Duration.ofSeconds(5));
        // a fresh client starts with what comes next
        SseClient fresh = connect();
        awaitClients(4);
        w.server.events().publish("tick", data("n", 7));
        fresh.awaitCount("tick", 1, Duration.ofSeconds(5));
        assertThat(fresh.events("reset")).isEmpty();
    }

    @Test
    void aStalledReaderIsDroppedAndNeverHoldsUpPublishers() throws Exception {
        SseClient healthy = connect();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", w.client.port()));
            stalled.getOutputStream().write(("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            awaitClients(2);
            // never read from it: its socket buffers fill, then its queue; the healthy reader keeps up (the
            // events come in bursts it can follow, as real ones do)
            String big = "x".repeat(8 * 1024);
            long worst = 0;
            long publishing = 0;
            int n = EventHub.CLIENT_QUEUE * 3;
            for (int i = 0; i < n; i++) {
                ObjectNode d = data("n", i);
                d.put("pad", big);
                long t0 = System.nanoTime();
                w.server.events().publish("bulk", d);
                long took = System.nanoTime() - t0;
                worst = Math.max(worst, took);
                publishing += took;
                if (i % 256 == 255) {
                    healthy.awaitCount("bulk", i + 1, Duration.ofSeconds(20));
                }
            }
            Await.until("the stalled client dropped", Duration.ofSeconds(10),
                    () -> w.server.events().droppedClients() == 1);
            awaitClients(1);
            assertThat(Duration.ofNanos(worst)).as("slowest publish").isLessThan(Duration.ofMillis(200));
            assertThat(Duration.ofNanos(publishing)).as("time spent publishing").isLessThan(Duration.ofSeconds(3));
            // the reader that keeps up got everything, in order
            healthy.awaitCount("bulk", n, Duration.ofSeconds(30));
            assertThat(healthy.events("bulk")).extracting(e -> e.json().get("n").asLong())
                    .isSorted().hasSize(n);
            // its writer, blocked on a socket nobody reads, let go at once (the interrupt closed the socket)
            Await.until("the stalled stream's writer gone", Duration.ofSeconds(5),
                    () -> w.server.events().activeStreams() == 1);
            // the dropped connection was closed by the server: reading to the end finishes
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            byte[] buf = new byte[64 * 1024];
            while (in.read(buf) != -1) {
                // drain
            }
        }
        assertThat(w.client.get("/api/health").json().get("web").get("dropped_live_clients").asLong()).isEqualTo(1);
    }

    @Test
    void tooManyClientsAreRefused() throws Exception {
        List<SseClient> many = new ArrayList<>();
        for (int i = 0; i < EventHub.MAX_CLIENTS; i++) {
            many.add(connect());
        }
        awaitClients(EventHub.MAX_CLIENTS);
        SseClient extra = connect();
        Await.until("the extra client answered", Duration.ofSeconds(5), () -> extra.status() != 0);
        assertThat(extra.status()).isEqualTo(503);
        many.getFirst().close();
        // a closed connection is noticed when writing to it fails (events, or the 15 s keep-alive)
        Await.until("the closed client noticed", Duration.ofSeconds(10), () -> {
            w.server.events().publish("tick", data("n", 1));
            return w.server.events().clients() == EventHub.MAX_CLIENTS - 1;
        });
        assertThat(connect().status()).isEqualTo(200);
    }

    @Test
    void stoppingEndsEveryStream() throws Exception {
        SseClient c = connect();
        awaitClients(1);
        w.server.stop(Duration.ofSeconds(1));
        Await.until("the stream ended", Duration.ofSeconds(5), c::ended);
    }
}
