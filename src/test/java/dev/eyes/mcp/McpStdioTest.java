package dev.eyes.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.Severity;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.McpProcess;
import dev.eyes.testing.TestJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The stdio contract of {@code eyes mcp}, by hand on a real subprocess: it ends within a second of stdin closing
 * (answering what it had already read), a malformed line gets a JSON-RPC error and the session goes on, and
 * stdout carries nothing but protocol frames.
 */
class McpStdioTest {
    @TempDir
    Path dir;

    Path db;
    Path config;
    long alert;

    @BeforeEach
    void seed() throws Exception {
        db = dir.resolve("eyes.db");
        config = McpProcess.emptyConfig(dir);
        AlertFixtures fx = new AlertFixtures(db);
        alert = fx.analyzed("ErrorFrequencyRule", "sshd.service/sshd", Severity.WARNING, Instant.now(),
                "error: maximum authentication attempts exceeded for root").candidateId();
    }

    /** Every stdout line is one JSON-RPC 2.0 frame. */
    static void assertOnlyFrames(McpProcess p) {
        assertThat(p.stdout()).isNotEmpty().allSatisfy(line -> {
            JsonNode n = TestJson.MAPPER.readTree(line);
            assertThat(n.path("jsonrpc").asString()).as(line).isEqualTo("2.0");
        });
    }

    @Test
    void closingStdinEndsTheProcessWithinOneSecond() throws Exception {
        try (McpProcess p = McpProcess.start(config, db)) {
            JsonNode init = p.initialize();
            assertThat(init.path("result").path("serverInfo").path("name").asString()).isEqualTo("eyes-alerts");
            p.request(2, "tools/list", Map.of());
            assertThat(p.next(Duration.ofSeconds(30)).path("result").path("tools")).hasSize(15);
            long t0 = System.nanoTime();
            p.closeStdin();
            int status = p.awaitExit(Duration.ofSeconds(5));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(status).isZero();
            assertThat(ms).as("milliseconds from closing stdin to exit").isLessThan(1000);
            assertOnlyFrames(p);
            assertThat(p.stderr()).anyMatch(l -> l.contains("stdin closed; exiting"));
        }
    }

    @Test
    void requestsAlreadyReadWhenStdinClosesAreStillAnswered() throws Exception {
        try (McpProcess p = McpProcess.start(config, db)) {
            p.initialize();
            // as a script would: write the calls and close stdin at once
            StringBuilder calls = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                calls.append(TestJson.MAPPER.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 10 + i,
                        "method", "tools/call", "params", Map.of("name", "get_alert",
                                "arguments", Map.of("alert_id", alert))))).append('\n');
            }
            p.sendBytes(calls.toString().getBytes(StandardCharsets.UTF_8));
            p.closeStdin();
            assertThat(p.awaitExit(Duration.ofSeconds(5))).isZero();
            assertOnlyFrames(p);
            assertThat(p.stdout().stream().skip(1).map(l -> TestJson.MAPPER.readTree(l)))
                    .hasSize(5)
                    .allSatisfy(n -> assertThat(n.path("result").path("structuredContent").path("id").asLong())
                            .isEqualTo(alert))
                    .extracting(n -> n.path("id").asInt()).containsExactlyInAnyOrder(10, 11, 12, 13, 14);
        }
    }

    @Test
    void malformedInputGetsJsonRpcErrorsAndTheSessionGoesOn() throws Exception {
        try (McpProcess p = McpProcess.start(config, db)) {
            p.initialize();
            p.send("this is not json");
            JsonNode parse = p.next(Duration.ofSeconds(10));
            assertThat(parse.path("error").path("code").asInt()).isEqualTo(-32700);
            assertThat(parse.has("id")).isTrue();
            assertThat(parse.path("id").isNull()).isTrue();

            p.send("{\"id\": 7, \"hello\": \"world\"}");
            JsonNode invalid = p.next(Duration.ofSeconds(10));
            assertThat(invalid.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(invalid.path("id").asInt()).isEqualTo(7);

            byte[] huge = new byte[StdioTransport.MAX_LINE_BYTES + 10];
            Arrays.fill(huge, (byte) 'x');
            huge[huge.length - 1] = '\n';
            p.sendBytes(huge);
            JsonNode tooLong = p.next(Duration.ofSeconds(20));
            assertThat(tooLong.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(tooLong.path("error").path("message").asString()).contains("longer than");

            p.send("");
            p.send("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"get_alert\","
                    + "\"arguments\":{\"alert_id\":" + alert + "}}}\r");
            JsonNode ok = p.next(Duration.ofSeconds(20));
            assertThat(ok.path("id").asInt()).isEqualTo(8);
            assertThat(ok.path("result").path("isError").asBoolean()).isFalse();
            assertThat(ok.path("result").path("structuredContent").path("id").asLong()).isEqualTo(alert);

            p.request(9, "tools/call", Map.of("name", "no_such_tool", "arguments", Map.of()));
            JsonNode unknown = p.next(Duration.ofSeconds(20));
            assertThat(unknown.path("id").asInt()).isEqualTo(9);
            assertThat(unknown.toString()).contains("no_such_tool");
            p.closeStdin();
            assertThat(p.awaitExit(Duration.ofSeconds(5))).isZero();
            assertOnlyFrames(p);
            assertThat(p.stderr()).noneMatch(l -> l.startsWith("\tat "));
        }
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsReportedByEveryToolCall() throws Exception {
        Path broken = dir.resolve("broken.db");
        Files.write(broken, "this is not an SQLite file, but it is long enough to look like one".repeat(100)
                .getBytes(StandardCharsets.UTF_8));
        try (McpProcess p = McpProcess.start(config, broken)) {
            assertThat(p.initialize().path("result").path("serverInfo").path("name").asString())
                    .isEqualTo("eyes-alerts");
            p.request(2, "tools/call", Map.of("name", "list_alerts", "arguments", Map.of()));
            JsonNode answer = p.next(Duration.ofSeconds(30));
            assertThat(answer.path("result").path("isError").asBoolean()).isTrue();
            assertThat(answer.path("result").path("content").get(0).path("text").asString())
                    .startsWith("cannot open the database " + broken).contains("not a database");
            p.closeStdin();
            assertThat(p.awaitExit(Duration.ofSeconds(5))).isZero();
            assertOnlyFrames(p);
        }
    }

    @Test
    void withoutADatabaseItExitsOneAndSaysWhereItLooked() throws Exception {
        Path missing = dir.resolve("nowhere/eyes.db");
        try (EyesProcess p = EyesProcess.start(Map.of(), "mcp", "--config", config.toString(), "--database",
                missing.toString())) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(p.stdout()).isEmpty();
            assertThat(p.stderr()).anyMatch(l -> l.equals("eyes: there is no Eyes database at " + missing
                    + " (give --database with the file eyes run writes, or set storage.database_path; eyes run "
                    + "creates it)"));
            assertThat(Files.exists(missing)).isFalse();
        }
    }
}
