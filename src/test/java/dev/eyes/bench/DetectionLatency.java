package dev.eyes.bench;

import dev.eyes.app.Observer;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.LogEvent;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.store.StoredCandidate;
import dev.eyes.testing.JournalWriter;
import dev.eyes.testing.TestJournald;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P4 detection latency: from just before an error entry is written to the journal until its candidate is committed
 * in SQLite by an in-process {@link Observer} following that journal through the real {@code journalctl -f}
 * child, the rules and the store writer. Both ends are {@code System.nanoTime()} in this JVM: the write is timed
 * just before the bytes go to journald (or journal-remote), the commit by a listener the store writer calls right
 * after the transaction commits — so the figure includes journald, journalctl, decoding, the queue, the rules and
 * the SQLite commit, and nothing of this harness except one callback.
 *
 * <p>Baseline, in the same run and for the same entries: a bare {@code journalctl -f -o json} with Eyes' own
 * arguments, timed when its line arrives here. Each trigger is a crash line ({@code segfault}) from its own
 * identifier, so no cooldown suppresses any of them; writes are spaced 5–25 ms apart (seeded), after 50 warm-up
 * triggers.
 *
 * <p>Paths: {@code journald} — a private systemd-journald namespace fed through its stdout stream (what
 * {@code systemd-cat} uses); {@code remote} — a journal file appended by {@code systemd-journal-remote} and read
 * with {@code journalctl -D}.
 *
 * <pre>DetectionLatency WORKDIR [TRIGGERS=1000] [RUNS=3] [PATHS=journald,remote]</pre>
 */
public final class DetectionLatency {
    static final int WARM_UP = 50;
    static final Pattern MARK = Pattern.compile("p4m(\\d+)x");

    /** Writes one error entry from one identifier; opened before the clock starts for that entry. */
    private interface JournalPath extends AutoCloseable {
        String name();

        String configLine();

        List<String> followArgs();

        /** Prepares the write (connects), returns the action that writes. */
        Write prepare(String identifier) throws IOException;

        @Override
        void close() throws IOException;
    }

    @FunctionalInterface
    private interface Write {
        void write(String message) throws IOException;
    }

    private static final class NamespacePath implements JournalPath {
        private final TestJournald journald;
        private final ArrayDeque<TestJournald.Stream> open = new ArrayDeque<>();

        NamespacePath() throws IOException, InterruptedException {
            journald = TestJournald.start();
        }

        @Override
        public String name() {
            return "journald namespace (stdout stream, as systemd-cat)";
        }

        @Override
        public String configLine() {
            return "journald_namespace = \"" + journald.namespace() + "\"";
        }

        @Override
        public List<String> followArgs() {
            return List.of("--namespace=" + journald.namespace());
        }

        @Override
        public Write prepare(String identifier) throws IOException {
            TestJournald.Stream s = journald.stream(identifier, 3);
            open.add(s);
            while (open.size() > 64) {
                open.poll().close();
            }
            return message -> s.write(3, message);
        }

        @Override
        public void close() throws IOException {
            for (TestJournald.Stream s : open) {
                s.close();
            }
            journald.close();
        }
    }

    private static final class RemotePath implements JournalPath {
        private final Path dir;
        private final JournalWriter writer;

        RemotePath(Path dir) throws IOException {
            this.dir = dir;
            this.writer = new JournalWriter(dir);
            writer.write(6, "p4-seed", 1, "journal file created");
        }

        @Override
        public String name() {
            return "journal file (systemd-journal-remote append, journalctl -D)";
        }

        @Override
        public String configLine() {
            return "journald_directory = \"" + dir + "\"";
        }

        @Override
        public List<String> followArgs() {
            return List.of("-D", dir.toString());
        }

        @Override
        public Write prepare(String identifier) {
            return message -> writer.write(3, identifier, 4242, message);
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    /** Latencies (ns) of one run: eyes commit, bare journalctl, and their per-entry difference. */
    record Run(long[] eyes, long[] bare, long[] diff) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int triggers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> paths = List.of((args.length > 3 ? args[3] : "journald,remote").split(","));
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "## P4 detection latency: journal write → candidate committed in SQLite%n%n");
        System.out.printf(Locale.ROOT, "%,d crash triggers per run (each from its own identifier, 5–25 ms apart, "
                + "after %d warm-up triggers), %d runs per path; figures in ms, median of the runs and their "
                + "spread (min–max). Baseline: a bare `journalctl -f -o json` with Eyes' arguments following the "
                + "same journal in the same run, timed when each entry's line reaches this JVM. "
                + "\"eyes − journalctl\" is the per-entry difference: decoding, queue, rules and the SQLite "
                + "commit. Goal: p99 ≤ 50 ms.%n%n", triggers, WARM_UP, runs);
        for (String p : paths) {
            List<Run> results = new ArrayList<>();
            String name;
            Path dir = Files.createTempDirectory(work, "p4-" + p);
            try (JournalPath path = p.equals("remote") ? new RemotePath(dir.resolve("journal"))
                    : new NamespacePath()) {
                name = path.name();
                for (int r = 0; r < runs; r++) {
                    results.add(run(path, dir.resolve("run" + r), triggers, r));
                    System.err.printf(Locale.ROOT, "p4 %s run %d: eyes p50 %.1f p99 %.1f ms, journalctl p50 %.1f "
                            + "p99 %.1f ms%n", p, r + 1, ms(pct(results.getLast().eyes(), 50)),
                            ms(pct(results.getLast().eyes(), 99)), ms(pct(results.getLast().bare(), 50)),
                            ms(pct(results.getLast().bare(), 99)));
                }
            }
            System.out.printf(Locale.ROOT, "### %s%n%n", name);
            System.out.println("| what | p50 | p90 | p99 | max |");
            System.out.println("|---|---|---|---|---|");
            row("bare `journalctl -f` (baseline)", results.stream().map(Run::bare).toList());
            row("**eyes: candidate committed**", results.stream().map(Run::eyes).toList());
            row("eyes − journalctl, per entry", results.stream().map(Run::diff).toList());
            System.out.println();
        }
    }

    private static void row(String label, List<long[]> runs) {
        StringBuilder b = new StringBuilder("| " + label + " |");
        for (double q : new double[] {50, 90, 99, 100}) {
            double[] v = runs.stream().mapToDouble(a -> ms(pct(a, q))).sorted().toArray();
            b.append(String.format(Locale.ROOT, " %.1f (%.1f–%.1f) |", v[v.length / 2], v[0], v[v.length - 1]));
        }
        System.out.println(b);
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Nearest-rank percentile of an unsorted array (q = 100 is the maximum). */
    static long pct(long[] xs, double q) {
        long[] s = xs.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(q / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    private static Run run(JournalPath path, Path dir, int triggers, int round) throws Exception {
        Files.createDirectories(dir);
        int total = WARM_UP + triggers;
        AtomicLongArray sent = new AtomicLongArray(total);
        AtomicLongArray committed = new AtomicLongArray(total);
        AtomicLongArray arrived = new AtomicLongArray(total);
        String tag = "p4r" + round + "n" + ProcessHandle.current().pid() % 1000;

        List<String> cmd = new ArrayList<>(List.of("journalctl", "-m", "-o", "json", "--all",
                "--output-fields=MESSAGE,PRIORITY,SYSLOG_IDENTIFIER,_COMM,_PID,_SYSTEMD_UNIT,SYSLOG_FACILITY",
                "--no-pager"));
        cmd.addAll(path.followArgs());
        cmd.addAll(List.of("-f", "-p", "err", "-n", "0"));
        Process follower = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread reader = Thread.ofPlatform().name("p4-baseline").start(() -> {
            try (BufferedReader r = follower.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    long now = System.nanoTime();
                    int i = mark(line);
                    if (i >= 0 && i < total) {
                        arrived.compareAndSet(i, 0, now);
                    }
                }
            } catch (IOException ignored) {
                // the follower was stopped
            }
        });

        String toml = """
                [logging]
                %s
                [metrics]
                enabled = false
                disk_enabled = false
                [web]
                enabled = false
                [ai]
                backend = "mock"
                [storage]
                database_path = "%s"
                """.formatted(path.configLine(), dir.resolve("eyes.db"));
        EyesConfig config = ConfigLoader.parse(toml, null, Map.of()).config();
        Observer o = new Observer(config, new Observer.Options(false), Platform.LINUX, RestartPolicy.DEFAULT);
        o.addStoredListener((StoredCandidate c) -> {
            long now = System.nanoTime();
            List<LogEvent> logs = c.trigger().logEvents();
            int i = logs.isEmpty() ? -1 : mark(logs.getLast().message());
            if (i >= 0 && i < total) {
                committed.compareAndSet(i, 0, now);
            }
        });
        o.start();
        Random random = new Random(42 + round);
        try {
            for (int i = 0; i < total; i++) {
                Write w = path.prepare(tag + "-" + i);
                String message = "p4m" + i + "x segfault at 0 ip 00007f3a9c2e1b20 sp 00007ffd5e8 error 4 in "
                        + "libbench.so";
                if (i == 0) {
                    // the first one waits until both followers are reading
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (committed.get(0) == 0 || arrived.get(0) == 0) {
                        if (System.nanoTime() > end) {
                            throw new IllegalStateException("no candidate or journalctl line within 30 s");
                        }
                        if (sent.get(0) == 0 || System.nanoTime() - sent.get(0) > TimeUnit.SECONDS.toNanos(2)) {
                            sent.set(0, System.nanoTime());
                            w.write(message);
                            w = path.prepare(tag + "-0-again" + System.nanoTime());
                        }
                        Thread.sleep(10);
                    }
                    continue;
                }
                sent.set(i, System.nanoTime());
                w.write(message);
                Thread.sleep(5 + random.nextInt(21));
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end && (missing(committed, total) > 0 || missing(arrived, total) > 0)) {
                Thread.sleep(20);
            }
            if (missing(committed, total) > 0 || missing(arrived, total) > 0) {
                throw new IllegalStateException(missing(committed, total) + " candidates and "
                        + missing(arrived, total) + " journalctl lines missing after 60 s");
            }
        } finally {
            o.stop(Duration.ofSeconds(5));
            follower.destroy();
            follower.waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
        }
        long[] eyes = new long[triggers];
        long[] bare = new long[triggers];
        long[] diff = new long[triggers];
        for (int k = 0; k < triggers; k++) {
            int i = WARM_UP + k;
            eyes[k] = committed.get(i) - sent.get(i);
            bare[k] = arrived.get(i) - sent.get(i);
            diff[k] = committed.get(i) - arrived.get(i);
        }
        return new Run(eyes, bare, diff);
    }

    private static int missing(AtomicLongArray xs, int total) {
        int n = 0;
        for (int i = 1; i < total; i++) {
            if (xs.get(i) == 0) {
                n++;
            }
        }
        return n;
    }

    private static int mark(String s) {
        Matcher m = MARK.matcher(s);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
