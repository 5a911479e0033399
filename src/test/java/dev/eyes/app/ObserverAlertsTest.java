package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.eyes.alert.notify.Notifier;
import dev.eyes.alert.notify.Notifiers;
import dev.eyes.config.AlertsConfig;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.Severity;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.store.AlertListRequest;
import dev.eyes.store.AlertRecord;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.testing.Await;
import dev.eyes.testing.Sql;
import dev.eyes.testing.TestJson;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * End to end through the real observer: lines appended to a tailed file → rule → candidate → mock analysis →
 * alert → a webhook on a local server; a recurrence from the same source joins the group and is not sent again;
 * acknowledgement from "another process" (a second store on the same file) keeps an escalation-free group quiet.
 */
class ObserverAlertsTest {
    @TempDir
    Path dir;

    HttpServer server;
    final List<JsonNode> posts = new CopyOnWriteArrayList<>();
    Path logFile;
    Path db;

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", ex -> {
            posts.add(TestJson.MAPPER.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        logFile = dir.resolve("app.log");
        Files.writeString(logFile, "");
        db = dir.resolve("eyes.db");
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private EyesConfig config() throws Exception {
        String toml = """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "plain"
                [metrics]
                enabled = false
                disk_enabled = false
                [triggers]
                error_threshold = 1
                error_window_seconds = 10
                cooldown_seconds = 1
                [ai]
                backend = "mock"
                [[alerts.webhooks]]
                url = "http://127.0.0.1:%d/hook"
                format = "json"
                headers = { "X-Token" = "secret" }
                [storage]
                database_path = "%s"
                [web]
                enabled = false
                """.formatted(logFile, server.getAddress().getPort(), db);
        return ConfigLoader.parse(toml, null, Map.of()).config();
    }

    private void append(String lines) throws Exception {
        Files.writeString(logFile, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Every candidate stored so far has its alert (the alert stage has decided on each). */
    private boolean allDecided(long atLeast) throws Exception {
        long candidates = Sql.count(db, "SELECT COUNT(*) FROM alert_candidates");
        return candidates >= atLeast && Sql.count(db, "SELECT COUNT(*) FROM alert_candidates WHERE alert_id IS NULL")
                == 0;
    }

    @Test
    void aFileErrorBecomesOneWebhookNotificationAndItsRecurrenceJoinsTheGroup() throws Exception {
        Observer o = new Observer(config(), new Observer.Options(false), Platform.LINUX, RestartPolicy.DEFAULT);
        o.start();
        SqliteAlertStore other = new SqliteAlertStore(Database.open(db));
        CandidateStore candidates = new CandidateStore(o.database());
        try {
            assertThat(o.alerts().notifiers()).extracting(Notifier::name)
                    .containsExactly("webhook 1 (json, 127.0.0.1:" + server.getAddress().getPort() + ")");
            // the tail starts at the file's end once it has opened it: append until it sees the lines
            Await.untilTrue("the first alert delivered", Duration.ofSeconds(20), () -> {
                if (candidates.count() == 0) {
                    append("error: disk quota exceeded for /srv\nerror: write failed on /srv/data\n");
                    Thread.sleep(200);
                }
                return posts.size() == 1 && allDecided(1);
            });
            JsonNode post = posts.getFirst();
            long root = post.path("group_id").asLong();
            long sent = post.path("alert_id").asLong();
            assertThat(post.path("severity").asString()).isEqualTo("warning");
            assertThat(post.path("title").asString()).startsWith("System Alert: [mock]");
            assertThat(post.path("alert").path("log_events").get(0).path("message").asString())
                    .startsWith("error: ");
            Await.untilTrue("stored delivered", Duration.ofSeconds(5),
                    () -> "delivered".equals(other.getAlert(sent).status()));
            assertThat(other.getAlert(sent).deliveries()).singleElement().satisfies(d -> {
                assertThat(d.status()).isEqualTo("delivered");
                assertThat(d.notifier()).startsWith("webhook 1 (json, 127.0.0.1:");
            });
            long firstBurst = candidates.count();

            // the same problem again, from the same file, after the rule's cooldown: grouped, analysed, stored,
            // not sent again
            Thread.sleep(1200);
            append("error: disk quota exceeded for /srv again\nerror: write failed on /srv/data again\n");
            Await.untilTrue("the recurrence decided", Duration.ofSeconds(20), () -> allDecided(firstBurst + 1));
            AlertRecord group = other.getAlert(root);
            assertThat(group.similarAlertCount()).isEqualTo((int) candidates.count() - 1);
            for (dev.eyes.store.AlertSummary member : other.searchAlerts(dev.eyes.store.AlertSearchRequest.all())
                    .alerts()) {
                assertThat(member.groupParentId()).isEqualTo(member.id() == root ? null : root);
                if (member.id() != sent) {
                    AlertRecord a = other.getAlert(member.id());
                    assertThat(a.status()).isEqualTo("suppressed");
                    assertThat(a.statusReason()).isEqualTo("the group of alert " + root
                            + " was already notified at warning and this alert is not more severe");
                }
            }
            assertThat(other.listAlerts(AlertListRequest.defaults()).alerts()).extracting(AlertRecord::id)
                    .containsExactly(root);
            Thread.sleep(300);
            assertThat(posts).hasSize(1);
            assertThat(o.alerts().stats().delivered()).isEqualTo(1);
            assertThat(o.alerts().stats().suppressed()).isEqualTo(candidates.count() - 1);

            // acknowledged and resolved from another process: the next occurrence is news again
            other.acknowledgeAlert(root, "alice", "looking");
            other.resolveAlert(root, "alice", "cleaned /srv");
            Thread.sleep(1200);
            append("error: disk quota exceeded for /srv once more\nerror: write failed on /srv/data once more\n");
            Await.until("a new group's notification", Duration.ofSeconds(20), () -> posts.size() == 2);
            long newRoot = posts.get(1).path("group_id").asLong();
            assertThat(newRoot).isNotEqualTo(root);
            assertThat(other.getAlert(newRoot).groupParentId()).isNull();
        } finally {
            o.stop(Duration.ofSeconds(5));
            other.close();
        }
        assertThat(Sql.count(db, "SELECT COUNT(*) FROM alerts WHERE status = 'pending'")).isZero();
    }

    @Test
    void desktopNotificationsOnlyWithTheFlag() {
        AlertsConfig alerts = AlertsConfig.defaults();
        assertThat(Notifiers.create(alerts, false, Platform.LINUX, InstantSource.system())).isEmpty();
        assertThat(Notifiers.create(alerts, true, Platform.LINUX, InstantSource.system()))
                .extracting(Notifier::name).containsExactly("desktop (notify-send)");
        assertThat(Notifiers.create(alerts, true, Platform.MACOS, InstantSource.system()))
                .extracting(Notifier::name).containsExactly("desktop (osascript)");
        assertThat(Notifiers.create(alerts, true, Platform.OTHER, InstantSource.system())).isEmpty();
        AlertsConfig hooks = new AlertsConfig(3, Severity.WARNING, 100, 24, List.of(new AlertsConfig.Webhook(
                URI.create("https://ntfy.example/topic"), "ntfy", Map.of(), 10, Severity.CRITICAL)));
        List<Notifier> both = Notifiers.create(hooks, true, Platform.LINUX, InstantSource.system());
        assertThat(both).extracting(Notifier::name).containsExactly("desktop (notify-send)",
                "webhook 1 (ntfy, ntfy.example)");
        assertThat(both.get(1).accepts(Severity.WARNING)).isFalse();
    }
}
