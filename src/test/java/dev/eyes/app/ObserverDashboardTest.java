package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.config.WebConfig;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.testing.Await;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.SseClient;
import dev.eyes.testing.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard inside the real observer: a line appended to a tailed file reaches the live feed as a new
 * candidate, then its analysis (started, the model's text, finished) and its alert's status — in that order; the
 * health names an unreachable backend; binding is refused when it must be.
 */
class ObserverDashboardTest {
    @TempDir
    Path dir;

    EyesConfig config(String ai, String web) throws Exception {
        Path log = dir.resolve("app.log");
        if (!Files.exists(log)) {
            Files.writeString(log, "");
        }
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
                cooldown_seconds = 1
                [ai]
                %s
                [storage]
                database_path = "%s"
                [web]
                %s
                """.formatted(log, ai, dir.resolve("eyes.db"), web);
        return ConfigLoader.parse(toml, null, Map.of()).config();
    }

    void append(String lines) throws Exception {
        Files.writeString(dir.resolve("app.log"), lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    void aTriggerReachesTheLiveFeedThenItsAnalysisThenItsAlertInOrder() throws Exception {
        Observer o = new Observer(config("backend = \"mock\"\nmock_delay_ms = 200", "bind_address = \"127.0.0.1:0\""),
                new Observer.Options(false), Platform.LINUX, RestartPolicy.DEFAULT);
        o.start();
        try (SseClient feed = new SseClient(o.web().address().getPort())) {
            Await.until("connected", Duration.ofSeconds(5), () -> o.web().events().clients() == 1);
            WebClient http = new WebClient("127.0.0.1", o.web().address().getPort());
            Await.untilTrue("a candidate on the live feed", Duration.ofSeconds(20), () -> {
                if (feed.events("candidate").isEmpty()) {
                    append("error: upstream refused the connection\nerror: upstream timed out\n");
                    Thread.sleep(300);
                }
                return !feed.events("candidate").isEmpty();
            });
            long id = feed.events("candidate").getFirst().json().get("id").asLong();
            feed.await("alert_status", e -> e.json().get("id").asLong() == id, Duration.ofSeconds(20));
            List<String> sequence = feed.events().stream()
                    .filter(e -> !e.type().equals("changed") && !e.type().equals("health"))
                    .filter(e -> e.json().path("id").asLong() == id)
                    .map(SseClient.Event::type).distinct().toList();
            assertThat(sequence).containsExactly("candidate", "analysis_started", "analysis_text", "analysis_finished",
                    "alert_status");
            JsonNode candidate = feed.events("candidate").getFirst().json();
            assertThat(candidate.get("triggered_by").asString()).isEqualTo("ErrorFrequencyRule");
            assertThat(candidate.get("analysis_status").asString()).isEqualTo("pending");
            String streamed = String.join("", feed.events("analysis_text").stream()
                    .filter(e -> e.json().get("id").asLong() == id).map(e -> e.json().get("text").asString()).toList());
            assertThat(streamed).contains("\"summary\"").contains("[mock]");
            JsonNode status = feed.await("alert_status", e -> e.json().get("id").asLong() == id, Duration.ZERO).json();
            assertThat(status.get("status").asString()).isEqualTo("suppressed");
            // ids grow: the order the browser sees is the order it happened
            List<Long> ids = feed.events().stream().map(SseClient.Event::id).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();

            JsonNode list = http.get("/api/alerts").json();
            assertThat(list.get("alerts").get(0).get("id").asLong()).isEqualTo(id);
            assertThat(list.get("alerts").get(0).get("analysis_status").asString()).isEqualTo("analyzed");
            JsonNode health = http.get("/api/health").json();
            assertThat(health.get("status").asString()).isEqualTo("ok");
            assertThat(health.get("sources").get(0).get("name").asString()).startsWith("file:");
            assertThat(health.get("ai").get("backend").asString()).isEqualTo("mock");
            assertThat(health.get("store").get("stored_triggers").asLong()).isPositive();
            // the one health model: self-monitoring's snapshot, with the analysis and alert stages in it
            assertThat(health.get("state").asString()).isEqualTo("running");
            assertThat(health.get("process").get("rss_bytes").asLong()).isPositive();
            assertThat(health.get("ai").get("analyzed").asLong()).isPositive();
            assertThat(health.get("alerts").get("suppressed").asLong()).isPositive();
            assertThat(health.get("web").get("live_clients").asInt()).isEqualTo(1);
            // the stages' meters on the dashboard's /metrics
            String metrics = http.get("/metrics").body();
            assertThat(metrics).containsPattern("(?m)^eyes_ai_attempts_total\\{backend=\"mock\"[^}]*} [1-9]")
                    .containsPattern("(?m)^eyes_alerts_total\\{status=\"suppressed\"[^}]*} [1-9]")
                    .containsPattern("(?m)^eyes_ai_request_seconds_count\\{[^}]*backend=\"mock\"[^}]*} [1-9]")
                    .contains("eyes_alert_queue_capacity");
        } finally {
            o.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void healthNamesAnUnreachableBackendWithWhatToDo() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closed;
        Observer o = new Observer(config("backend = \"ollama\"\nendpoint = \"" + endpoint + "\"",
                "bind_address = \"127.0.0.1:0\""), new Observer.Options(false), Platform.LINUX, RestartPolicy.DEFAULT);
        o.start();
        try {
            WebClient http = new WebClient("127.0.0.1", o.web().address().getPort());
            Await.untilTrue("the backend checked", Duration.ofSeconds(15),
                    () -> http.get("/api/health").json().get("problems").size() > 0);
            JsonNode h = http.get("/api/health").json();
            assertThat(h.get("status").asString()).isEqualTo("degraded");
            assertThat(h.get("problems").get(0).get("message").asString()).isEqualTo("AI backend not reachable at "
                    + endpoint + ": start Ollama (ollama serve) or configure [ai]; analyses wait and are retried");
            assertThat(h.get("ai").get("reachable").asBoolean()).isFalse();
            assertThat(h.get("ai").get("message").asString()).contains("connection refused");
        } finally {
            o.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPortInUseStopsTheStartWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Observer o = new Observer(config("backend = \"mock\"", "bind_address = \"127.0.0.1:"
                    + taken.getLocalPort() + "\""), new Observer.Options(false), Platform.LINUX, RestartPolicy.DEFAULT);
            try {
                assertThatThrownBy(o::start).isInstanceOf(UserError.class)
                        .hasMessageContaining("cannot serve the dashboard on 127.0.0.1:" + taken.getLocalPort())
                        .hasMessageContaining("web.enabled = false");
            } finally {
                o.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void disabledServesNothing() throws Exception {
        Observer o = new Observer(config("backend = \"mock\"", "enabled = false"), new Observer.Options(false),
                Platform.LINUX, RestartPolicy.DEFAULT);
        o.start();
        try {
            assertThat(o.web()).isNull();
            assertThat(o.selfMonitor().health().sources()).isNotEmpty(); // the heartbeat still has it
        } finally {
            o.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void bindOverridesTheAddressAndIsRefusedOffLoopbackWithoutAToken() {
        WebConfig off = new WebConfig(false, "127.0.0.1:8787", "", List.of("eyes.lan"));
        WebConfig on = RunCommand.withBind(off, "127.0.0.1:9999");
        assertThat(on.enabled()).isTrue();
        assertThat(on.bindAddress()).isEqualTo("127.0.0.1:9999");
        assertThat(on.allowedHosts()).containsExactly("eyes.lan");
        assertThatThrownBy(() -> RunCommand.withBind(off, "0.0.0.0:8787")).isInstanceOf(UserError.class)
                .hasMessage("--bind 0.0.0.0:8787 is not a loopback address: set web.token in the configuration first "
                        + "(the dashboard never serves other machines without a token)");
        assertThatThrownBy(() -> RunCommand.withBind(off, "nonsense")).isInstanceOf(UserError.class)
                .hasMessageStartingWith("--bind must look like 127.0.0.1:8787");
        WebConfig withToken = new WebConfig(true, "127.0.0.1:8787", "t0ken", List.of());
        assertThat(RunCommand.withBind(withToken, "0.0.0.0:8787").bindAddress()).isEqualTo("0.0.0.0:8787");
    }

    @Test
    void runWithBindOffLoopbackAndNoTokenExitsOne() throws Exception {
        Path cfg = Files.writeString(dir.resolve("c.toml"), "[logging]\nsources = [\"none\"]\n");
        try (EyesProcess p = EyesProcess.start(Map.of(), "run", "--config", cfg.toString(), "--bind", "0.0.0.0:0")) {
            assertThat(p.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(p.stderr()).anyMatch(l -> l.contains("--bind 0.0.0.0:0 is not a loopback address"));
        }
    }
}
