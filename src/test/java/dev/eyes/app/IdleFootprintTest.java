package dev.eyes.app;

import static dev.eyes.testing.FakeLlmServer.ollamaStream;
import static dev.eyes.testing.FakeLlmServer.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.testing.Answers;
import dev.eyes.testing.Await;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.FakeLlmServer;
import dev.eyes.testing.Sql;
import dev.eyes.testing.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What keeps an idle observer small (README "Footprint"), checked with the JVM's own class-loading log of a real
 * {@code eyes run}: while idle — following a file, sampling metrics and disks, writing its heartbeat, answering
 * the dashboard and {@code /metrics} — it builds no Jackson {@code ObjectMapper} (~400 classes of data binding,
 * ~4.5 MB) and no HTTP client ({@code java.net.http} and TLS, ~10 MB). A trigger and its
 * analysis then make the HTTP client (the call to the model) but still no {@code ObjectMapper}.
 */
class IdleFootprintTest {
    static final Pattern DASHBOARD = Pattern.compile("dashboard: http://127\\.0\\.0\\.1:(\\d+)");
    static final String MAPPER = " tools.jackson.databind.ObjectMapper ";
    static final String HTTP_CLIENT = " jdk.internal.net.http.HttpClientImpl ";

    @TempDir
    Path dir;

    @Test
    void idleItBuildsNoObjectMapperAndNoHttpClientAndAnAnalysisStillNoObjectMapper() throws Exception {
        Path log = dir.resolve("app.log");
        Path db = dir.resolve("eyes.db");
        Path classes = dir.resolve("classes.log");
        Files.writeString(log, "");
        try (FakeLlmServer llm = new FakeLlmServer().always(ollamaStream(Answers.GOOD))
                .onGet(raw(200, "application/json",
                        "{\"models\":[{\"name\":\"llama3.2:latest\"}]}".getBytes(StandardCharsets.UTF_8)))) {
            Path config = dir.resolve("config.toml");
            Files.writeString(config, """
                    [logging]
                    sources = ["none"]
                    [[logging.files]]
                    path = "%s"
                    format = "plain"
                    [triggers]
                    error_threshold = 1
                    [ai]
                    backend = "ollama"
                    endpoint = "%s"
                    model = "llama3.2:latest"
                    [storage]
                    database_path = "%s"
                    [web]
                    bind_address = "127.0.0.1:0"
                    """.formatted(log, llm.url(), db));
            try (EyesProcess eyes = EyesProcess.start(List.of("-Xlog:class+load=info:file=" + classes), Map.of(),
                    dir, "run", "--config", config.toString())) {
                Matcher m = DASHBOARD.matcher(eyes.awaitStderr(l -> DASHBOARD.matcher(l).find(),
                        Duration.ofSeconds(30)));
                assertThat(m.find()).isTrue();
                eyes.awaitStderr(l -> l.contains("is watching"), Duration.ofSeconds(30));
                WebClient web = new WebClient("127.0.0.1", Integer.parseInt(m.group(1)));

                // idle, with the dashboard open: the page, its lists, the health, the charts, /metrics
                for (String path : List.of("/", "/api/health", "/api/alerts", "/api/metrics/series", "/metrics")) {
                    assertThat(web.get(path).status()).as(path).isEqualTo(200);
                }
                assertThat(web.get("/api/health").json().path("state").asString()).isEqualTo("running");
                // a heartbeat row written (every 10 s) and the backend found ready
                Await.untilTrue("a heartbeat", Duration.ofSeconds(20),
                        () -> Sql.count(db, "SELECT count(*) FROM observer_heartbeat") > 0);
                Await.untilTrue("the backend checked", Duration.ofSeconds(20),
                        () -> !llm.requests().isEmpty());
                String idle = Files.readString(classes);
                assertThat(idle).as("the class-loading log works").contains(" dev.eyes.selfmon.HealthJson ")
                        .contains(" tools.jackson.databind.node.ObjectNode ");
                assertThat(idle).as("an ObjectMapper while idle").doesNotContain(MAPPER);
                assertThat(idle).as("the HTTP client while idle").doesNotContain(HTTP_CLIENT);

                // a trigger, its evidence stored, analysed by the (fake) model
                Files.writeString(log, "error: upstream refused the connection\nerror: upstream timed out\n",
                        StandardOpenOption.APPEND);
                try {
                    Await.untilTrue("an analysed candidate", Duration.ofSeconds(30), () -> Sql.count(db,
                            "SELECT count(*) FROM alert_candidates WHERE analysis_status = 'analyzed'") == 1);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; candidates: " + Sql.query(db,
                            "SELECT id, analysis_status FROM alert_candidates") + "; model requests: "
                            + llm.requests().size() + "; stderr:\n" + String.join("\n", eyes.stderr()), e);
                }
                // and the dashboard shows it: the list, the alert with its evidence and insight, silences, rules
                JsonNode list = web.get("/api/alerts").json();
                long id = list.path("alerts").path(0).path("id").asLong();
                WebClient.Response detail = web.get("/api/alerts/" + id);
                assertThat(detail.status()).isEqualTo(200);
                assertThat(detail.body()).contains("nginx cannot reach its upstream").contains("upstream timed out");
                assertThat(web.get("/api/silences").status()).isEqualTo(200);
                assertThat(web.get("/api/auto-group-rules").status()).isEqualTo(200);
                String after = Files.readString(classes);
                assertThat(after).as("the analysis made the HTTP client").contains(HTTP_CLIENT);
                assertThat(after).as("an ObjectMapper after a trigger and its analysis").doesNotContain(MAPPER);
                assertThat(llm.posts()).hasSize(1);
            }
        }
    }
}
