package dev.eyes.web;

import dev.eyes.event.Severity;
import dev.eyes.rule.Trigger;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.Tx;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.SseClient;
import dev.eyes.testing.WebClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for the README, not assertions: the dashboard's cold start (a new {@code eyes run} process until the
 * dashboard sends the first byte of its page; and in a fresh JVM, the server alone), {@code /api/alerts} latency
 * over real HTTP with 10,000 stored alerts, and the resident memory the dashboard adds to an idle {@code eyes run}.
 * Run with {@code mvn -B test -Dtest=WebFiguresTest -Deyes.figures=true}; the figures go to
 * {@code target/web-figures.txt}. The JVM flags are {@code bin/eyes}'s.
 */
@EnabledIfSystemProperty(named = "eyes.figures", matches = "true")
class WebFiguresTest {
    /** bin/eyes's JVM flags. */
    static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx192m", "-Xss512k",
            "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=32m", "-XX:+UseStringDeduplication",
            "--enable-native-access=ALL-UNNAMED");

    @TempDir
    Path dir;
    final List<String> report = new ArrayList<>();

    void say(String fmt, Object... args) throws Exception {
        String line = String.format(Locale.ROOT, fmt, args);
        report.add(line);
        System.out.println(line);
        Files.write(Path.of("target", "web-figures.txt"), report);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<String> java(String main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(FLAGS);
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(main);
        cmd.addAll(List.of(args));
        return cmd;
    }

    Path config(int port, boolean web) throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "");
        return Files.writeString(dir.resolve("c-" + port + ".toml"), """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "plain"
                [ai]
                backend = "mock"
                [storage]
                database_path = "%s"
                [web]
                enabled = %s
                bind_address = "127.0.0.1:%d"
                """.formatted(log, dir.resolve("eyes-" + port + ".db"), web, port));
    }

    /** Milliseconds until the first byte of GET / arrives (polling every 2 ms). */
    static double untilFirstByte(int port, long startNanos, Duration limit) throws Exception {
        long end = startNanos + limit.toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = s.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                if (in.read() != -1) {
                    return (System.nanoTime() - startNanos) / 1e6;
                }
            } catch (java.io.IOException notYet) {
                Thread.sleep(2);
            }
        }
        throw new AssertionError("the dashboard did not answer");
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    @Test
    void figures() throws Exception {
        say("Dashboard figures, %s, %d CPUs, %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        String parts = System.getProperty("eyes.figures.parts", "cold,api,rss");
        if (parts.contains("cold")) {
            coldStart();
        }
        if (parts.contains("api")) {
            apiLatency();
        }
        if (parts.contains("rss")) {
            residentMemory();
        }
    }

    void coldStart() throws Exception {
        int runs = 5;
        double[] process = new double[runs];
        double[] server = new double[runs];
        for (int i = 0; i < runs; i++) {
            int port = freePort();
            Path cfg = config(port, true);
            ProcessBuilder pb = new ProcessBuilder(java("dev.eyes.app.Main", "run", "--config", cfg.toString()));
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("cold-" + i + ".log").toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            try {
                process[i] = untilFirstByte(port, t0, Duration.ofSeconds(30));
            } finally {
                p.destroy();
                p.waitFor();
            }
            Process probe = new ProcessBuilder(java("dev.eyes.web.WebColdStart", dir.resolve("probe-" + i + ".db")
                    .toString())).redirectErrorStream(true).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            probe.waitFor();
            server[i] = Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1).trim());
        }
        say("cold start, eyes run spawned -> first byte of GET / : median %.0f ms (runs: %s)", median(process),
                Arrays.toString(Arrays.stream(process).map(Math::round).toArray()));
        say("cold start, fresh JVM: new WebServer + start -> first byte of GET / : median %.1f ms (runs: %s)",
                median(server), Arrays.toString(server));
    }

    void apiLatency() throws Exception {
        AlertFixtures fx = new AlertFixtures(dir.resolve("big.db"));
        int total = 10_000;
        String[] rules = {"ErrorFrequencyRule", "CrashDetectionRule", "ResourceSpikeRule"};
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        List<Long> ids = new ArrayList<>();
        long seedStart = System.nanoTime();
        try (Connection c = fx.db.connect()) {
            Tx.run(c, conn -> {
                for (int i = 0; i < total; i++) {
                    Severity sev = i % 7 == 0 ? Severity.CRITICAL : i % 3 == 0 ? Severity.INFO : Severity.WARNING;
                    Trigger t = AlertFixtures.trigger(rules[i % 3], "svc" + (i % 3000) + ".service/proc" + (i % 3000),
                            sev, t0.plusSeconds(i * 5L), "error number " + i + ": connection refused by upstream");
                    ids.add(fx.candidates.insert(conn, t, AnalysisStatus.PENDING, null));
                }
                return null;
            });
        }
        for (int i = 0; i < total; i++) {
            long id = ids.get(i);
            if (i % 10 < 7) {
                fx.assessments.analyzed(id, AlertFixtures.insight("summary of alert " + i + ": the upstream refused",
                        Severity.WARNING), new dev.eyes.analysis.AnalysisMetadata("mock", "mock", 5, 1, 0));
            } else {
                fx.assessments.failed(id, 1, "backend down");
            }
        }
        say("seeded %d alerts (%d groups: same rule and source within 24 h; 70%% analysed) in %.1f s", total,
                dev.eyes.testing.Sql.count(dir.resolve("big.db"), "SELECT COUNT(*) FROM alert_candidates WHERE "
                        + "group_parent_id IS NULL"), (System.nanoTime() - seedStart) / 1e9);
        fx.assessments.close();
        dev.eyes.store.SqliteAlertStore store = new dev.eyes.store.SqliteAlertStore(fx.db);
        // the store call alone, for comparison: what HTTP and JSON add is the difference
        dev.eyes.store.AlertListRequest first = dev.eyes.store.AlertListRequest.defaults();
        for (int i = 0; i < 200; i++) {
            store.listAlerts(first);
        }
        double[] direct = new double[1000];
        for (int i = 0; i < direct.length; i++) {
            long a = System.nanoTime();
            store.listAlerts(first);
            direct[i] = (System.nanoTime() - a) / 1e6;
        }
        say("store.listAlerts(page 1) in process, no HTTP:     p50 %6.2f ms  p99 %6.2f ms", percentile(direct, 50),
                percentile(direct, 99));
        WebServer server = new WebServer(dev.eyes.config.BindAddress.parse("127.0.0.1:0"), "", List.of(),
                new WebServer.Parts(store, null, Healths::ok,
                        new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(5)), null, null, null));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long someId = ids.get(total / 2);
            for (String path : List.of("/api/alerts", "/api/alerts?page_size=50", "/api/alerts?sort=severity",
                    "/api/alerts?sort=summary&order=asc", "/api/alerts?page=150", "/api/alerts?q=upstream&page=2",
                    "/api/alerts?severity=critical&status=failed", "/api/alerts/" + someId)) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).build();
                for (int i = 0; i < 200; i++) { // warm-up
                    http.send(req, HttpResponse.BodyHandlers.discarding());
                }
                int n = 1000;
                double[] ms = new double[n];
                long bytes = 0;
                for (int i = 0; i < n; i++) {
                    long a = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    ms[i] = (System.nanoTime() - a) / 1e6;
                    bytes = r.body().length;
                    if (r.statusCode() != 200) {
                        throw new AssertionError(path + ": " + r.statusCode());
                    }
                }
                say("GET %-45s p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d bytes)", path, percentile(ms, 50),
                        percentile(ms, 99), n, bytes);
            }
        } finally {
            server.stop(Duration.ZERO);
            store.close();
        }
    }

    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmRSS");
    }

    void residentMemory() throws Exception {
        int runs = 3;
        long idle = Long.getLong("eyes.figures.idle_seconds", 60);
        double[] off = new double[runs];
        double[] on = new double[runs];
        double[] watched = new double[runs];
        for (int i = 0; i < runs; i++) {
            for (int mode = 0; mode < 3; mode++) {
                int port = freePort();
                Path cfg = config(port, mode > 0);
                ProcessBuilder pb = new ProcessBuilder(java("dev.eyes.app.Main", "run", "--config", cfg.toString()));
                pb.redirectErrorStream(true).redirectOutput(dir.resolve("rss-" + i + "-" + mode + ".log").toFile());
                Process p = pb.start();
                SseClient feed = null;
                try {
                    Thread.sleep(3000);
                    if (mode == 2) {
                        // a person looking: the page, its assets, the list, the health, and the live feed kept open
                        WebClient c = new WebClient("127.0.0.1", port);
                        for (String path : List.of("/", "/assets/app.js", "/assets/alerts.js", "/assets/styles.css",
                                "/api/alerts", "/api/health", "/api/metrics/series")) {
                            c.get(path);
                        }
                        feed = new SseClient(port);
                    }
                    Thread.sleep(idle * 1000);
                    double mb = rssKb(p.pid()) / 1024.0;
                    (mode == 0 ? off : mode == 1 ? on : watched)[i] = mb;
                } finally {
                    if (feed != null) {
                        feed.close();
                    }
                    p.destroy();
                    p.waitFor();
                }
            }
        }
        say("RSS after %d s idle (eyes run: file source, metrics and disk sampling, mock backend), median of %d:",
                idle, runs);
        say("  web off                          %.1f MB  %s", median(off), Arrays.toString(off));
        say("  web on                           %.1f MB  %s", median(on), Arrays.toString(on));
        say("  web on, dashboard open (SSE)     %.1f MB  %s", median(watched), Arrays.toString(watched));
        say("  added by the dashboard: %.1f MB idle, %.1f MB with a browser watching", median(on) - median(off),
                median(watched) - median(off));
    }
}
