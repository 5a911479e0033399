package dev.eyes.soak;

import dev.eyes.app.Observer;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.Source;
import dev.eyes.source.journald.JournaldSource;
import dev.eyes.testing.TestJournald;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Soak R1, source kills: while {@code entries} numbered journal entries ({@code soak-000123}) are written into a
 * private journald namespace, an in-process {@link Observer} follows it with its journald source, and the real
 * {@code journalctl} child is SIGKILLed {@code kills} times at seeded random moments. Every event the observer's
 * event loop processes is counted (its event tap, the hook behind {@code eyes run --event-ledger}); at the end
 * every number must have been processed exactly once: 0 lost, 0 duplicated.
 *
 * <p>{@code java -cp <test classpath> dev.eyes.soak.SourceKills [entries] [kills] [seed]} prints a Markdown section
 * and exits 1 when a check failed. Needs root (it starts its own systemd-journald), like the tests.
 */
public final class SourceKills {
    static final String IDENTIFIER = "soak";
    /** Restarts quickly, so a hundred kills do not cost minutes of waiting; the source code path is the same. */
    static final RestartPolicy POLICY = new RestartPolicy(Duration.ofMillis(20), Duration.ofMillis(500), 5,
            Duration.ofSeconds(2), Duration.ofSeconds(30));
    private static final Duration NO_PROGRESS_LIMIT = Duration.ofSeconds(60);

    /** What one run measured. */
    public record Result(int entries, int killsWanted, long seed, int kills, int killsInFlight, long restarts,
                         long inJournal, long processed, int lost, int duplicated, int unexpected,
                         List<Integer> lostSample, List<Integer> duplicatedSample, Duration writing, Duration total,
                         String failure) {
        public boolean passed() {
            return failure == null && lost == 0 && duplicated == 0 && unexpected == 0 && kills == killsWanted
                    && inJournal == entries;
        }

        public String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("## R1 source kills: journalctl SIGKILLed while numbered entries are written\n\n");
            b.append("An in-process observer follows a private journald namespace; its `journalctl` child is killed ")
                    .append("with SIGKILL at seeded random moments while the entries are written; every event the ")
                    .append("event loop processes is counted.\n\n");
            b.append("| figure | value |\n|---|---|\n");
            row(b, "seed", Long.toString(seed));
            row(b, "numbered entries written", "%,d".formatted(entries));
            row(b, "entries in the journal (journalctl -o cat)", "%,d".formatted(inJournal));
            row(b, "journalctl SIGKILLs", "%d of %d (%d while the writer was still writing)".formatted(kills, killsWanted,
                    killsInFlight));
            row(b, "journalctl restarts by the supervisor", Long.toString(restarts));
            row(b, "numbered events processed", "%,d".formatted(processed));
            row(b, "**lost** (never processed)", lost + sample(lostSample));
            row(b, "**duplicated** (processed more than once)", duplicated + sample(duplicatedSample));
            row(b, "unexpected events from the writer", Integer.toString(unexpected));
            row(b, "writing / whole run", "%.1f s / %.1f s".formatted(writing.toMillis() / 1000.0,
                    total.toMillis() / 1000.0));
            b.append('\n');
            b.append("**R1: ").append(passed() ? "pass" : "FAIL").append("**");
            if (failure != null) {
                b.append(" — ").append(failure);
            }
            b.append("\n");
            return b.toString();
        }

        private static String sample(List<Integer> numbers) {
            return numbers.isEmpty() ? "" : " (e.g. " + numbers + ")";
        }
    }

    static void row(StringBuilder b, String name, String value) {
        b.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private SourceKills() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.currentTimeMillis();
        Path work = Files.createTempDirectory("eyes-soak-r1-");
        Result r;
        try {
            r = run(entries, kills, seed, work);
        } finally {
            deleteTree(work);
        }
        System.out.print(r.markdown());
        System.out.flush();
        System.exit(r.passed() ? 0 : 1);
    }

    /** Runs R1 once; {@code work} holds the observer's configuration and database. */
    public static Result run(int entries, int kills, long seed, Path work) throws Exception {
        long begin = System.nanoTime();
        Random rnd = new Random(seed);
        AtomicIntegerArray seen = new AtomicIntegerArray(entries);
        AtomicLong processed = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        Consumer<Event> tap = e -> {
            if (e instanceof LogEvent l && IDENTIFIER.equals(l.process())) {
                int n = number(l.message());
                if (n >= 0 && n < entries) {
                    seen.incrementAndGet(n);
                    processed.incrementAndGet();
                } else {
                    unexpected.incrementAndGet();
                }
            }
        };
        try (TestJournald journald = TestJournald.start()) {
            Observer observer = new Observer(config(journald, work), new Observer.Options(false), Platform.LINUX,
                    POLICY);
            observer.setEventTap(tap);
            observer.start();
            Killer killer = null;
            long writeStart = System.nanoTime();
            long writeEnd = writeStart;
            String failure = null;
            JournaldSource source = null;
            try {
                source = journaldSource(observer);
                awaitChild(source, -1, Duration.ofSeconds(20));
                Thread.sleep(300); // let journalctl settle on the tail of the journal
                killer = new Killer(source, killTargets(rnd, entries, kills), rnd.nextLong());
                // spread the writing so the kills land while entries flow: ~0.4 s per kill, at least 5 s
                double seconds = Math.max(5.0, kills * 0.4);
                double perSecond = entries / seconds;
                writeStart = System.nanoTime();
                try (TestJournald.Stream w = journald.stream(IDENTIFIER, 3)) {
                    killer.start();
                    for (int i = 0; i < entries; i++) {
                        w.write(3, message(i));
                        killer.written.set(i + 1);
                        long due = writeStart + (long) ((i + 1) / perSecond * 1e9);
                        long ahead = due - System.nanoTime();
                        if (ahead > 1_000_000) {
                            Thread.sleep(ahead / 1_000_000);
                        }
                    }
                }
                writeEnd = System.nanoTime();
                killer.join(Duration.ofSeconds(60));
                failure = killer.failure.get();
                // wait until every number arrived, or nothing new came for a while
                long lastCount = -1;
                long lastProgress = System.nanoTime();
                while (distinct(seen) < entries && System.nanoTime() - lastProgress < NO_PROGRESS_LIMIT.toNanos()) {
                    long c = processed.get();
                    if (c != lastCount) {
                        lastCount = c;
                        lastProgress = System.nanoTime();
                    }
                    Thread.sleep(50);
                }
                Thread.sleep(1000); // a duplicate would arrive by now
            } finally {
                if (killer != null) {
                    killer.stop();
                }
                observer.stop(Duration.ofSeconds(5));
            }
            long inJournal = journald.messages(IDENTIFIER).stream().filter(m -> number(m) >= 0).count();
            List<Integer> lost = new ArrayList<>();
            List<Integer> dups = new ArrayList<>();
            int lostCount = 0;
            int dupCount = 0;
            for (int i = 0; i < entries; i++) {
                int n = seen.get(i);
                if (n == 0 && lostCount++ < 10) {
                    lost.add(i);
                } else if (n > 1 && dupCount++ < 10) {
                    dups.add(i);
                }
            }
            return new Result(entries, kills, seed, killer == null ? 0 : killer.kills.get(),
                    killer == null ? 0 : killer.inFlight.get(), source == null ? 0 : source.status().restarts(), inJournal, processed.get(), lostCount, dupCount,
                    (int) unexpected.get(), lost, dups, Duration.ofNanos(writeEnd - writeStart),
                    Duration.ofNanos(System.nanoTime() - begin), failure);
        }
    }

    static String message(int i) {
        return "soak-%06d".formatted(i);
    }

    /** The number in {@code soak-000123}, or -1. */
    static int number(String message) {
        if (!message.startsWith("soak-") || message.length() < 6) {
            return -1;
        }
        try {
            return Integer.parseInt(message, 5, message.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int distinct(AtomicIntegerArray seen) {
        int n = 0;
        for (int i = 0; i < seen.length(); i++) {
            if (seen.get(i) > 0) {
                n++;
            }
        }
        return n;
    }

    /** Sorted entry numbers after whose writing a kill is due: uniform over the middle 96 % of the run. */
    static int[] killTargets(Random rnd, int entries, int kills) {
        int lo = Math.max(1, entries / 50);
        int hi = Math.max(lo + 1, entries - entries / 50);
        return rnd.ints(kills, lo, hi).sorted().toArray();
    }

    static EyesConfig config(TestJournald journald, Path work) throws Exception {
        String toml = """
                [logging]
                sources = ["journald"]
                journald_namespace = "%s"
                [metrics]
                enabled = false
                disk_enabled = false
                [web]
                enabled = false
                [ai]
                backend = "mock"
                [storage]
                database_path = "%s"
                """.formatted(journald.namespace(), work.resolve("eyes.db"));
        return ConfigLoader.parse(toml, null, Map.of()).config();
    }

    static JournaldSource journaldSource(Observer observer) {
        for (Source s : observer.sources()) {
            if (s instanceof JournaldSource j) {
                return j;
            }
        }
        throw new IllegalStateException("the observer has no journald source: " + observer.sources());
    }

    /** Waits for a running journalctl other than {@code previous}; returns its PID. */
    static long awaitChild(JournaldSource source, long previous, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            long pid = source.childPid();
            if (pid > 0 && pid != previous) {
                return pid;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("journalctl was not (re)started within " + limit + "; source status "
                + source.status());
    }

    /** SIGKILLs the journalctl child once the writer has passed each target, after a random 0–30 ms more. */
    private static final class Killer {
        final AtomicLong written = new AtomicLong();
        final AtomicInteger kills = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        private final JournaldSource source;
        private final int[] targets;
        private final Random rnd;
        private volatile boolean stopped;
        private Thread thread;

        Killer(JournaldSource source, int[] targets, long seed) {
            this.source = source;
            this.targets = targets;
            this.rnd = new Random(seed);
        }

        void start() {
            thread = Thread.ofPlatform().name("soak-killer").start(this::run);
        }

        private void run() {
            long last = -1;
            try {
                for (int target : targets) {
                    while (written.get() < target && !stopped) {
                        Thread.sleep(1);
                    }
                    long pid = awaitChild(source, last, Duration.ofSeconds(30));
                    Thread.sleep(rnd.nextInt(31));
                    if (stopped) {
                        return;
                    }
                    ProcessHandle h = ProcessHandle.of(pid).orElse(null);
                    if (h == null || !h.info().command().map(c -> c.endsWith("journalctl")).orElse(false)) {
                        continue; // it ended by itself in the meantime; the next round waits for the new one
                    }
                    boolean writing = !writerDone;
                    if (h.destroyForcibly()) {
                        kills.incrementAndGet();
                        if (writing) {
                            inFlight.incrementAndGet();
                        }
                        last = pid;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e.getMessage());
            }
        }

        /** Set once the writer has written the last entry. */
        volatile boolean writerDone;

        void join(Duration limit) throws InterruptedException {
            writerDone = true;
            if (!thread.join(limit)) {
                failure.compareAndSet(null, "the killer did not finish within " + limit);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            if (thread != null) {
                thread.join(Duration.ofSeconds(5));
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
