package dev.eyes.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.app.Version;
import dev.eyes.event.Severity;
import dev.eyes.store.AlertJson;
import dev.eyes.store.AlertSearchRequest;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.store.Timestamps;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.McpProcess;
import dev.eyes.testing.Sql;
import dev.eyes.testing.TestJson;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code eyes mcp} as a real subprocess, driven over stdio by the MCP Java SDK's own client, on a database seeded
 * through the store API: the handshake, the tool list with its input schemas, every tool's result (compared with
 * the store's own JSON rendering — the dashboard's shapes) and the error cases, which must come back as tool results
 * with {@code isError} and a plain message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpServerTest {
    static final List<String> TOOLS = List.of("list_alerts", "search_alerts", "get_alert", "resolve_alert",
            "attach_similar_alerts", "append_agent_review", "create_auto_group_rule", "list_auto_group_rules",
            "delete_auto_group_rule", "acknowledge_alert", "list_silences", "create_silence", "expire_silence",
            "get_health", "analyze_alert");

    Path dir;
    Path db;
    AlertFixtures fx;
    SqliteAlertStore store;
    McpSyncClient client;
    McpSchema.InitializeResult init;
    final List<String> serverErr = new CopyOnWriteArrayList<>();
    Instant base;
    int seq;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        db = dir.resolve("eyes.db");
        fx = new AlertFixtures(db);
        store = new SqliteAlertStore(fx.db);
        base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        client = McpProcess.client(McpProcess.emptyConfig(dir), db, serverErr);
        init = client.initialize();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (store != null) {
            store.close();
        }
        assertThat(serverErr).as("eyes mcp stderr").anyMatch(l -> l.contains("eyes mcp " + Version.current()
                + ": serving " + db.toAbsolutePath().normalize() + " over stdio"));
        assertThat(serverErr).as("eyes mcp stderr").noneMatch(l -> l.contains("\tat ") || l.startsWith("\tat")
                || l.contains("Exception") || l.contains("database is locked"));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A new, analysed alert from {@code source}. */
    long analysed(String rule, String source, Severity severity, String message) throws Exception {
        return fx.analyzed(rule, source, severity, base.plusSeconds(++seq * 10L), message).candidateId();
    }

    /** A new candidate that stays pending. */
    long pending(String source, String message) throws Exception {
        return fx.record(AlertFixtures.trigger("ErrorFrequencyRule", source, Severity.WARNING,
                base.plusSeconds(++seq * 10L), message));
    }

    record Result(boolean error, JsonNode json, String text) {
    }

    Result call(String tool, Map<String, ?> args) {
        @SuppressWarnings("unchecked")
        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder(tool)
                .arguments((Map<String, Object>) args).build());
        assertThat(r.content()).as(tool + " content").hasSize(1);
        String text = ((McpSchema.TextContent) r.content().getFirst()).text();
        JsonNode structured = normalize(r.structuredContent());
        return new Result(Boolean.TRUE.equals(r.isError()), structured, text);
    }

    static JsonNode normalize(Object value) {
        return TestJson.MAPPER.readTree(TestJson.MAPPER.writeValueAsString(value));
    }

    static JsonNode normalize(JsonNode value) {
        return TestJson.MAPPER.readTree(value.toString());
    }

    /** A successful call: its structured content (which must equal the JSON in its text block). */
    JsonNode ok(String tool, Map<String, ?> args) {
        Result r = call(tool, args);
        assertThat(r.error()).as(tool + " " + args + " failed: " + r.text()).isFalse();
        assertThat(TestJson.MAPPER.readTree(r.text())).as("text block = structured content").isEqualTo(r.json());
        return r.json();
    }

    /** A failed call: its plain message (also in structured content as {"error": …}). */
    String error(String tool, Map<String, ?> args) {
        Result r = call(tool, args);
        assertThat(r.error()).as(tool + " " + args + " should fail; got " + r.text()).isTrue();
        assertThat(r.json().path("error").asString()).isEqualTo(r.text());
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\n\tat ");
        return r.text();
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- the handshake and the tool list ---------------------------------------------------------------------

    @Test
    void initializeNamesTheServerAndTellsTheAgentToReadTheEvidenceFirst() {
        assertThat(init.serverInfo().name()).isEqualTo("eyes-alerts");
        assertThat(init.serverInfo().title()).isEqualTo("Eyes Alert Triage");
        assertThat(init.serverInfo().version()).isEqualTo(Version.current()).isNotEqualTo("unknown");
        assertThat(init.instructions()).startsWith("Inspect and triage alerts captured by Eyes. Read complete alert "
                + "evidence before resolving, grouping alerts, or creating future auto-group rules.");
        assertThat(init.capabilities().tools()).isNotNull();
        assertThat(init.protocolVersion()).isNotBlank();
        assertThat(client.ping()).isNotNull();
    }

    @Test
    void listsEveryToolWithItsInputSchema() {
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyElementsOf(TOOLS);
        Map<String, McpSchema.Tool> byName = new LinkedHashMap<>();
        tools.forEach(t -> byName.put(t.name(), t));
        for (McpSchema.Tool t : tools) {
            assertThat(t.description()).as(t.name()).isNotBlank();
            assertThat(t.title()).as(t.name()).isNotBlank();
            assertThat(t.inputSchema()).as(t.name()).containsEntry("type", "object")
                    .containsEntry("additionalProperties", false).containsKey("properties");
        }
        JsonNode list = normalize(byName.get("list_alerts").inputSchema());
        assertThat(list.path("properties").propertyNames()).containsExactly("severity", "resolution_status",
                "limit", "offset", "analysis_status", "alert_status", "triggered_by", "trigger_source", "acknowledged");
        assertThat(list.has("required")).isFalse();
        assertThat(list.path("properties").path("limit").path("type").asString()).isEqualTo("integer");
        assertThat(list.path("properties").path("limit").path("minimum").asInt()).isEqualTo(1);
        assertThat(list.path("properties").path("limit").path("maximum").asInt()).isEqualTo(100);
        assertThat(list.path("properties").path("limit").path("default").asInt()).isEqualTo(25);
        assertThat(list.path("properties").path("severity").path("enum").toString())
                .isEqualTo("[\"info\",\"warning\",\"critical\"]");
        JsonNode search = normalize(byName.get("search_alerts").inputSchema());
        assertThat(search.path("required").toString()).isEqualTo("[\"query\"]");
        Map<String, String> required = Map.of(
                "get_alert", "[\"alert_id\"]",
                "resolve_alert", "[\"alert_id\",\"agent_name\",\"resolution\"]",
                "attach_similar_alerts", "[\"primary_alert_id\",\"similar_alert_ids\"]",
                "append_agent_review", "[\"alert_id\",\"agent_name\",\"review\"]",
                "create_auto_group_rule", "[\"target_alert_id\",\"message_regex\"]",
                "delete_auto_group_rule", "[\"rule_id\"]",
                "acknowledge_alert", "[\"alert_id\",\"acknowledged_by\"]",
                "create_silence", "[\"created_by\"]",
                "expire_silence", "[\"silence_id\"]",
                "analyze_alert", "[\"alert_id\"]");
        required.forEach((name, req) -> assertThat(normalize(byName.get(name).inputSchema()).path("required")
                .toString()).as(name).isEqualTo(req));
        assertThat(normalize(byName.get("create_auto_group_rule").inputSchema()).path("properties").propertyNames())
                .containsExactly("target_alert_id", "process", "subsystem", "trigger_source", "triggered_by",
                        "message_regex");
        JsonNode attach = normalize(byName.get("attach_similar_alerts").inputSchema()).path("properties")
                .path("similar_alert_ids");
        assertThat(attach.path("type").asString()).isEqualTo("array");
        assertThat(attach.path("items").path("type").asString()).isEqualTo("integer");
        for (String none : List.of("list_auto_group_rules", "get_health")) {
            assertThat(normalize(byName.get(none).inputSchema()).path("properties").isEmpty()).as(none).isTrue();
        }
        assertThat(byName.get("get_alert").annotations().readOnlyHint()).isTrue();
        assertThat(byName.get("resolve_alert").annotations().readOnlyHint()).isFalse();
        assertThat(byName.get("delete_auto_group_rule").annotations().destructiveHint()).isTrue();
    }

    // ---- reading -------------------------------------------------------------------------------------------

    @Test
    void listAndSearchAnswerWithTheStoresPagesAndCheckTheirFilters() throws Exception {
        long web = analysed("ErrorFrequencyRule", "nginx.service/nginx", Severity.WARNING,
                "upstream timed out while reading response header");
        long crash = analysed("CrashDetectionRule", "kernel", Severity.CRITICAL, "myapp[912]: segfault at 0 ip 0");
        JsonNode all = ok("list_alerts", Map.of());
        assertThat(all).isEqualTo(normalize(AlertJson.searchPage(store.searchAlerts(AlertSearchRequest.all()))));
        assertThat(all.path("limit").asInt()).isEqualTo(25);
        assertThat(all.path("offset").asInt()).isZero();
        assertThat(all.path("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(all.path("alerts").get(0).path("id").asLong()).isEqualTo(crash);

        JsonNode critical = ok("list_alerts", args("severity", "critical", "limit", 100));
        assertThat(critical.path("alerts").valueStream().map(a -> a.path("severity").asString()))
                .containsOnly("critical");
        assertThat(critical.path("alerts").valueStream().map(a -> a.path("id").asLong())).contains(crash)
                .doesNotContain(web);
        JsonNode page2 = ok("list_alerts", args("limit", 1, "offset", 1));
        assertThat(page2.path("alerts")).hasSize(1);
        assertThat(page2.path("alerts").get(0).path("id").asLong()).isEqualTo(all.path("alerts").get(1).path("id")
                .asLong());
        assertThat(ok("list_alerts", args("triggered_by", "CrashDetectionRule")).path("alerts").valueStream()
                .map(a -> a.path("triggered_by").asString())).containsOnly("CrashDetectionRule");
        assertThat(ok("list_alerts", args("limit", 2.0)).path("limit").asInt()).isEqualTo(2);

        JsonNode found = ok("search_alerts", args("query", "SEGFAULT"));
        assertThat(found).isEqualTo(normalize(AlertJson.searchPage(store.searchAlerts(
                AlertSearchRequest.of("SEGFAULT", null, null, null, null)))));
        assertThat(found.path("alerts").valueStream().map(a -> a.path("id").asLong())).contains(crash)
                .doesNotContain(web);
        assertThat(ok("search_alerts", args("query", "no such text anywhere")).path("total").asLong()).isZero();

        assertThat(error("list_alerts", args("limit", 0))).isEqualTo("limit must be 1..100");
        assertThat(error("list_alerts", args("limit", 101))).isEqualTo("limit must be 1..100");
        assertThat(error("list_alerts", args("limit", 10_000_000_000L))).isEqualTo("limit must be 1..100");
        assertThat(error("list_alerts", args("limit", "10")))
                .isEqualTo("limit must be an integer, not the string \"10\"");
        assertThat(error("list_alerts", args("limit", 2.5))).isEqualTo("limit must be an integer, not 2.5");
        assertThat(error("list_alerts", args("offset", -1))).isEqualTo("offset must be 0 or more");
        assertThat(error("list_alerts", args("severity", "urgent")))
                .isEqualTo("severity must be one of info, warning, critical");
        assertThat(error("list_alerts", args("resolution_status", "closed")))
                .isEqualTo("resolution_status must be open or resolved");
        assertThat(error("list_alerts", args("resolution_state", "open"))).isEqualTo("unknown argument "
                + "'resolution_state'; list_alerts takes severity, resolution_status, limit, offset, analysis_status, "
                + "alert_status, triggered_by, trigger_source, acknowledged");
        assertThat(error("list_alerts", args("acknowledged", "yes")))
                .isEqualTo("acknowledged must be true or false, not the string \"yes\"");
        assertThat(error("search_alerts", args("query", "   "))).isEqualTo("query cannot be empty");
        assertThat(error("search_alerts", args("query", ""))).isEqualTo("query cannot be empty");
        assertThat(error("search_alerts", Map.of())).isEqualTo("query is required");
        assertThat(error("search_alerts", args("query", 42))).isEqualTo("query must be a string, not the number 42");
    }

    @Test
    void getAlertHasTheWholeEvidenceAndSimilarAlerts() throws Exception {
        long root = analysed("ErrorFrequencyRule", "redis.service/redis-server", Severity.WARNING,
                "MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist");
        long again = analysed("ErrorFrequencyRule", "redis.service/redis-server", Severity.WARNING,
                "MISCONF Redis is configured to save RDB snapshots (again)");
        JsonNode a = ok("get_alert", args("alert_id", root));
        assertThat(a).isEqualTo(normalize(AlertJson.record(store.getAlert(root))));
        assertThat(a.path("id").asLong()).isEqualTo(root);
        assertThat(a.path("log_events").get(0).path("message").asString()).startsWith("MISCONF Redis");
        assertThat(a.path("recommendations").get(0).asString()).isEqualTo("Restart the upstream");
        assertThat(a.path("root_cause").asString()).isEqualTo("the upstream is down");
        assertThat(a.path("similar_alert_count").asInt()).isEqualTo(1);
        assertThat(a.path("similar_alerts").get(0).path("id").asLong()).isEqualTo(again);
        JsonNode child = ok("get_alert", args("alert_id", again));
        assertThat(child.path("group_parent_id").asLong()).isEqualTo(root);
        assertThat(ok("get_alert", args("alert_id", (double) root)).path("id").asLong()).isEqualTo(root);

        assertThat(error("get_alert", args("alert_id", 987_654))).isEqualTo("Alert candidate 987654 does not exist");
        assertThat(error("get_alert", args("alert_id", "abc"))).isEqualTo("alert_id must be an integer, not the "
                + "string \"abc\"");
        assertThat(error("get_alert", args("alert_id", String.valueOf(root))))
                .isEqualTo("alert_id must be an integer, not the string \"" + root + "\"");
        assertThat(error("get_alert", args("alert_id", 1.5))).isEqualTo("alert_id must be an integer, not 1.5");
        assertThat(error("get_alert", args("alert_id", true))).isEqualTo("alert_id must be an integer, not true");
        assertThat(error("get_alert", args("alert_id", List.of(1)))).isEqualTo("alert_id must be an integer, not "
                + "an array");
        assertThat(error("get_alert", args("alert_id", new java.math.BigInteger("123456789012345678901234567890"))))
                .isEqualTo("alert_id is out of range: 123456789012345678901234567890");
        assertThat(error("get_alert", Map.of())).isEqualTo("alert_id is required");
        Map<String, Object> nullId = new LinkedHashMap<>();
        nullId.put("alert_id", null);
        assertThat(error("get_alert", nullId)).isEqualTo("alert_id is required");
        assertThat(error("get_alert", args("id", root))).isEqualTo("unknown argument 'id'; get_alert takes alert_id");
    }

    // ---- triage --------------------------------------------------------------------------------------------

    @Test
    void reviewsResolutionAndAcknowledgement() throws Exception {
        long a = analysed("ErrorFrequencyRule", "postgresql.service/postgres", Severity.WARNING,
                "could not write to file \"pg_wal/xlogtemp.123\": No space left on device");
        JsonNode review = ok("append_agent_review", args("alert_id", a, "agent_name", "claude",
                "review", "The WAL volume is full; checking what grew."));
        assertThat(review.path("alert_id").asLong()).isEqualTo(a);
        assertThat(review.path("review_type").asString()).isEqualTo("review");
        assertThat(review.path("agent_name").asString()).isEqualTo("claude");
        assertThat(review.path("body").asString()).isEqualTo("The WAL volume is full; checking what grew.");
        assertThat(error("append_agent_review", args("alert_id", a, "agent_name", "claude", "review", " ")))
                .isEqualTo("review cannot be empty");
        assertThat(error("append_agent_review", args("alert_id", a, "agent_name", "", "review", "x")))
                .isEqualTo("agent_name cannot be empty");
        assertThat(error("append_agent_review", args("alert_id", 987_655, "agent_name", "claude", "review", "x")))
                .isEqualTo("Alert candidate 987655 does not exist");
        assertThat(error("append_agent_review", args("alert_id", a, "agent_name", "claude")))
                .isEqualTo("review is required");

        JsonNode acked = ok("acknowledge_alert", args("alert_id", a, "acknowledged_by", "claude",
                "note", "freeing space"));
        assertThat(acked.path("id").asLong()).isEqualTo(a);
        assertThat(acked.path("acknowledged").asBoolean()).isTrue();
        assertThat(acked.path("acknowledged_by").asString()).isEqualTo("claude");
        assertThat(acked.path("acknowledgement_note").asString()).isEqualTo("freeing space");
        assertThat(error("acknowledge_alert", args("alert_id", a, "acknowledged_by", "bob")))
                .isEqualTo("Alert " + a + " is already acknowledged by claude");
        assertThat(error("acknowledge_alert", args("alert_id", a))).isEqualTo("acknowledged_by is required");

        JsonNode resolution = ok("resolve_alert", args("alert_id", a, "agent_name", "claude",
                "resolution", "Removed 40 GB of old base backups; WAL writes succeed again."));
        assertThat(resolution.path("review_type").asString()).isEqualTo("resolution");
        assertThat(resolution.path("body").asString()).startsWith("Removed 40 GB");
        JsonNode after = ok("get_alert", args("alert_id", a));
        assertThat(after.path("resolution_status").asString()).isEqualTo("resolved");
        assertThat(after.path("resolved_at").asString()).isNotBlank();
        assertThat(after.path("agent_reviews").valueStream().map(r -> r.path("review_type").asString()))
                .containsExactly("review", "acknowledgement", "resolution");
        assertThat(error("resolve_alert", args("alert_id", a, "agent_name", "claude", "resolution", "again")))
                .isEqualTo("Alert " + a + " is already resolved");
        assertThat(error("resolve_alert", args("alert_id", 987_656, "agent_name", "claude", "resolution", "x")))
                .isEqualTo("Alert candidate 987656 does not exist");
        assertThat(error("resolve_alert", args("alert_id", a, "agent_name", "claude", "resolution", "")))
                .isEqualTo("resolution cannot be empty");
        assertThat(ok("list_alerts", args("resolution_status", "resolved")).path("alerts").valueStream()
                .map(x -> x.path("id").asLong())).contains(a);
        assertThat(ok("search_alerts", args("query", "base backups")).path("alerts").valueStream()
                .map(x -> x.path("id").asLong())).containsExactly(a);
    }

    @Test
    void groupingAndAutoGroupRulesReachTheObserversNextCandidates() throws Exception {
        long primary = analysed("ErrorFrequencyRule", "docker.service/dockerd", Severity.WARNING,
                "failed to create shim task: OCI runtime create failed");
        long other = analysed("ErrorFrequencyRule", "containerd.service/containerd", Severity.WARNING,
                "shim task failed: OCI runtime create failed");
        long third = analysed("CrashDetectionRule", "runc", Severity.CRITICAL, "runc crashed: OCI runtime");
        JsonNode grouped = ok("attach_similar_alerts", args("primary_alert_id", primary,
                "similar_alert_ids", List.of(other, third)));
        assertThat(grouped).isEqualTo(normalize(AlertJson.record(store.getAlert(primary))));
        assertThat(grouped.path("similar_alert_count").asInt()).isEqualTo(2);
        assertThat(grouped.path("similar_alerts").valueStream().map(x -> x.path("id").asLong()))
                .containsExactlyInAnyOrder(other, third);
        assertThat(error("attach_similar_alerts", args("primary_alert_id", primary, "similar_alert_ids", List.of())))
                .startsWith("Invalid alert grouping: ");
        assertThat(error("attach_similar_alerts", args("primary_alert_id", primary,
                "similar_alert_ids", List.of(primary)))).startsWith("Invalid alert grouping: ");
        assertThat(error("attach_similar_alerts", args("primary_alert_id", other,
                "similar_alert_ids", List.of(third)))).startsWith("Invalid alert grouping: ");
        assertThat(error("attach_similar_alerts", args("primary_alert_id", primary,
                "similar_alert_ids", List.of(987_657)))).isEqualTo("Alert candidate 987657 does not exist");
        assertThat(error("attach_similar_alerts", args("primary_alert_id", primary, "similar_alert_ids", other)))
                .isEqualTo("similar_alert_ids must be an array of integers, not the number " + other);
        assertThat(error("attach_similar_alerts", args("primary_alert_id", primary,
                "similar_alert_ids", List.of("x")))).isEqualTo("similar_alert_ids[0] must be an integer, not the "
                + "string \"x\"");

        JsonNode rule = ok("create_auto_group_rule", args("target_alert_id", other, "process", "dockerd",
                "message_regex", "OCI runtime (create|exec) failed"));
        assertThat(rule.path("target_alert_id").asLong()).as("canonicalised to the root").isEqualTo(primary);
        assertThat(rule.path("process").asString()).isEqualTo("dockerd");
        assertThat(rule.path("subsystem").isNull()).isTrue();
        assertThat(rule.path("message_regex").asString()).isEqualTo("OCI runtime (create|exec) failed");
        long ruleId = rule.path("id").asLong();
        assertThat(ok("list_auto_group_rules", Map.of()).path("rules").valueStream()
                .filter(r -> r.path("id").asLong() == ruleId).toList()).containsExactly(rule);
        assertThat(ok("list_auto_group_rules", Map.of()))
                .isEqualTo(normalize(Map.of("rules", normalize(AlertJson.rules(store.listAutoGroupRules())))));
        assertThat(error("create_auto_group_rule", args("target_alert_id", primary, "message_regex", "x")))
                .startsWith("Invalid auto-group rule: ");
        assertThat(error("create_auto_group_rule", args("target_alert_id", primary, "process", "dockerd",
                "message_regex", "(unclosed"))).startsWith("Invalid auto-group rule: ");
        assertThat(error("create_auto_group_rule", args("target_alert_id", 987_658, "process", "dockerd",
                "message_regex", "x"))).isEqualTo("Alert candidate 987658 does not exist");
        assertThat(error("create_auto_group_rule", args("target_alert_id", primary, "process", "dockerd")))
                .isEqualTo("message_regex is required");

        // the next candidate the observer records (here: through the same store code) follows the rule
        long next = pending("dockerd", "failed to start container: OCI runtime exec failed: permission denied");
        assertThat(ok("get_alert", args("alert_id", next)).path("group_parent_id").asLong()).isEqualTo(primary);

        JsonNode deleted = ok("delete_auto_group_rule", args("rule_id", ruleId));
        assertThat(deleted).isEqualTo(rule);
        assertThat(error("delete_auto_group_rule", args("rule_id", ruleId)))
                .isEqualTo("rule " + ruleId + " does not exist");
        assertThat(ok("list_auto_group_rules", Map.of()).path("rules").valueStream()
                .noneMatch(r -> r.path("id").asLong() == ruleId)).isTrue();
        assertThat(error("list_auto_group_rules", args("all", true)))
                .isEqualTo("unknown argument 'all'; list_auto_group_rules takes no arguments");
    }

    @Test
    void silencesAreCreatedListedAndExpired() throws Exception {
        JsonNode s = ok("create_silence", args("created_by", "claude", "comment", "disk swap tonight",
                "duration", "2h", "source", "smartd.service/smartd"));
        long id = s.path("id").asLong();
        assertThat(s.path("state").asString()).isEqualTo("active");
        assertThat(s.path("created_by").asString()).isEqualTo("claude");
        assertThat(s.path("source").asString()).isEqualTo("smartd.service/smartd");
        Instant ends = Timestamps.parse(s.path("ends_at").asString());
        assertThat(Duration.between(Timestamps.parse(s.path("starts_at").asString()), ends))
                .isEqualTo(Duration.ofHours(2));
        assertThat(s).isEqualTo(normalize(AlertJson.silence(store.getSilence(id))));
        String later = Instant.now().plus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNode pendingSilence = ok("create_silence", args("created_by", "claude", "starts_at", later,
                "ends_at", Instant.parse(later).plus(1, ChronoUnit.HOURS).toString(), "minimum_severity", "info",
                "message_regex", "SMART error"));
        assertThat(pendingSilence.path("state").asString()).isEqualTo("pending");

        JsonNode listed = ok("list_silences", Map.of());
        assertThat(listed).isEqualTo(normalize(Map.of("silences", normalize(AlertJson.silences(
                store.listSilences(false))))));
        assertThat(listed.path("silences").valueStream().map(x -> x.path("id").asLong())).contains(id,
                pendingSilence.path("id").asLong());

        JsonNode expired = ok("expire_silence", args("silence_id", id));
        assertThat(expired.path("state").asString()).isEqualTo("expired");
        assertThat(expired.path("expired_at").asString()).isNotBlank();
        assertThat(error("expire_silence", args("silence_id", id))).isEqualTo("Silence " + id + " is already expired");
        assertThat(error("expire_silence", args("silence_id", 987_659))).isEqualTo("Silence 987659 does not exist");
        assertThat(ok("list_silences", Map.of()).path("silences").valueStream().map(x -> x.path("id").asLong()))
                .doesNotContain(id);
        assertThat(ok("list_silences", args("include_expired", true)).path("silences").valueStream()
                .map(x -> x.path("id").asLong())).contains(id);

        assertThat(error("create_silence", args("created_by", "claude", "duration", "1h")))
                .startsWith("Invalid silence: at least one matcher is required");
        assertThat(error("create_silence", args("created_by", "claude", "source", "x", "duration", "soon")))
                .isEqualTo("Invalid silence: duration must be a duration such as 90m, 2h or 1d12h, not 'soon'");
        assertThat(error("create_silence", args("created_by", "claude", "source", "x", "ends_at", "tomorrow")))
                .isEqualTo("Invalid silence: ends_at must be an RFC 3339 time such as 2026-03-01T10:00:00Z, not "
                        + "'tomorrow'");
        assertThat(error("create_silence", args("created_by", "", "source", "x", "duration", "1h")))
                .isEqualTo("Invalid silence: created_by cannot be empty");
        assertThat(error("create_silence", args("source", "x", "duration", "1h"))).isEqualTo("created_by is required");
        assertThat(error("create_silence", args("created_by", "claude", "source", "x")))
                .isEqualTo("Invalid silence: ends_at or a duration is required");
        assertThat(error("list_silences", args("include_expired", "yes")))
                .isEqualTo("include_expired must be true or false, not the string \"yes\"");
    }

    // ---- the observer ----------------------------------------------------------------------------------------

    void heartbeat(Instant at, String state) throws Exception {
        try (Connection c = fx.db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO observer_heartbeat (id, at, pid, payload) VALUES (1, ?, 4242, ?)
                ON CONFLICT (id) DO UPDATE SET at = excluded.at, pid = excluded.pid, payload = excluded.payload""")) {
            ps.setString(1, Timestamps.format(at));
            ps.setString(2, """
                    {"at": "%s", "pid": 4242, "state": "%s", "status": "ok",
                     "sources": [{"name": "journald", "kind": "log", "state": "running", "events_ingested": 42}],
                     "event_loop": {"queue_depth": 0, "queue_capacity": 8192},
                     "ai": {"backend": "ollama", "model": "llama3.1", "queued": 0}}"""
                    .formatted(Timestamps.format(at), state));
            ps.executeUpdate();
        }
    }

    @Test
    void healthAndManualAnalysisFollowTheObserversHeartbeat() throws Exception {
        try (Connection c = fx.db.connect()) {
            c.createStatement().executeUpdate("DELETE FROM observer_heartbeat");
        }
        JsonNode none = ok("get_health", Map.of());
        assertThat(none.path("observer").asString()).isEqualTo("not running");
        assertThat(none.path("last_heartbeat").isNull()).isTrue();
        assertThat(none.path("health").isNull()).isTrue();
        assertThat(none.path("database").asString()).isEqualTo(db.toAbsolutePath().normalize().toString());

        long failed = pending("nginx.service/nginx", "connect() failed (111: Connection refused) while connecting");
        fx.assessments.failed(failed, 3, "Backend communication failed: connection refused");
        JsonNode queuedAlone = ok("analyze_alert", args("alert_id", failed));
        assertThat(queuedAlone.path("queued").asBoolean()).isTrue();
        assertThat(queuedAlone.path("analysis_status").asString()).isEqualTo("pending");
        assertThat(queuedAlone.path("observer").asString()).isEqualTo("not running");
        assertThat(queuedAlone.path("message").asString()).contains("the observer is not running")
                .contains("until eyes run starts");
        assertThat(fx.assessments.status(failed)).isEqualTo(AnalysisStatus.PENDING);
        assertThat(Sql.query(db, "SELECT requested_by FROM analysis_requests WHERE candidate_id = " + failed))
                .singleElement().satisfies(r -> assertThat(r.get("requested_by"))
                        .isEqualTo("MCP client eyes-test-agent"));
        assertThat(error("analyze_alert", args("alert_id", failed)))
                .isEqualTo("Alert candidate " + failed + " cannot be analyzed while its status is 'pending'");
        long done = analysed("ErrorFrequencyRule", "cron.service/cron", Severity.INFO, "job failed");
        assertThat(error("analyze_alert", args("alert_id", done)))
                .isEqualTo("Alert candidate " + done + " cannot be analyzed while its status is 'analyzed'");
        assertThat(error("analyze_alert", args("alert_id", 987_660)))
                .isEqualTo("Alert candidate 987660 does not exist");

        Instant now = Instant.now();
        heartbeat(now.minusSeconds(3), "running");
        JsonNode running = ok("get_health", Map.of());
        assertThat(running.path("observer").asString()).isEqualTo("running");
        assertThat(running.path("pid").asLong()).isEqualTo(4242);
        assertThat(running.path("heartbeat_age_seconds").asDouble()).isBetween(2.0, 30.0);
        assertThat(running.path("last_heartbeat").asString()).isEqualTo(Timestamps.format(now.minusSeconds(3)));
        assertThat(running.path("health").isObject()).as("the payload as JSON, not a string").isTrue();
        assertThat(running.path("health").path("sources").get(0).path("name").asString()).isEqualTo("journald");
        assertThat(running.path("health").path("ai").path("backend").asString()).isEqualTo("ollama");

        long failedToo = pending("nginx.service/nginx", "upstream prematurely closed connection");
        fx.assessments.failed(failedToo, 3, "Request timeout");
        JsonNode queued = ok("analyze_alert", args("alert_id", failedToo, "requested_by", "claude"));
        assertThat(queued.path("observer").asString()).isEqualTo("running");
        assertThat(queued.path("message").asString()).contains("running observer (pid 4242)");
        assertThat(Sql.query(db, "SELECT requested_by FROM analysis_requests WHERE candidate_id = " + failedToo))
                .singleElement().satisfies(r -> assertThat(r.get("requested_by")).isEqualTo("claude"));

        heartbeat(now.minusSeconds(45), "running");
        JsonNode stale = ok("get_health", Map.of());
        assertThat(stale.path("observer").asString()).isEqualTo("not running");
        assertThat(stale.path("summary").asString()).contains("pid 4242");
        assertThat(stale.path("health").path("state").asString()).isEqualTo("running");

        heartbeat(now.minusSeconds(1), "stopped");
        assertThat(ok("get_health", Map.of()).path("observer").asString()).isEqualTo("stopped");
        assertThat(error("get_health", args("verbose", true)))
                .isEqualTo("unknown argument 'verbose'; get_health takes no arguments");
    }
}
