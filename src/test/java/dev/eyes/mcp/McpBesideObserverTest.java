package dev.eyes.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.testing.Await;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.McpProcess;
import dev.eyes.testing.Sql;
import dev.eyes.testing.TestJson;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real {@code eyes run} and a real {@code eyes mcp} on one database: the test appends error bursts to a log file
 * the observer tails — each burst one new candidate — while an agent, through the SDK client, reads, resolves,
 * reviews, acknowledges, groups, creates an auto-group rule and asks for analyses. Nothing is lost (every burst is
 * one stored candidate, every triage action is stored), the rule groups the observer's later candidates, the
 * observer analyses what the agent asked for, and no tool call fails — "database is locked" never surfaces.
 */
class McpBesideObserverTest {
    static final int BURSTS = 30;
    /** Bursts from this index on wait until the agent's auto-group rule exists. */
    static final int AFTER_RULE = 10;
    static final Pattern SOURCE = Pattern.compile("svc-(\\d{3})");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    Path log;
    Path db;

    static boolean diskQuota(int i) {
        return i >= AFTER_RULE && i % 3 == 0;
    }

    void burst(String process, String tag) throws Exception {
        String t = TIME.format(Instant.now());
        String what = tag.startsWith("burst-") && diskQuota(Integer.parseInt(tag.substring(6)))
                ? "disk quota exceeded on /srv/" + tag : "request failed for " + tag;
        String lines = t + " testhost " + process + "[4100]: error: " + what + " (first)\n"
                + t + " testhost " + process + "[4100]: error: " + what + " (second)\n";
        Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    void anAgentTriagesWhileTheObserverRecordsNewCandidates() throws Exception {
        log = dir.resolve("app.log");
        Files.writeString(log, "");
        db = dir.resolve("eyes.db");
        Path cfg = dir.resolve("eyes.toml");
        Files.writeString(cfg, """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "syslog"
                [metrics]
                enabled = false
                disk_enabled = false
                [triggers]
                error_threshold = 1
                error_window_seconds = 10
                cooldown_seconds = 1
                [ai]
                backend = "mock"
                automatic_analysis = false
                [web]
                enabled = false
                [storage]
                database_path = "%s"
                """.formatted(log, db));
        List<String> mcpErr = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        try (EyesProcess observer = EyesProcess.start(Map.of(), "run", "--config", cfg.toString())) {
            observer.awaitStderr(l -> l.contains("is watching"), Duration.ofSeconds(60));
            // the tail starts at the file's end once it has opened the file: warm up until it sees a burst
            int[] warm = {0};
            Await.untilTrue("the observer reads the file", Duration.ofSeconds(30), () -> {
                if (Sql.count(db, "SELECT COUNT(*) FROM alert_candidates") > 0) {
                    return true;
                }
                burst("warmup-" + warm[0]++, "warmup");
                Thread.sleep(300);
                return false;
            });
            Thread.sleep(1500); // let the warm-up bursts already written land
            long baseline = Sql.count(db, "SELECT COUNT(*) FROM alert_candidates");
            assertThat(baseline).isLessThanOrEqualTo(warm[0]);

            McpSyncClient agent = McpProcess.client(McpProcess.emptyConfig(dir), db, mcpErr);
            try {
                agent.initialize();
                CountDownLatch ruleCreated = new CountDownLatch(1);
                AtomicReference<Throwable> writerFailed = new AtomicReference<>();
                Thread writer = Thread.ofPlatform().name("burst-writer").start(() -> {
                    try {
                        for (int i = 0; i < BURSTS; i++) {
                            if (i == AFTER_RULE && !ruleCreated.await(60, TimeUnit.SECONDS)) {
                                throw new AssertionError("the agent did not create its rule");
                            }
                            burst("svc-%03d".formatted(i), "burst-%03d".formatted(i));
                            Thread.sleep(150);
                        }
                    } catch (Throwable t) {
                        writerFailed.set(t);
                    }
                });

                Agent a = new Agent(agent, failures);
                // the heartbeat eyes run writes (its self-monitoring snapshot) is what get_health reads
                JsonNode health = a.call("get_health", Map.of());
                assertThat(health.path("observer").asString()).isEqualTo("running");
                assertThat(health.path("health").path("state").asString()).isEqualTo("running");
                assertThat(health.path("health").path("sources").get(0).path("name").asString()).startsWith("file:");
                Map<Integer, Long> ids = new HashMap<>();
                long target = -1;
                long ruleId = -1;
                List<Long> attachPool = new ArrayList<>();
                Set<Integer> handled = new TreeSet<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (handled.size() < BURSTS) {
                    assertThat(System.nanoTime()).as("the agent saw all bursts in time; handled " + handled)
                            .isLessThan(deadline);
                    JsonNode page = a.call("list_alerts", Map.of("limit", 100));
                    for (JsonNode row : page.path("alerts")) {
                        Matcher m = SOURCE.matcher(row.path("trigger_source").asString(""));
                        if (!m.find() || !handled.add(Integer.parseInt(m.group(1)))) {
                            continue;
                        }
                        int i = Integer.parseInt(m.group(1));
                        long id = row.path("id").asLong();
                        ids.put(i, id);
                        // read the evidence first, as the instructions say
                        JsonNode alert = a.call("get_alert", Map.of("alert_id", id));
                        assertThat(alert.path("log_events").toString()).contains("burst-%03d".formatted(i));
                        if (i == 0) {
                            target = id;
                            a.call("acknowledge_alert", Map.of("alert_id", id, "acknowledged_by", "agent",
                                    "note", "watching the quota"));
                            JsonNode rule = a.call("create_auto_group_rule", Map.of("target_alert_id", id,
                                    "triggered_by", "ErrorFrequencyRule", "message_regex", "disk quota exceeded"));
                            ruleId = rule.path("id").asLong();
                            ruleCreated.countDown();
                        } else if (diskQuota(i)) {
                            a.call("append_agent_review", Map.of("alert_id", id, "agent_name", "agent",
                                    "review", "quota again, see the group"));
                        } else if (i % 4 == 1) {
                            a.call("resolve_alert", Map.of("alert_id", id, "agent_name", "agent",
                                    "resolution", "restarted svc-%03d".formatted(i)));
                        } else if (i % 4 == 2) {
                            a.call("append_agent_review", Map.of("alert_id", id, "agent_name", "agent",
                                    "review", "looked at svc-%03d".formatted(i)));
                        } else if (i % 4 == 3) {
                            JsonNode q = a.call("analyze_alert", Map.of("alert_id", id, "requested_by", "agent"));
                            assertThat(q.path("queued").asBoolean()).isTrue();
                        } else {
                            attachPool.add(id);
                            if (attachPool.size() >= 2) {
                                a.call("attach_similar_alerts", Map.of("primary_alert_id", attachPool.getFirst(),
                                        "similar_alert_ids", attachPool.subList(1, attachPool.size())));
                                attachPool.subList(1, attachPool.size()).clear();
                            }
                        }
                        a.call("search_alerts", Map.of("query", "svc-%03d".formatted(i)));
                    }
                    Thread.sleep(50);
                }
                writer.join(Duration.ofSeconds(30));
                assertThat(writerFailed.get()).isNull();
                assertThat(failures).as("tool calls that failed").isEmpty();

                // nothing lost: one candidate per burst, on top of the warm-up ones
                Thread.sleep(1500);
                assertThat(Sql.count(db, "SELECT COUNT(*) FROM alert_candidates")).isEqualTo(baseline + BURSTS);
                for (int i = 0; i < BURSTS; i++) {
                    assertThat(Sql.count(db, "SELECT COUNT(*) FROM alert_candidates WHERE trigger_source LIKE "
                            + "'%svc-" + "%03d".formatted(i) + "'")).as("burst " + i).isEqualTo(1);
                }
                // the observer grouped its later candidates by the agent's rule
                for (int i = AFTER_RULE; i < BURSTS; i++) {
                    if (diskQuota(i)) {
                        assertThat(a.call("get_alert", Map.of("alert_id", ids.get(i))).path("group_parent_id")
                                .asLong()).as("burst " + i + " grouped by rule " + ruleId).isEqualTo(target);
                    }
                }
                // every triage action is stored
                for (Map.Entry<Integer, Long> e : ids.entrySet()) {
                    int i = e.getKey();
                    JsonNode alert = a.call("get_alert", Map.of("alert_id", e.getValue()));
                    if (i != 0 && !diskQuota(i) && i % 4 == 1) {
                        assertThat(alert.path("resolution_status").asString()).as("burst " + i).isEqualTo("resolved");
                        assertThat(alert.path("agent_reviews").toString()).contains("restarted svc-%03d".formatted(i));
                    } else if (i != 0 && !diskQuota(i) && i % 4 == 2) {
                        assertThat(alert.path("agent_reviews").toString()).contains("looked at svc-%03d".formatted(i));
                    } else if (i != 0 && !diskQuota(i) && i % 4 == 0) {
                        long parent = alert.path("group_parent_id").asLong(-1);
                        assertThat(e.getValue() == attachPool.getFirst() || parent == attachPool.getFirst())
                                .as("burst " + i + " in the agent's group").isTrue();
                    }
                }
                JsonNode root = a.call("get_alert", Map.of("alert_id", target));
                assertThat(root.path("acknowledged").asBoolean()).isTrue();
                assertThat(root.path("similar_alert_count").asInt()).isEqualTo(
                        (int) java.util.stream.IntStream.range(0, BURSTS).filter(McpBesideObserverTest::diskQuota)
                                .count());
                // the observer analysed what the agent asked for (the mock backend), and nothing else
                Await.untilTrue("the requested analyses", Duration.ofSeconds(60), () -> {
                    for (Map.Entry<Integer, Long> e : ids.entrySet()) {
                        int i = e.getKey();
                        if (i != 0 && !diskQuota(i) && i % 4 == 3 && !"analyzed".equals(Sql.query(db,
                                "SELECT analysis_status FROM alert_candidates WHERE id = " + e.getValue())
                                .getFirst().get("analysis_status"))) {
                            return false;
                        }
                    }
                    return true;
                });
                assertThat(Sql.count(db, "SELECT COUNT(*) FROM alert_candidates WHERE analysis_status = 'analyzed'"))
                        .isEqualTo(ids.entrySet().stream().filter(e -> e.getKey() != 0 && !diskQuota(e.getKey())
                                && e.getKey() % 4 == 3).count());
                assertThat(Sql.count(db, "SELECT COUNT(*) FROM analysis_requests")).isZero();
                assertThat(failures).as("tool calls that failed").isEmpty();
                assertThat(a.calls).isGreaterThan(4L * BURSTS);
            } finally {
                agent.closeGracefully();
            }
            observer.signal("TERM");
            assertThat(observer.awaitExit(Duration.ofSeconds(15))).isZero();
            for (List<String> err : List.of(observer.stderr(), mcpErr)) {
                assertThat(err).noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("locked")
                        || l.contains("SQLITE_BUSY") || l.startsWith("\tat "));
            }
        }
        assertThat(Sql.integrityCheck(db)).isEqualTo("ok");
    }

    /** The agent's side: every call must succeed; a failure is recorded with its message. */
    static final class Agent {
        final McpSyncClient client;
        final List<String> failures;
        long calls;

        Agent(McpSyncClient client, List<String> failures) {
            this.client = client;
            this.failures = failures;
        }

        JsonNode call(String tool, Map<String, Object> args) {
            calls++;
            McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder(tool)
                    .arguments(new LinkedHashMap<>(args)).build());
            String text = ((McpSchema.TextContent) r.content().getFirst()).text();
            if (Boolean.TRUE.equals(r.isError())) {
                failures.add(tool + " " + args + ": " + text);
                return TestJson.MAPPER.createObjectNode();
            }
            return TestJson.MAPPER.readTree(text);
        }
    }
}
