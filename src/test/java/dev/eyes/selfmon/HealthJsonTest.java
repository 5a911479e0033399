package dev.eyes.selfmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The health document: what it says, its problems, and a lossless round trip through JSON. */
class HealthJsonTest {
    static final Instant T = Instant.parse("2026-11-28T10:00:00.123456Z");

    static Health full() {
        return new Health(T, 4242, "0.1.0", Health.State.RUNNING, T.minusSeconds(600),
                List.of(new Health.SourceHealth("journald", "log", "journald-json", "running", "", 1, T, 42, 2),
                        new Health.SourceHealth("file:/var/log/app.log", "log", "syslog", "degraded",
                                "waiting for /var/log/app.log to exist", 0, T, 0, 0),
                        new Health.SourceHealth("metrics", "metrics", null, "running",
                                "unavailable: rapl: no RAPL", 0, T, 120, 0)),
                new Health.PipelineHealth(10, 8192, 500, 3, 0, 256, 620, 40),
                new Health.StoreHealth("/var/lib/eyes/eyes.db", true, 0, 5, 1, null, null,
                        Map.of("pending", 2L, "analyzed", 3L)),
                new Health.AiHealth("ollama", "llama3", "http://localhost:11434", false, false,
                        "connection refused", T, true, 0, 2, 1, 1, 3, 0),
                new Health.AlertsHealth(95, 100, 0, 0, 10, 1, 2, 3, 0, 3, 3, List.of("desktop", "webhook-json")),
                new Health.ProcessHealth(52_000_000, 6_000_000, 8_000_000, 201_326_592, 0.25, 21, 600),
                new Health.SamplingHealth(true, 5, 7.5, true, List.of("memory 450 MB > 400 MB")),
                List.of(new Health.Warning("memory", "Eyes uses 612 MB of memory (warning above 500 MB)", T)));
    }

    @Test
    void problemsSayWhatToDo() {
        Health h = full();
        assertThat(h.problems()).extracting(Health.Problem::component, Health.Problem::level).containsExactly(
                org.assertj.core.groups.Tuple.tuple("source", "warning"),
                org.assertj.core.groups.Tuple.tuple("ai", "warning"),
                org.assertj.core.groups.Tuple.tuple("alerts", "warning"),
                org.assertj.core.groups.Tuple.tuple("self", "warning"));
        assertThat(h.problems().get(1).message()).isEqualTo("AI backend not reachable at http://localhost:11434:"
                + " start Ollama (ollama serve) or configure [ai]; analyses wait and are retried");
        assertThat(h.status()).isEqualTo(Health.DEGRADED);

        Health failing = new Health(T, 1, "v", Health.State.RUNNING, T, List.of(), null,
                new Health.StoreHealth("/x.db", false, 7, 0, 3, "disk I/O error", T, Map.of()), null, null, null,
                null, List.of());
        assertThat(failing.status()).isEqualTo(Health.FAILING);
        assertThat(failing.problems()).singleElement().extracting(Health.Problem::message).asString()
                .startsWith("writing to the database /x.db fails: disk I/O error");

        Health quiet = new Health(T, 1, "v", Health.State.RUNNING, T,
                List.of(new Health.SourceHealth("journald", "log", "journald-json", "running", "", 0, T, 0, 0)),
                new Health.PipelineHealth(0, 8192, 0, 0, 0, 256, 0, 0), null, null, null, null, null, List.of());
        assertThat(quiet.status()).isEqualTo(Health.OK);
        assertThat(quiet.problems()).isEmpty();
    }

    @Test
    void roundTripKeepsEverything() {
        Health h = full();
        String json = HealthJson.write(h);
        Health back = HealthJson.parse(json);
        assertThat(back).isEqualTo(h);
        assertThat(HealthJson.write(back)).isEqualTo(json);
    }

    @Test
    void theWireFormatIsSnakeCaseWithStatusAndProblems() {
        JsonNode n = JsonMapper.builder().build().readTree(HealthJson.write(full()));
        assertThat(n.path("status").asString()).isEqualTo("degraded");
        assertThat(n.path("checked_at").asString()).isEqualTo("2026-11-28T10:00:00.123456Z");
        assertThat(n.path("state").asString()).isEqualTo("running");
        assertThat(n.path("problems").get(0).path("message").asString())
                .isEqualTo("file:/var/log/app.log is degraded: waiting for /var/log/app.log to exist");
        assertThat(n.path("sources").get(0).path("events_ingested").asLong()).isEqualTo(42);
        assertThat(n.path("pipeline").path("queue_capacity").asInt()).isEqualTo(8192);
        assertThat(n.path("store").path("candidates").path("analyzed").asLong()).isEqualTo(3);
        assertThat(n.path("ai").path("reachable").asBoolean(true)).isFalse();
        assertThat(n.path("alerts").path("notifiers").size()).isEqualTo(2);
        assertThat(n.path("process").path("cpu_percent").asDouble()).isEqualTo(0.25);
        assertThat(n.path("sampling").path("interval_seconds").asDouble()).isEqualTo(7.5);
        assertThat(HealthJson.summary(full()).propertyNames()).containsExactly("status", "checked_at", "problems");
    }

    @Test
    void emptySlotsAreNull() {
        Health h = new Health(T, 1, "v", Health.State.STOPPED, T, List.of(), null, null, null, null, null, null,
                List.of());
        JsonNode n = JsonMapper.builder().build().readTree(HealthJson.write(h));
        assertThat(n.path("ai").isNull()).isTrue();
        assertThat(n.path("alerts").isNull()).isTrue();
        assertThat(HealthJson.parse(HealthJson.write(h))).isEqualTo(h);
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> HealthJson.parse("[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthJson.parse("{\"checked_at\": \"2026-11-28T10:00:00Z\", \"state\": \"dancing\"}"))
                .hasMessageContaining("unknown state");
        assertThatThrownBy(() -> HealthJson.parse("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
