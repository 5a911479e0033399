package dev.eyes.testing;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eyes mcp} as a real subprocess, two ways: driven by the MCP Java SDK's own client over stdio
 * ({@link #client}), or by hand, line by line ({@link #start}) for what a well-behaved client never sends.
 */
public final class McpProcess implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final List<String> allOut = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    private McpProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread.ofVirtual().start(() -> collect(process.inputReader(StandardCharsets.UTF_8), true));
        Thread.ofVirtual().start(() -> collect(process.errorReader(StandardCharsets.UTF_8), false));
    }

    /** The arguments after {@code java … dev.eyes.app.Main}: {@code mcp --config <empty> --database db}. */
    public static List<String> arguments(Path config, Path db) {
        return List.of("mcp", "--config", config.toString(), "--database", db.toString());
    }

    /** An empty configuration file (defaults), so no user configuration of this machine is read. */
    public static Path emptyConfig(Path dir) throws IOException {
        Path f = dir.resolve("empty-config.toml");
        if (!Files.exists(f)) {
            Files.writeString(f, "");
        }
        return f;
    }

    /** The SDK client over stdio to a new {@code eyes mcp}; the server's stderr lines go to {@code stderr}. */
    public static McpSyncClient client(Path config, Path db, List<String> stderr) {
        List<String> cmd = new ArrayList<>(EyesProcess.javaCommand());
        cmd.addAll(arguments(config, db));
        ServerParameters params = ServerParameters.builder(cmd.getFirst()).args(cmd.subList(1, cmd.size())).build();
        StdioClientTransport transport = new StdioClientTransport(params,
                new JacksonMcpJsonMapper(JsonMapper.builder().build()));
        transport.setStdErrorHandler(stderr::add);
        return McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("eyes-test-agent", "1.0").build())
                .requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** A new {@code eyes mcp} with its stdin, stdout and stderr in the test's hands. */
    public static McpProcess start(Path config, Path db) throws IOException {
        List<String> cmd = new ArrayList<>(EyesProcess.javaCommand());
        cmd.addAll(arguments(config, db));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("EYES_CONFIG");
        pb.environment().remove("EYES_LOG");
        return new McpProcess(pb.start());
    }

    private void collect(BufferedReader r, boolean stdout) {
        try (r) {
            String line;
            while ((line = r.readLine()) != null) {
                if (stdout) {
                    allOut.add(line);
                    out.add(line);
                } else {
                    err.add(line);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    /** Writes one line (a frame, or anything else) to the server's stdin. */
    public void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    public void sendBytes(byte[] bytes) throws IOException {
        stdin.write(bytes);
        stdin.flush();
    }

    /** Sends a JSON-RPC request. */
    public void request(int id, String method, Map<String, ?> params) throws IOException {
        send(TestJson.MAPPER.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", method,
                "params", params)));
    }

    /** {@code initialize} then {@code notifications/initialized}; returns the answer. */
    public JsonNode initialize() throws Exception {
        request(1, "initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "raw-test", "version", "1")));
        JsonNode answer = next(Duration.ofSeconds(60));
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return answer;
    }

    /** The next stdout line as JSON; fails when none comes in time. */
    public JsonNode next(Duration timeout) throws Exception {
        String line = out.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no answer within " + timeout + "; stderr:\n" + String.join("\n", err));
        }
        return TestJson.MAPPER.readTree(line);
    }

    public void closeStdin() throws IOException {
        stdin.close();
    }

    /** Waits for the exit; returns its status, or throws when it is still running. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("eyes mcp still runs " + timeout + " later; stderr:\n" + String.join("\n", err));
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> stdout() {
        return List.copyOf(allOut);
    }

    public List<String> stderr() {
        return List.copyOf(err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
