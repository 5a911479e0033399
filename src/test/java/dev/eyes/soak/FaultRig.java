package dev.eyes.soak;

import com.sun.net.httpserver.HttpServer;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.FakeLlmServer;
import dev.eyes.testing.Sql;
import dev.eyes.testing.TestJournald;
import dev.eyes.testing.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Everything a resource-fault run needs, all real: a small tmpfs holding the database, a private systemd-journald
 * namespace Eyes follows, a local Ollama-speaking model server and a webhook receiver that both answer only when
 * their gate is open, and {@code eyes run} itself as a subprocess with its dashboard on 127.0.0.1. Closing it stops
 * Eyes, the servers and journald and unmounts the tmpfs.
 */
final class FaultRig implements AutoCloseable {
    static final String MODEL_TAGS = "{\"models\":[{\"name\":\"llama3:latest\",\"model\":\"llama3:latest\"}]}";
    static final String ANSWER = "{\"summary\":\"a service keeps failing\",\"root_cause\":\"its database is gone\","
            + "\"recommendations\":[\"look at the service's own log\"],\"evidence\":[\"three distinct errors\"],"
            + "\"severity\":\"warning\",\"observation_confidence\":\"high\",\"diagnosis_confidence\":\"medium\"}";
    private static final Pattern DASHBOARD = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:(\\d+))");

    /** Lets requests through while open; holds them (counting them) while closed. */
    static final class Gate {
        private volatile CountDownLatch latch = new CountDownLatch(0);
        private final AtomicInteger waiting = new AtomicInteger();

        void close() {
            if (latch.getCount() == 0) {
                latch = new CountDownLatch(1);
            }
        }

        void open() {
            latch.countDown();
        }

        int waiting() {
            return waiting.get();
        }

        void pass() throws InterruptedException {
            CountDownLatch l = latch;
            waiting.incrementAndGet();
            try {
                if (!l.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("a gate stayed closed for 10 minutes");
                }
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    final Path dir;
    final Path mount;
    final Path db;
    final Gate modelGate = new Gate();
    final Gate hookGate = new Gate();
    /** Webhook bodies received (the whole alert as JSON). */
    final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closers = new ArrayList<>();
    private boolean mounted;
    TestJournald journald;
    FakeLlmServer model;
    HttpServer hook;
    EyesProcess eyes;
    WebClient http;

    private FaultRig(Path dir) {
        this.dir = dir;
        this.mount = dir.resolve("db");
        this.db = mount.resolve("eyes.db");
    }

    /** Mounts a tmpfs of {@code tmpfsBytes} for the database and starts journald, the servers and Eyes. */
    static FaultRig start(long tmpfsBytes) throws Exception {
        FaultRig rig = new FaultRig(Files.createTempDirectory("eyes-faults-"));
        try {
            rig.mountTmpfs(tmpfsBytes);
            rig.journald = TestJournald.start();
            rig.model = new FakeLlmServer().onGet(FakeLlmServer.status(200, MODEL_TAGS));
            FakeLlmServer.Responder answer = FakeLlmServer.ollamaStream(ANSWER);
            Gate gate = rig.modelGate;
            rig.model.always((ex, r, s) -> {
                gate.pass();
                answer.respond(ex, r, s);
            });
            rig.startHook();
            rig.startEyes();
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    private void mountTmpfs(long bytes) throws IOException, InterruptedException {
        Files.createDirectories(mount);
        String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0755", "tmpfs",
                mount.toString()));
        if (out != null) {
            throw new IllegalStateException("cannot mount a tmpfs for the full-disk fault (this needs root, as in "
                    + "bin/test and CI): " + out);
        }
        mounted = true;
    }

    /** Runs a command; returns null on success, else its exit status and output. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + " did not finish";
        }
        return p.exitValue() == 0 ? null : String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out;
    }

    private void startHook() throws IOException {
        hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        hook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        hook.createContext("/hook", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                hooks.add(WebClient.JSON.readTree(body));
                hookGate.pass();
                ex.sendResponseHeaders(204, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hook.start();
    }

    private void startEyes() throws Exception {
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                [logging]
                sources = ["journald"]
                journald_namespace = "%s"
                [metrics]
                enabled = false
                disk_enabled = false
                [triggers]
                error_threshold = 2
                error_window_seconds = 10
                cooldown_seconds = 3600
                [ai]
                backend = "ollama"
                endpoint = "%s"
                model = "llama3"
                timeout_seconds = 600
                max_concurrent = 2
                [alerts]
                rate_limit_per_minute = 10000
                minimum_severity = "info"
                [[alerts.webhooks]]
                url = "http://127.0.0.1:%d/hook"
                format = "json"
                timeout_seconds = 300
                [storage]
                database_path = "%s"
                [web]
                bind_address = "127.0.0.1:0"
                """.formatted(journald.namespace(), model.url(), hook.getAddress().getPort(), db));
        eyes = EyesProcess.start(Map.of(), "run", "--config", config.toString());
        String line = eyes.awaitStderr(l -> DASHBOARD.matcher(l).find(), Duration.ofSeconds(60));
        Matcher m = DASHBOARD.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no dashboard address in: " + line);
        }
        http = new WebClient("127.0.0.1", Integer.parseInt(m.group(2)));
        eyes.awaitStderr(l -> l.contains("following journald"), Duration.ofSeconds(60));
        eyes.awaitStderr(l -> l.contains("AI backend:"), Duration.ofSeconds(60));
    }

    /** {@code GET /api/health}. */
    JsonNode health() throws IOException, InterruptedException {
        WebClient.Response r = http.get("/api/health");
        if (r.status() != 200) {
            throw new IllegalStateException("GET /api/health answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** Log events the event loop has taken off its queue (accepted minus still queued). */
    static long processed(JsonNode health) {
        JsonNode p = health.path("pipeline");
        return p.path("accepted_events").asLong() - p.path("queue_depth").asLong();
    }

    /** Writes {@code lines} errors (priority 3) as {@code identifier}, each message distinct. */
    void errors(String identifier, int lines, String what) throws IOException {
        try (TestJournald.Stream s = journald.stream(identifier, 3)) {
            for (int i = 1; i <= lines; i++) {
                s.write(3, identifier + ": " + what + " failed, attempt " + i);
            }
        }
    }

    /** The cursor of the newest error entry in the namespace (what Eyes should have checkpointed last). */
    String lastErrorCursor() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("journalctl", "--namespace=" + journald.namespace(), "-p", "err", "-n", "1",
                "-o", "json", "--no-pager").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        if (out.isEmpty()) {
            return null;
        }
        return WebClient.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow()).path("__CURSOR").asString();
    }

    long count(String sql) throws Exception {
        return Sql.count(db, sql);
    }

    List<Map<String, Object>> query(String sql) throws Exception {
        return Sql.query(db, sql);
    }

    /** Eyes' stderr lines from index {@code from} on. */
    List<String> log(int from) {
        List<String> all = eyes.stderr();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    int logSize() {
        return eyes.stderr().size();
    }

    @Override
    public void close() {
        if (eyes != null && Boolean.getBoolean("eyes.faults.verbose")) {
            System.err.println("---- eyes run's log ----");
            eyes.stderr().forEach(System.err::println);
        }
        modelGate.open();
        hookGate.open();
        closeQuietly(eyes);
        if (model != null) {
            model.close();
        }
        if (hook != null) {
            hook.stop(0);
        }
        closeQuietly(journald);
        closers.forEach(FaultRig::closeQuietly);
        if (mounted) {
            try {
                String out = run(List.of("umount", mount.toString()));
                if (out != null) {
                    // a process may still hold a file: lazily detach it so nothing is left mounted
                    run(List.of("umount", "-l", mount.toString()));
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("could not unmount " + mount + ": " + e);
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left in the temp directory
        }
    }

    /** Closed with the rig, before the tmpfs is unmounted. */
    void closeWithRig(AutoCloseable c) {
        closers.add(c);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("closing " + c + ": " + e);
        }
    }
}
