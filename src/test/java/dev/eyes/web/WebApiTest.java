package dev.eyes.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.Severity;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.Await;
import dev.eyes.testing.Triggers;
import dev.eyes.testing.WebClient.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The JSON API over real HTTP against a real SQLite file: paging, sorting, filters, every status code, the triage
 * writes, silences and rules, the metrics series.
 */
class WebApiTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    WebFixture w;

    @BeforeEach
    void setUp() throws Exception {
        w = WebFixture.start(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        w.close();
    }

    static Severity sev(int i) {
        return i % 3 == 1 ? Severity.CRITICAL : i % 3 == 2 ? Severity.WARNING : Severity.INFO;
    }

    /**
     * 12 roots (ids 1..12): severities critical, warning, info in turn; rules alternate; each its own source;
     * 1..8 analysed (summaries in reverse alphabetical order of id), 9 and 10 failed, 11 pending, 12 analysed and
     * resolved; 13 a child of 1; the reason of 7 holds "needle-xyz".
     */
    void seed() throws Exception {
        for (int i = 1; i <= 12; i++) {
            String rule = i % 2 == 0 ? "ErrorFrequencyRule" : "CrashDetectionRule";
            long id = w.fx.record(AlertFixtures.trigger(rule, "svc" + i + ".service/p" + i, sev(i),
                    T.plusSeconds(60L * i), "failure number " + i + (i == 7 ? " needle-xyz" : "")));
            assertThat(id).isEqualTo(i);
            if (i <= 8 || i == 12) {
                w.fx.analyze(id, AlertFixtures.insight((char) ('a' + (12 - i)) + " summary " + i, sev(i)));
            } else if (i <= 10) {
                w.fx.assessments.failed(id, 1, "backend said no");
            }
        }
        w.store.resolveAlert(12, "tester", "done");
        long child = w.fx.record(AlertFixtures.trigger("CrashDetectionRule", "svc1.service/p1", Severity.CRITICAL,
                T.plusSeconds(3600), "again"));
        w.store.attachSimilarAlerts(1, List.of(child));
    }

    static List<Long> ids(Response r) {
        List<Long> out = new ArrayList<>();
        for (JsonNode a : r.json().get("alerts")) {
            out.add(a.get("id").asLong());
        }
        return out;
    }

    static List<String> field(Response r, String f) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : r.json().get("alerts")) {
            out.add(a.get(f).asString());
        }
        return out;
    }

    // ---- list ---------------------------------------------------------------------------------------------

    @Test
    void listPagesGroupRootsOpenOnlyByDefault() throws Exception {
        seed();
        Response r = w.client.get("/api/alerts");
        assertThat(r.status()).isEqualTo(200);
        JsonNode n = r.json();
        assertThat(n.get("groups_total").asLong()).isEqualTo(11); // 12 roots, one resolved; the child is no root
        assertThat(n.get("page").asInt()).isEqualTo(1);
        assertThat(n.get("page_size").asInt()).isEqualTo(10);
        assertThat(n.get("total_pages").asInt()).isEqualTo(2);
        assertThat(ids(r)).hasSize(10).doesNotContain(12L, 13L);
        assertThat(n.get("counts").get("total").asLong()).isEqualTo(13);
        assertThat(n.get("counts").get("critical").asLong()).isEqualTo(5); // 1, 4, 7, 10 and the child
        // the first row is 1 (its child touched it last); list rows carry no events
        JsonNode first = n.get("alerts").get(0);
        assertThat(first.get("id").asLong()).isEqualTo(1);
        assertThat(first.get("similar_alert_count").asInt()).isEqualTo(1);
        assertThat(first.has("log_events")).isFalse();
        assertThat(first.get("analysis_live").asBoolean()).isFalse();

        Response p2 = w.client.get("/api/alerts?page=2");
        assertThat(ids(p2)).hasSize(1);
        assertThat(ids(p2)).doesNotContainAnyElementsOf(ids(r));

        assertThat(ids(w.client.get("/api/alerts?show_resolved=true&page_size=50"))).hasSize(12).contains(12L);
        Response five = w.client.get("/api/alerts?page_size=5&page=3");
        assertThat(five.json().get("total_pages").asInt()).isEqualTo(3);
        assertThat(ids(five)).hasSize(1);
        // page_size is clamped to 5..50
        assertThat(w.client.get("/api/alerts?page_size=2").json().get("page_size").asInt()).isEqualTo(5);
        assertThat(w.client.get("/api/alerts?page_size=500").json().get("page_size").asInt()).isEqualTo(50);
        // past the end: an empty page, with the real page count so the dashboard can jump to the last one
        Response past = w.client.get("/api/alerts?page=9");
        assertThat(ids(past)).isEmpty();
        assertThat(past.json().get("total_pages").asInt()).isEqualTo(2);
    }

    @Test
    void listSorts() throws Exception {
        seed();
        List<String> sev = field(w.client.get("/api/alerts?sort=severity&order=desc&page_size=50"), "severity");
        List<Integer> rank = sev.stream().map(s -> switch (s) {
            case "critical" -> 3;
            case "warning" -> 2;
            default -> 1;
        }).toList();
        assertThat(rank).isSortedAccordingTo((a, b) -> b - a);
        assertThat(rank.getFirst()).isEqualTo(3);
        assertThat(field(w.client.get("/api/alerts?sort=severity&order=asc&page_size=50"), "severity").getFirst())
                .isEqualTo("info");

        List<String> summaries = field(w.client.get("/api/alerts?sort=summary&order=asc&page_size=50"), "summary");
        assertThat(summaries).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
        List<String> desc = field(w.client.get("/api/alerts?sort=summary&order=desc&page_size=50"), "summary");
        assertThat(desc).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER.reversed());

        List<String> status = field(w.client.get("/api/alerts?sort=status&order=asc&page_size=50"),
                "analysis_status");
        assertThat(status).isSorted();

        List<String> updated = field(w.client.get("/api/alerts?sort=updated_at&order=asc&page_size=50"),
                "updated_at");
        assertThat(updated).isSorted();
        // an unknown sort key is the default (newest activity first)
        assertThat(field(w.client.get("/api/alerts?sort=bogus&page_size=50"), "updated_at"))
                .isSortedAccordingTo(java.util.Comparator.<String>naturalOrder().reversed());
    }

    @Test
    void listFilters() throws Exception {
        seed();
        Response crit = w.client.get("/api/alerts?severity=critical");
        assertThat(field(crit, "severity")).containsOnly("critical");
        assertThat(ids(crit)).containsExactlyInAnyOrder(1L, 4L, 7L, 10L);
        assertThat(crit.json().get("counts").get("total").asLong()).isEqualTo(13); // counts ignore severity
        assertThat(ids(w.client.get("/api/alerts?status=failed"))).containsExactlyInAnyOrder(9L, 10L);
        assertThat(ids(w.client.get("/api/alerts?status=pending"))).containsExactly(11L);
        assertThat(field(w.client.get("/api/alerts?rule=ErrorFrequencyRule&page_size=50"), "triggered_by"))
                .containsOnly("ErrorFrequencyRule").hasSize(5);
        assertThat(ids(w.client.get("/api/alerts?source=svc3.service%2Fp3"))).containsExactly(3L);
        assertThat(ids(w.client.get("/api/alerts?q=NEEDLE-xyz"))).containsExactly(7L);
        assertThat(ids(w.client.get("/api/alerts?q=nothing-like-this"))).isEmpty();
        assertThat(ids(w.client.get("/api/alerts?severity=warning&status=analyzed&rule=ErrorFrequencyRule")))
                .containsExactlyInAnyOrder(2L, 8L);
    }

    @Test
    void listRefusesInvalidParameters() throws Exception {
        assertError(w.client.get("/api/alerts?page=0"), 400, "page must be 1 or more");
        assertError(w.client.get("/api/alerts?page=two"), 400, "page must be a whole number");
        assertError(w.client.get("/api/alerts?severity=bogus"), 400, "severity must be one of");
        assertError(w.client.get("/api/alerts?status=bogus"), 400, "status must be one of");
        assertError(w.client.get("/api/alerts?show_resolved=maybe"), 400, "show_resolved must be true or false");
        // a malformed URI is refused by the JDK's server itself, before any handler
        assertThat(w.client.raw("GET /api/alerts?q=50%zz HTTP/1.1", "Host: 127.0.0.1").status()).isEqualTo(400);
    }

    static void assertError(Response r, int status, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.message()).contains(message);
        assertThat(r.header("cache-control")).isEqualTo("no-store");
    }

    // ---- one alert ----------------------------------------------------------------------------------------

    @Test
    void oneAlertHasEverything() throws Exception {
        seed();
        Response r = w.client.get("/api/alerts/1");
        assertThat(r.status()).isEqualTo(200);
        JsonNode a = r.json();
        assertThat(a.get("id").asLong()).isEqualTo(1);
        assertThat(a.get("log_events").get(0).get("message").asString()).isEqualTo("failure number 1");
        assertThat(a.get("recommendations").size()).isEqualTo(2);
        assertThat(a.get("similar_alerts").get(0).get("trigger_reason").asString()).contains("again");
        assertThat(a.get("transitions").size()).isPositive();
        assertThat(a.get("live_analysis").isNull()).isTrue();

        assertError(w.client.get("/api/alerts/999"), 404, "Alert candidate 999 does not exist");
        assertError(w.client.get("/api/alerts/abc"), 404, "ids are positive whole numbers");
        assertError(w.client.get("/api/alerts/0"), 404, "ids are positive whole numbers");
        assertError(w.client.get("/api/alerts/1/nothing"), 404, "no such API route");
    }

    // ---- analyze ----------------------------------------------------------------------------------------

    @Test
    void analyzeNowAnswers202ThenTheAlertIsAnalyzed() throws Exception {
        seed();
        Response r = w.client.post("/api/alerts/9/analyze", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("candidate_id").asLong()).isEqualTo(9);
        assertThat(r.json().get("analysis_status").asString()).isEqualTo("pending");
        Await.untilTrue("alert 9 analysed", Duration.ofSeconds(20), () -> w.client.get("/api/alerts/9").json()
                .get("analysis_status").asString().equals("analyzed"));
        JsonNode a = w.client.get("/api/alerts/9").json();
        assertThat(a.get("summary").asString()).startsWith("[mock] ");
        assertThat(a.toString()).contains("manual analysis requested from the dashboard");
    }

    @Test
    void analyzeNowRefusesWhatCannotBeAnalyzed() throws Exception {
        seed();
        assertError(w.client.post("/api/alerts/1/analyze", "{}"), 409,
                "Alert candidate 1 cannot be analyzed while its status is 'analyzed'");
        assertError(w.client.post("/api/alerts/11/analyze", "{}"), 409, "while its status is 'pending'");
        assertError(w.client.post("/api/alerts/999/analyze", "{}"), 404, "Alert candidate 999 does not exist");
        assertError(w.client.get("/api/alerts/9/analyze"), 405, "GET is not allowed here");
    }

    @Test
    void analyzeNowWhileStoppingIs503AndTheAlertStaysFailedWithTheReason() throws Exception {
        seed();
        w.analyzer.stop(Duration.ofSeconds(2));
        assertError(w.client.post("/api/alerts/10/analyze", "{}"), 503, "manual analysis is unavailable");
        JsonNode a = w.client.get("/api/alerts/10").json();
        assertThat(a.get("analysis_status").asString()).isEqualTo("failed");
    }

    // ---- resolve and acknowledge ------------------------------------------------------------------------

    @Test
    void resolveThenAgainIsAConflict() throws Exception {
        seed();
        Response r = w.client.post("/api/alerts/2/resolve", "{\"resolution\": \"restarted the upstream\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode review = r.json().get("review");
        assertThat(review.get("review_type").asString()).isEqualTo("resolution");
        assertThat(review.get("agent_name").asString()).isEqualTo("dashboard");
        assertThat(review.get("body").asString()).isEqualTo("restarted the upstream");
        assertThat(w.client.get("/api/alerts/2").json().get("resolution_status").asString()).isEqualTo("resolved");
        assertThat(ids(w.client.get("/api/alerts?page_size=50"))).doesNotContain(2L);

        assertError(w.client.post("/api/alerts/2/resolve", "{}"), 409, "Alert 2 is already resolved");
        assertError(w.client.post("/api/alerts/999/resolve", "{}"), 404, "does not exist");
        assertError(w.client.post("/api/alerts/3/resolve", "{\"resolution\": 5}"), 400, "resolution must be a string");
        // an empty body is fine: a default resolution
        assertThat(w.client.post("/api/alerts/3/resolve", "").status()).isEqualTo(200);
    }

    @Test
    void acknowledgeThenAgainIsAConflict() throws Exception {
        seed();
        Response r = w.client.post("/api/alerts/13/acknowledge", "{\"note\": \"looking\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // a child acknowledges its group: the answer is the root
        assertThat(r.json().get("id").asLong()).isEqualTo(1);
        assertThat(r.json().get("acknowledged_by").asString()).isEqualTo("dashboard");
        assertThat(r.json().get("acknowledgement_note").asString()).isEqualTo("looking");
        assertError(w.client.post("/api/alerts/1/acknowledge", "{}"), 409, "Alert 1 is already acknowledged by "
                + "dashboard");
        assertError(w.client.post("/api/alerts/12/acknowledge", "{}"), 409, "already resolved");
        assertError(w.client.post("/api/alerts/999/acknowledge", "{}"), 404, "does not exist");
    }

    // ---- silences -----------------------------------------------------------------------------------------

    @Test
    void silencesAreCreatedListedAndExpired() throws Exception {
        Response r = w.client.post("/api/silences", """
                {"rule": "ErrorFrequencyRule", "source": "nginx.service/nginx", "duration": "2h",
                 "comment": "deploy in progress"}""");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode s = r.json();
        long id = s.get("id").asLong();
        assertThat(r.header("location")).isEqualTo("/api/silences/" + id);
        assertThat(s.get("state").asString()).isEqualTo("active");
        assertThat(s.get("created_by").asString()).isEqualTo("dashboard");
        Duration length = Duration.between(Instant.parse(s.get("starts_at").asString()),
                Instant.parse(s.get("ends_at").asString()));
        assertThat(length).isEqualTo(Duration.ofHours(2));

        JsonNode list = w.client.get("/api/silences").json();
        assertThat(list.size()).isEqualTo(1);
        assertThat(w.client.get("/api/silences/" + id).json().get("comment").asString()).isEqualTo("deploy in progress");

        Response expired = w.client.delete("/api/silences/" + id);
        assertThat(expired.status()).as(expired.body()).isEqualTo(200);
        assertThat(expired.json().get("state").asString()).isEqualTo("expired");
        assertThat(w.client.get("/api/silences").json().size()).isZero();
        assertThat(w.client.get("/api/silences?include_expired=true").json().size()).isEqualTo(1);
        assertError(w.client.delete("/api/silences/" + id), 409, "already expired");
        assertError(w.client.delete("/api/silences/999"), 404, "Silence 999 does not exist");
        assertError(w.client.send("PUT", "/api/silences", "{}", "Content-Type", "application/json"), 405,
                "PUT is not allowed");
    }

    @Test
    void silencesRefuseWhatIsInvalid() throws Exception {
        assertError(w.client.post("/api/silences", "{\"duration\": \"2h\"}"), 400, "Invalid silence");
        assertError(w.client.post("/api/silences", "{\"rule\": \"X\", \"duration\": \"soon\"}"), 400,
                "duration must be a duration such as 90m");
        assertError(w.client.post("/api/silences", "{\"rule\": \"X\", \"ends_at\": \"tomorrow\"}"), 400,
                "ends_at must be an RFC 3339 time");
        assertError(w.client.post("/api/silences", "{\"rule\": \"X\", \"message_regex\": \"(\", \"duration\": "
                + "\"1h\"}"), 400, "Invalid silence");
        assertError(w.client.post("/api/silences", "[1, 2]"), 400, "the body must be a JSON object");
        assertError(w.client.post("/api/silences", "{not json"), 400, "the body is not valid JSON");
        String big = "{\"comment\": \"" + "x".repeat(70_000) + "\"}";
        assertError(w.client.post("/api/silences", big), 413, "larger than 65536 bytes");
    }

    // ---- auto-group rules --------------------------------------------------------------------------------

    @Test
    void autoGroupRulesAreCreatedListedAndDeleted() throws Exception {
        seed();
        Response r = w.client.post("/api/auto-group-rules", """
                {"target_alert_id": 13, "process": "p5", "message_regex": "timed? ?out"}""");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode rule = r.json();
        assertThat(rule.get("target_alert_id").asLong()).isEqualTo(1); // the target's root
        long id = rule.get("id").asLong();
        assertThat(w.client.get("/api/auto-group-rules").json().get(0).get("id").asLong()).isEqualTo(id);

        assertError(w.client.post("/api/auto-group-rules", "{\"target_alert_id\": 1, \"message_regex\": \"x\"}"),
                400, "Invalid auto-group rule");
        assertError(w.client.post("/api/auto-group-rules", "{\"target_alert_id\": 1, \"process\": \"p\", "
                + "\"message_regex\": \"(\"}"), 400, "Invalid auto-group rule");
        assertError(w.client.post("/api/auto-group-rules", "{\"process\": \"p\", \"message_regex\": \"x\"}"), 400,
                "target_alert_id is required");
        assertError(w.client.post("/api/auto-group-rules", "{\"target_alert_id\": 999, \"process\": \"p\", "
                + "\"message_regex\": \"x\"}"), 404, "does not exist");

        Response del = w.client.delete("/api/auto-group-rules/" + id);
        assertThat(del.status()).isEqualTo(200);
        assertThat(w.client.get("/api/auto-group-rules").json().size()).isZero();
        assertError(w.client.delete("/api/auto-group-rules/" + id), 404, "rule " + id + " does not exist");
        assertError(w.client.send("DELETE", "/api/auto-group-rules", "{}", "Content-Type", "application/json"), 405,
                "DELETE is not allowed");
    }

    // ---- health and metrics ------------------------------------------------------------------------------

    @Test
    void healthIsTheHealthSourcesAnswerWithTheLiveClients() throws Exception {
        w.health.set(Healths.of(List.of(new dev.eyes.selfmon.Health.SourceHealth("journald", "log", "journald-json",
                "degraded", "journalctl exited", 3, T, 10, 0)), null, Healths.ollamaUnreachable("http://localhost:11434")));
        Response r = w.client.get("/api/health");
        assertThat(r.status()).isEqualTo(200);
        JsonNode h = r.json();
        assertThat(h.get("status").asString()).isEqualTo("degraded");
        assertThat(h.get("problems").get(0).get("message").asString()).isEqualTo("journald is degraded: journalctl exited");
        assertThat(h.get("problems").get(1).get("message").asString()).startsWith("AI backend not reachable at "
                + "http://localhost:11434: start Ollama (ollama serve)");
        assertThat(h.get("sources").get(0).get("restarts").asInt()).isEqualTo(3);
        assertThat(h.get("web").get("live_clients").asInt()).isZero();
        assertError(w.client.send("POST", "/api/health", "{}", "Content-Type", "application/json"), 405,
                "POST is not allowed");
    }

    @Test
    void metricsSeriesServesTheRequestedWindow() throws Exception {
        for (int i = 0; i < 10; i++) {
            w.series.accept(Triggers.metrics(i * 5, 10 + i, 1000 + i, i == 9 ? MemoryPressure.WARNING
                    : MemoryPressure.NORMAL, List.of()));
            w.series.accept(new DiskEvent(Triggers.T0.plusSeconds(i * 5L), 100, 50, 1, 1, "sda", null));
            w.series.accept(new DiskEvent(Triggers.T0.plusSeconds(i * 5L), 10, 5, 1, 1, "sdb", null));
        }
        Instant from = Triggers.T0.plusSeconds(10);
        Instant to = Triggers.T0.plusSeconds(30);
        Response r = w.client.get("/api/metrics/series?from=" + from + "&to=" + to.toEpochMilli());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode m = r.json().get("metrics");
        assertThat(m.get("t").size()).isEqualTo(5); // 10, 15, 20, 25, 30 s
        assertThat(m.get("t").get(0).asLong()).isEqualTo(from.toEpochMilli());
        assertThat(m.get("cpu_usage_percent").get(0).asDouble()).isEqualTo(12.0);
        assertThat(m.get("gpu_usage_percent").get(0).isNull()).isTrue(); // unavailable is null, never 0
        assertThat(m.get("memory_pressure").get(0).asString()).isEqualTo("Normal");
        JsonNode d = r.json().get("disk");
        assertThat(d.get("t").size()).isEqualTo(5);
        assertThat(d.get("read_kb_per_sec").get(0).asDouble()).isEqualTo(110.0); // both devices of the round
        assertThat(w.client.get("/api/metrics/series").json().get("retention_seconds").asLong()).isEqualTo(3600);

        assertError(w.client.get("/api/metrics/series?from=yesterday"), 400, "from must be an RFC 3339 time");
        assertError(w.client.get("/api/metrics/series?from=" + to + "&to=" + from), 400, "from must not be after to");
        assertError(w.client.get("/api/metrics/other"), 404, "no such API route");
    }

    @Test
    void unknownRoutesAre404AndPagesAreServed() throws Exception {
        assertError(w.client.get("/api/nothing"), 404, "no such API route");
        assertError(w.client.get("/nothing"), 404, "nothing here");
        assertError(w.client.get("/assets/../pom.xml"), 404, "nothing here");
        assertError(w.client.get("/assets/missing.js"), 404, "nothing here");
        for (String page : List.of("/", "/alerts", "/system", "/rules", "/silences", "/health")) {
            Response r = w.client.get(page);
            assertThat(r.status()).as(page).isEqualTo(200);
            assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
            assertThat(r.body()).contains("<script type=\"module\" src=\"/assets/app.js\"></script>");
        }
        Response js = w.client.get("/assets/app.js");
        assertThat(js.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(w.client.get("/assets/styles.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(w.client.get("/favicon.svg").header("content-type")).isEqualTo("image/svg+xml");
        assertError(w.client.send("POST", "/", "{}", "Content-Type", "application/json"), 405, "POST is not allowed");
    }

    /** Every asset is in the jar, none refers to another host, none uses innerHTML or eval. */
    @Test
    void assetsAreSelfContainedAndRenderTextOnly() throws Exception {
        for (String name : List.of("app.js", "alerts.js", "pages.js", "charts.js", "dialogs.js", "dom.js", "api.js",
                "live.js", "styles.css")) {
            Response r = w.client.get("/assets/" + name);
            assertThat(r.status()).as(name).isEqualTo(200);
            // the SVG namespace is a name, not an address that is fetched
            String body = r.body().replace("http://www.w3.org/2000/svg", "").toLowerCase(Locale.ROOT);
            assertThat(body).as(name).doesNotContain("innerhtml", "outerhtml", "insertadjacenthtml", "document.write",
                    "eval(", "new function", "http://", "https://");
        }
        String html = w.client.get("/").body();
        assertThat(html).doesNotContain("style=", "onload=", "onclick=", "http://", "https://");
    }
}
