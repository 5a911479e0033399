package dev.eyes.bench;

import com.sun.net.httpserver.HttpServer;
import dev.eyes.testing.FakeLlmServer;
import dev.eyes.testing.Sql;
import dev.eyes.testing.TestJournald;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * P6 storm: error lines at a fixed rate for a while through the real ingest path of a real {@code eyes run}
 * subprocess (the launcher {@code bin/eyes}, its JVM flags), measuring peak RSS ({@code VmHWM}), the event queue's
 * depth (sampled and its high-water mark), drops by kind, and the candidates and notifications produced (a webhook
 * to an HTTP sink on 127.0.0.1; the AI backend is the built-in mock, which answers at once).
 *
 * <p>First it measures what journald itself can absorb here: one stdout stream written as fast as journald takes
 * it into a private namespace, followed by {@code journalctl -f -o json} with Eyes' arguments. When that is below
 * the storm rate the storm goes through a tailed syslog file (rsyslog's high-precision format), which can carry it.
 *
 * <p>The storm: {@code RATE} lines/s in 10 ms slices from 1,000 processes ("request N failed: upstream timed
 * out"), every 10,000th line a crash line from a process of its own turn. After the writer stops, the bench waits
 * until Eyes has read every line: log lines written minus log events accepted is the log drop count (must be 0).
 *
 * <pre>ErrorStorm WORKDIR EYES_LAUNCHER [SECONDS=60] [RATE=100000] [JOURNALD_PROBE_SECONDS=5] [STORAGE_TOML]</pre>
 * {@code STORAGE_TOML}: extra lines for {@code [storage]}, e.g. {@code checkpoint_batch = 50000}.
 */
public final class ErrorStorm {
    static final int PROCESSES = 1000;
    static final int CRASH_EVERY = 10_000;
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private static final AtomicLong HEALTH_TIMEOUTS = new AtomicLong();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One health/proc sample. */
    record Sample(double t, long accepted, int queueDepth, int maxQueueDepth, long rssKb, long hwmKb, long cpuTicks,
                  long stored, long droppedSamples) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path launcher = Path.of(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        int probeSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        String storage = args.length > 5 ? args[5] : "";
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "## P6 storm: %,d error lines/s for %d s%n%n", rate, seconds);
        if (probeSeconds > 0) {
            journaldProbe(probeSeconds, rate);
        }
        storm(work, launcher, seconds, rate, storage);
    }

    // ---- what journald can absorb -------------------------------------------------------------------------

    private static void journaldProbe(int seconds, int stormRate) throws Exception {
        try (TestJournald journald = TestJournald.start()) {
            List<String> cmd = List.of("journalctl", "--namespace=" + journald.namespace(), "-m", "-o", "json",
                    "--all", "--output-fields=MESSAGE,PRIORITY,SYSLOG_IDENTIFIER,_COMM,_PID,_SYSTEMD_UNIT,"
                            + "SYSLOG_FACILITY", "--no-pager", "-f", "-p", "err", "-n", "0");
            Process follower = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            AtomicLong received = new AtomicLong();
            AtomicLong endSeen = new AtomicLong();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader r = follower.inputReader(StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        received.incrementAndGet();
                        if (line.contains("p6-probe-end")) {
                            endSeen.set(System.nanoTime());
                        }
                    }
                } catch (IOException ignored) {
                    // stopped
                }
            });
            Thread.sleep(1000); // journalctl -f is following
            Path socket = Path.of("/run/systemd/journal." + journald.namespace(), "stdout");
            long written = 0;
            long t0 = System.nanoTime();
            long stop = t0 + TimeUnit.SECONDS.toNanos(seconds);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                send(ch, "probe-app\n\n3\n1\n0\n0\n0\n");
                StringBuilder b = new StringBuilder(1 << 16);
                while (System.nanoTime() < stop) {
                    b.setLength(0);
                    for (int i = 0; i < 500; i++) {
                        b.append("<3>request ").append(written++).append(" failed: upstream timed out\n");
                    }
                    send(ch, b.toString());
                }
                send(ch, "<3>p6-probe-end\n");
            }
            long writeEnd = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (endSeen.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            follower.destroy();
            follower.waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
            double writeRate = written / ((writeEnd - t0) / 1e9);
            System.out.printf(Locale.ROOT, "**What journald absorbs here** (one stdout stream into a private "
                    + "namespace, rate limiting off, written as fast as journald reads it, %d s): journald took "
                    + "%,.0f lines/s", seconds, writeRate);
            if (endSeen.get() != 0) {
                System.out.printf(Locale.ROOT, "; `journalctl -f -o json` (Eyes' arguments) delivered all %,d at "
                        + "%,.0f lines/s end to end.", written, written / ((endSeen.get() - t0) / 1e9));
            } else {
                System.out.printf(Locale.ROOT, "; `journalctl -f -o json` had delivered only %,d of %,d after 2 "
                        + "minutes.", received.get(), written);
            }
            double delivered = endSeen.get() == 0 ? 0 : written / ((endSeen.get() - t0) / 1e9);
            System.out.println(Math.min(writeRate, delivered) < stormRate
                    ? " That is below the storm rate, so the storm goes through a tailed syslog file."
                    : " The storm goes through a tailed syslog file all the same, like the other runs of P6.");
            System.out.println();
        }
    }

    private static void send(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // ---- the storm ------------------------------------------------------------------------------------------

    private static void storm(Path work, Path launcher, int seconds, int rate, String storage) throws Exception {
        Path dir = Files.createTempDirectory(work, "p6");
        Path log = dir.resolve("storm.log");
        Files.writeString(log, "");
        Path db = dir.resolve("eyes.db");
        AtomicLong hooks = new AtomicLong();
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        sink.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        sink.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            hooks.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        sink.start();
        int webPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            webPort = s.getLocalPort();
        }
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "syslog"
                [metrics]
                interval_seconds = 1
                [ai]
                backend = "mock"
                [storage]
                database_path = "%s"
                %s
                [web]
                bind_address = "127.0.0.1:%d"
                [[alerts.webhooks]]
                url = "http://127.0.0.1:%d/hook"
                format = "json"
                """.formatted(log, db, storage, webPort, sink.getAddress().getPort()));
        if (!storage.isBlank()) {
            System.out.println("With `[storage] " + storage.strip() + "`.");
            System.out.println();
        }
        Path stderr = dir.resolve("eyes.stderr");
        Process eyes = new ProcessBuilder(launcher.toString(), "run", "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(eyes::destroyForcibly)); // if this bench is stopped
        String health = "http://127.0.0.1:" + webPort + "/api/health";
        try {
            awaitHealthy(health, eyes, stderr);
            long eyesPid = javaPid(eyes);
            List<Sample> samples = new ArrayList<>();
            long t0 = System.nanoTime();
            AtomicLong written = new AtomicLong();
            long[] span = new long[2];
            Thread writer = Thread.ofPlatform().name("p6-writer").start(() -> write(log, rate, seconds, written,
                    span));
            // sample while the storm runs and until Eyes has read every line
            long lastAccepted = -1;
            long lastProgress = System.nanoTime();
            long writerEnd = 0;
            long caughtUp = 0;
            long deadline = Long.MAX_VALUE;
            while (true) {
                Thread.sleep(250);
                Sample s = sample(health, eyesPid, (System.nanoTime() - t0) / 1e9);
                samples.add(s);
                if (writerEnd == 0 && !writer.isAlive()) {
                    writerEnd = System.nanoTime();
                    deadline = writerEnd + TimeUnit.MINUTES.toNanos(20);
                }
                if (s.accepted() > lastAccepted) {
                    lastProgress = System.nanoTime();
                } else if (writerEnd != 0 && System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                    break; // no line read for 30 s: what is left is lost
                }
                lastAccepted = Math.max(lastAccepted, s.accepted());
                if (writerEnd != 0 && lastAccepted >= written.get()) {
                    caughtUp = System.nanoTime();
                    break;
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                if (!eyes.isAlive()) {
                    break;
                }
            }
            String exitedEarly = eyes.isAlive() ? null : "exited with status " + eyes.exitValue();
            JsonNode h = null;
            Sample last = samples.getLast();
            if (exitedEarly == null) {
                // let the writer store what the rules fired and the alert stage settle
                Thread.sleep(3000);
                try {
                    h = FakeLlmServer.JSON.readTree(getPatiently(health));
                    last = sample(health, eyesPid, (System.nanoTime() - t0) / 1e9);
                    samples.add(last);
                } catch (IOException e) {
                    // reported: the dashboard stopped answering
                }
            }
            eyes.destroy(); // SIGTERM
            boolean exited = exitedEarly != null || eyes.waitFor(15, TimeUnit.SECONDS);
            writer.join();
            report(samples, last, h, written.get(), span, rate, t0, caughtUp, hooks.get(), db, exited,
                    Files.size(log), exitedEarly, stderr);
        } finally {
            if (eyes.isAlive()) {
                eyes.descendants().forEach(ProcessHandle::destroyForcibly);
                eyes.destroyForcibly();
            }
            sink.stop(0);
            Files.deleteIfExists(log); // hundreds of MB
        }
    }

    /** Writes the storm; {@code span} gets the writer's own start and end (nanoTime). */
    private static void write(Path log, int rate, int seconds, AtomicLong written, long[] span) {
        String[] procs = new String[PROCESSES];
        for (int i = 0; i < PROCESSES; i++) {
            procs[i] = " stormhost svc" + i + "[" + (2000 + i) + "]: ";
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long t0 = System.nanoTime();
            span[0] = t0;
            long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
            long n = 0;
            StringBuilder b = new StringBuilder(1 << 20);
            long crashes = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                long due = (long) ((now - t0) / 1e9 * rate);
                if (due > n) {
                    String stamp = OffsetDateTime.now(ZoneOffset.UTC).format(STAMP);
                    b.setLength(0);
                    for (; n < due; n++) {
                        b.append(stamp);
                        if (n % CRASH_EVERY == CRASH_EVERY - 1) {
                            b.append(" stormhost crasher").append(crashes++ % PROCESSES).append("[77]: ")
                                    .append("segfault at 0 ip 00007f3a9c2e1b20 sp 00007ffd5e8 error 4 in libx.so\n");
                        } else {
                            b.append(procs[(int) (n % PROCESSES)]).append("request ").append(n)
                                    .append(" failed: upstream timed out\n");
                        }
                    }
                    ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    written.set(n);
                }
                Thread.sleep(10);
            }
            span[1] = System.nanoTime();
            written.set(n);
        } catch (IOException e) {
            throw new IllegalStateException("writing the storm failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long javaPid(Process launcher) {
        // bin/eyes execs java, so the launcher's pid is the JVM's; a wrapper would show up as a descendant
        return launcher.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .map(ProcessHandle::pid).findFirst().orElse(launcher.pid());
    }

    private static void awaitHealthy(String url, Process eyes, Path stderr) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // the launcher may build first
        while (System.nanoTime() < end) {
            if (!eyes.isAlive()) {
                throw new IllegalStateException("eyes exited at start:\n" + Files.readString(stderr));
            }
            try {
                JsonNode h = FakeLlmServer.JSON.readTree(get(url));
                if (h.path("pipeline").isObject()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("eyes did not answer " + url + " within 2 minutes");
    }

    /** Tries for half a minute (counting each slow answer). */
    private static String getPatiently(String url) throws IOException, InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return get(url);
            } catch (IOException e) {
                HEALTH_TIMEOUTS.incrementAndGet();
                if (i == 5) {
                    throw e;
                }
            }
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** /proc always; the health figures are -1 when /api/health did not answer within 5 s (counted). */
    private static Sample sample(String health, long pid, double t) throws Exception {
        JsonNode h;
        try {
            h = FakeLlmServer.JSON.readTree(get(health));
        } catch (IOException e) {
            HEALTH_TIMEOUTS.incrementAndGet();
            h = FakeLlmServer.JSON.readTree("{\"pipeline\":{\"accepted_events\":-1,\"queue_depth\":-1,"
                    + "\"max_queue_depth\":-1,\"dropped_samples\":-1},\"store\":{\"stored_triggers\":-1}}");
        }
        JsonNode p = h.path("pipeline");
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kb(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kb(line);
            }
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
        return new Sample(t, p.path("accepted_events").asLong(), p.path("queue_depth").asInt(),
                p.path("max_queue_depth").asInt(), rss, hwm, ticks, h.path("store").path("stored_triggers").asLong(),
                p.path("dropped_samples").asLong());
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** @param h the last /api/health answer, or null when it stopped answering (then the last sampled figures) */
    private static void report(List<Sample> samples, Sample last, JsonNode h, long written, long[] span, int rate,
                               long t0, long caughtUp, long hooks, Path db, boolean exited, long fileBytes,
                               String exitedEarly, Path stderr) throws Exception {
        Sample lastAnswered = samples.stream().filter(s -> s.accepted() >= 0).reduce((a, b) -> b).orElse(last);
        if (h == null) {
            h = FakeLlmServer.JSON.readTree("{\"pipeline\":{\"accepted_events\":" + lastAnswered.accepted()
                    + ",\"max_queue_depth\":" + lastAnswered.maxQueueDepth() + ",\"queue_capacity\":8192,"
                    + "\"dropped_samples\":" + lastAnswered.droppedSamples() + "}}");
        }
        boolean healthAnswered = h.has("alerts");
        List<String> fatal = Files.readAllLines(stderr).stream()
                .filter(l -> l.contains("OutOfMemoryError") || l.startsWith("Exception in thread")).limit(3).toList();
        double writeSeconds = (span[1] - span[0]) / 1e9;
        double writerEndT = (span[1] - t0) / 1e9;
        int maxSampledDepth = samples.stream().mapToInt(Sample::queueDepth).max().orElse(0);
        long maxRss = samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
        // Eyes' read rate while the writer ran: accepted events over the samples inside the storm
        List<Sample> answered = samples.stream().filter(s -> s.accepted() >= 0).toList();
        Sample first = samples.getFirst();
        Sample firstAnswered = answered.getFirst();
        Sample atEnd = answered.stream().filter(s -> s.t() <= writerEndT).reduce((a, b) -> b)
                .orElse(firstAnswered);
        double stormRate = (atEnd.accepted() - firstAnswered.accepted())
                / Math.max(1e-9, atEnd.t() - firstAnswered.t());
        double cpu = (last.cpuTicks() - first.cpuTicks()) / 100.0 / Math.max(1e-9, last.t() - first.t());
        long logDrops = written - h.path("pipeline").path("accepted_events").asLong();
        long candidates = Sql.count(db, "SELECT COUNT(*) FROM alert_candidates");
        List<String> byRule = new ArrayList<>();
        for (var row : Sql.query(db, "SELECT trigger_rule, COUNT(*) AS n FROM alert_candidates GROUP BY trigger_rule"
                + " ORDER BY n DESC")) {
            byRule.add(row.get("trigger_rule") + " " + row.get("n"));
        }
        List<String> byStatus = new ArrayList<>();
        for (var row : Sql.query(db, "SELECT status, COUNT(*) AS n FROM alerts GROUP BY status ORDER BY status")) {
            byStatus.add(row.get("status") + " " + row.get("n"));
        }
        JsonNode al = h.path("alerts");
        System.out.println("Through a tailed syslog file (`[[logging.files]]`, rsyslog high-precision lines) into "
                + "`bin/eyes run` as a subprocess (its own JVM flags: -Xmx192m, SerialGC), metrics sampled every "
                + "second, the mock AI backend, one JSON webhook to an HTTP sink on 127.0.0.1, default alert "
                + "settings (3 notifications per minute, queue of 100). Health and /proc sampled every 250 ms.");
        System.out.println();
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| lines written | %,d in %.1f s (%,.0f lines/s achieved; target %,d), "
                + "%,d MB |%n", written, writeSeconds, written / writeSeconds, rate, fileBytes >> 20);
        System.out.printf(Locale.ROOT, "| Eyes' read rate during the storm | %,.0f lines/s |%n", stormRate);
        System.out.printf(Locale.ROOT, "| Eyes had read every line | %s |%n", caughtUp == 0
                ? String.format(Locale.ROOT, "**no**: %,d lines unread when reading stopped (nothing read for 30 s, "
                + "or Eyes exited, or 20 minutes passed)", logDrops)
                : String.format(Locale.ROOT, "%.1f s after the writer stopped (the file held the backlog)",
                (caughtUp - span[1]) / 1e9));
        System.out.printf(Locale.ROOT, "| peak RSS (VmHWM) | %,d MB (largest sampled VmRSS %,d MB) |%n",
                last.hwmKb() >> 10, maxRss >> 10);
        System.out.printf(Locale.ROOT, "| CPU of the Eyes process | %.2f cores on average (of %d) |%n", cpu,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| event queue depth | high-water mark %,d of %,d; largest sampled %,d |%n",
                h.path("pipeline").path("max_queue_depth").asInt(), h.path("pipeline").path("queue_capacity").asInt(),
                maxSampledDepth);
        System.out.printf(Locale.ROOT, "| drops: log events | **%,d** (written − accepted by the event loop)%s |%n",
                Math.max(0, logDrops), caughtUp == 0 ? "; never read, see above" : "");
        System.out.printf(Locale.ROOT, "| drops: metric/disk samples | %,d (oldest sample dropped when the sample "
                + "queue is full; by design) |%n", h.path("pipeline").path("dropped_samples").asLong());
        if (healthAnswered) {
            System.out.printf(Locale.ROOT, "| drops: alerts | %,d (queue beyond the rate limit; by design) |%n",
                    al.path("dropped").asLong());
        }
        System.out.printf(Locale.ROOT, "| candidates stored | %,d (%s) |%n", candidates, String.join(", ", byRule));
        if (healthAnswered) {
            System.out.printf(Locale.ROOT, "| analyses | %,d done, %,d queued at the end |%n",
                    h.path("ai").path("analyzed").asLong(), h.path("ai").path("queued").asLong());
        }
        System.out.printf(Locale.ROOT, "| alerts by status | %s |%n", String.join(", ", byStatus));
        System.out.printf(Locale.ROOT, "| notifications received by the webhook sink | %,d |%n", hooks);
        System.out.printf(Locale.ROOT, "| `/api/health` answers slower than 5 s | %d of %d samples |%n",
                HEALTH_TIMEOUTS.get(), samples.size());
        if (!healthAnswered) {
            System.out.println("| `/api/health` at the end | **did not answer** (figures above: its last answer) |");
        }
        System.out.printf(Locale.ROOT, "| SIGTERM after the storm | %s |%n", exitedEarly != null
                ? "**Eyes had already " + exitedEarly + "**" : exited ? "exited" : "**did not exit within 15 s**");
        for (String f : fatal) {
            System.out.printf(Locale.ROOT, "| **fatal error in Eyes' log** | `%s` |%n", f.strip());
        }
        System.out.println();
    }
}
