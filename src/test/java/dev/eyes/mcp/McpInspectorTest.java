package dev.eyes.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eyes.event.Severity;
import dev.eyes.store.AlertJson;
import dev.eyes.store.AlertSearchRequest;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.McpProcess;
import dev.eyes.testing.TestJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code eyes mcp} against a client no one here wrote: the MCP inspector's CLI from npm
 * ({@code @modelcontextprotocol/inspector --cli}, the version pinned in {@code src/test/npm}), which starts the
 * server itself over stdio, lists the tools and calls them. {@code bin/test} installs it into {@code .cache/npm}
 * and makes it required ({@code -Deyes.mcp.inspector.required=true}): then a missing inspector fails this test.
 * A plain {@code mvn verify} without it reports the test as skipped, naming the reason.
 */
class McpInspectorTest {
    @TempDir
    Path dir;

    Path inspector;
    Path db;
    List<Long> ids = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        inspector = Path.of(System.getProperty("eyes.mcp.inspector",
                Path.of(".cache/npm/node_modules/.bin/mcp-inspector").toAbsolutePath().toString()));
        if (!Files.isExecutable(inspector)) {
            String why = "the MCP inspector is not installed at " + inspector + " (bin/test installs it from npm: "
                    + "bin/lib/npm.sh)";
            if (Boolean.getBoolean("eyes.mcp.inspector.required")) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        db = dir.resolve("eyes.db");
        AlertFixtures fx = new AlertFixtures(db);
        Instant t = Instant.now().minusSeconds(600);
        ids.add(fx.analyzed("ErrorFrequencyRule", "nginx.service/nginx", Severity.WARNING, t,
                "upstream timed out").candidateId());
        ids.add(fx.analyzed("CrashDetectionRule", "kernel", Severity.CRITICAL, t.plusSeconds(60),
                "myapp[912]: segfault at 0").candidateId());
    }

    record Run(int status, String stdout, String stderr) {
        JsonNode json() {
            return TestJson.MAPPER.readTree(stdout);
        }
    }

    /**
     * {@code mcp-inspector --cli <options> -- java … Main mcp …}; the inspector starts and stops the server ("--"
     * keeps it from taking the server's own --config for its).
     */
    Run inspect(String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(inspector.toString(), "--cli"));
        cmd.addAll(List.of(options));
        cmd.add("--");
        cmd.addAll(EyesProcess.javaCommand());
        cmd.addAll(McpProcess.arguments(McpProcess.emptyConfig(dir), db));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("inspector.err").toFile());
        pb.environment().put("MCP_CATALOG_PATH", dir.resolve("catalog.json").toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the inspector did not finish in 120 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                Files.readString(dir.resolve("inspector.err")));
    }

    @Test
    void theInspectorListsTheToolsAndCallsListAlerts() throws Exception {
        Run tools = inspect("--method", "tools/list");
        assertThat(tools.status()).as(tools.stderr()).isZero();
        JsonNode list = tools.json();
        assertThat(list.path("tools").valueStream().map(t -> t.path("name").asString()))
                .containsExactlyElementsOf(McpServerTest.TOOLS);
        JsonNode listAlerts = list.path("tools").get(0);
        assertThat(listAlerts.path("inputSchema").path("properties").path("limit").path("maximum").asInt())
                .isEqualTo(100);

        Run call = inspect("--method", "tools/call", "--tool-name", "list_alerts", "--tool-arg", "limit=1");
        assertThat(call.status()).as(call.stderr()).isZero();
        JsonNode result = call.json();
        assertThat(result.path("isError").asBoolean()).isFalse();
        try (SqliteAlertStore store = new SqliteAlertStore(dev.eyes.store.Database.open(db))) {
            assertThat(result.path("structuredContent")).isEqualTo(TestJson.MAPPER.readTree(AlertJson.searchPage(
                    store.searchAlerts(AlertSearchRequest.of(null, null, null, 1, null))).toString()));
        }
        assertThat(result.path("structuredContent").path("total").asInt()).isEqualTo(2);
        assertThat(result.path("structuredContent").path("alerts").get(0).path("id").asLong()).isEqualTo(ids.get(1));
        assertThat(TestJson.MAPPER.readTree(result.path("content").get(0).path("text").asString()))
                .isEqualTo(result.path("structuredContent"));

        Run missing = inspect("--method", "tools/call", "--tool-name", "get_alert", "--tool-arg", "alert_id=424242");
        // the inspector prints the result and, for a tool error, says so on stderr and exits non-zero
        assertThat(missing.stderr()).contains("returned isError:true");
        assertThat(missing.json().path("isError").asBoolean()).isTrue();
        assertThat(missing.json().path("structuredContent").path("error").asString())
                .isEqualTo("Alert candidate 424242 does not exist");
        assertThat(missing.json().path("content").get(0).path("text").asString())
                .isEqualTo("Alert candidate 424242 does not exist");
    }
}
