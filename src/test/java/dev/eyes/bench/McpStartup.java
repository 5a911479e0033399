package dev.eyes.bench;

import dev.eyes.store.Database;
import dev.eyes.testing.TestJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start-up of {@code eyes mcp}: milliseconds from starting the process until its answer to {@code initialize}, for
 * plain {@code java -jar}, with a class-data-sharing archive (made by a short training session, as {@code bin/eyes}
 * does), on Java 25 or newer with an AOT cache (JEP 483/514), and through {@code bin/eyes} when run from the
 * project directory (the launcher, its JVM flags, its archive). Variants run round-robin, so background load
 * falls on all alike; the median of the runs is reported.
 *
 * <p>{@code bin/bench MCP} runs it ({@code McpStartup target/eyes.jar 5}, from the project directory). The java
 * that runs this runs the variants.
 */
public final class McpStartup {
    static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\","
            + "\"version\":\"1\"}}}";
    static final List<String> TRAINING = List.of(INIT,
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_alerts\","
                    + "\"arguments\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"get_health\","
                    + "\"arguments\":{}}}");
    static final List<String> QUIET = List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds*=off:stderr");

    private McpStartup() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "target/eyes.jar").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String java = ProcessHandle.current().info().command().orElse("java");
        int feature = Runtime.version().feature();
        Path dir = Files.createTempDirectory("eyes-mcp-startup");
        Path db = dir.resolve("eyes.db");
        Database.open(db);
        List<String> tail = List.of("-jar", jar.toString(), "mcp", "--database", db.toString());

        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("java -jar", concat(List.of(java), tail));
        Path jsa = dir.resolve("eyes-mcp.jsa");
        train(concat(List.of(java), QUIET, List.of("-XX:ArchiveClassesAtExit=" + jsa), tail));
        variants.put("java -jar + CDS archive", concat(List.of(java), QUIET,
                List.of("-XX:SharedArchiveFile=" + jsa), tail));
        if (feature >= 25) {
            Path aot = dir.resolve("eyes-mcp.aot");
            train(concat(List.of(java), QUIET, List.of("-Xlog:aot*=off:stderr", "-XX:AOTCacheOutput=" + aot), tail));
            variants.put("java -jar + AOT cache", concat(List.of(java), QUIET,
                    List.of("-Xlog:aot*=off:stderr", "-XX:AOTCache=" + aot), tail));
        }
        Path launcher = Path.of("bin/eyes");
        if (Files.isExecutable(launcher)) {
            // its first run (below, before timing) makes its archive when the jar is newer
            variants.put("bin/eyes", List.of(launcher.toAbsolutePath().toString(), "mcp", "--database",
                    db.toString()));
        }
        Map<String, List<Long>> times = new LinkedHashMap<>();
        variants.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        for (List<String> cmd : variants.values()) {
            once(cmd); // page cache
        }
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                times.get(v.getKey()).add(once(v.getValue()));
            }
        }
        System.out.printf("eyes mcp start-up to the initialize answer, Java %s, %d CPUs, median of %d:%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), runs);
        for (Map.Entry<String, List<Long>> t : times.entrySet()) {
            long[] sorted = t.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  %-26s %5d ms   (runs: %s)%n", t.getKey(), sorted[sorted.length / 2], t.getValue());
        }
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    /** A training session: the requests, stdin closed, the archive written at exit. */
    static void train(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", TRAINING) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("training run failed: " + cmd);
        }
    }

    /** Milliseconds from start to the initialize answer. */
    static long once(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream in = p.getOutputStream();
        in.write((INIT + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (line == null || !"eyes-alerts".equals(TestJson.MAPPER.readTree(line).path("result")
                .path("serverInfo").path("name").asString())) {
            throw new IllegalStateException("no initialize answer from " + cmd + ": " + line);
        }
        in.close();
        String rest = out.readLine();
        if (rest != null) {
            throw new IllegalStateException("stdout after the answer: " + rest);
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return ms;
    }
}
