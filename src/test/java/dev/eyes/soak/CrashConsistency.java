package dev.eyes.soak;

import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.Sql;
import dev.eyes.testing.TestJournald;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Soak R2, crash consistency: the real {@code eyes run} (a subprocess with its own configuration, database and the
 * hidden {@code --event-ledger}) follows a private journald namespace during an error storm — numbered entries
 * ({@code soak-000123}) plus bursts of seven errors from a fresh source each, every one of which becomes a
 * candidate — and is killed with SIGKILL {@code kills} times at seeded random moments (some while it is still
 * starting), then restarted. After every kill: {@code PRAGMA integrity_check} is ok, no foreign key dangles, and
 * every candidate committed before any earlier kill is still there. Each restarted run must resume at the entry
 * right after the cursor saved in the database, and read at most {@code storage.checkpoint_batch} entries again.
 * At the end every numbered entry has been processed at least once and no candidate was stored twice.
 *
 * <p>{@code java -cp <test classpath> dev.eyes.soak.CrashConsistency [kills] [seed]} prints a Markdown section and
 * exits 1 when a check failed. Needs root (it starts its own systemd-journald), like the tests.
 */
public final class CrashConsistency {
    static final String NUMBERED = "soak";
    static final int BURST_EVERY = 400;
    static final int BURST_SIZE = 7;
    static final double ENTRIES_PER_SECOND = 400;
    static final double STARTUP_KILL_SHARE = 0.2;

    /** What one run measured. */
    public record Result(long seed, int killsWanted, int kills, int killsDuringStartup, int batch, int written,
                         int bursts, int lost, List<Integer> lostSample, int maxAgain, List<Integer> againPerKill,
                         int resumeChecks, List<String> resumeFailures, int integrityChecks,
                         List<String> integrityFailures, int candidates, int burstsWithCandidate,
                         int candidatesLostAfterCommit, List<String> duplicateCandidates, int partialLedgerLines,
                         int finalExit, Duration startup, Duration total, String failure) {
        public boolean passed() {
            return failure == null && kills == killsWanted && lost == 0 && maxAgain <= batch
                    && resumeFailures.isEmpty() && integrityFailures.isEmpty() && candidatesLostAfterCommit == 0
                    && duplicateCandidates.isEmpty() && partialLedgerLines == 0 && finalExit == 0 && candidates > 0;
        }

        public String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("## R2 crash consistency: `eyes run` killed with SIGKILL during an error storm\n\n");
            b.append("The real `eyes run` (subprocess, own database, hidden `--event-ledger`) follows a private ")
                    .append("journald namespace while numbered errors and bursts are written; it is SIGKILLed at ")
                    .append("seeded random moments and restarted; the database is checked after every kill.\n\n");
            b.append("| figure | value |\n|---|---|\n");
            SourceKills.row(b, "seed", Long.toString(seed));
            SourceKills.row(b, "SIGKILLs of eyes", "%d of %d (%d while it was still starting)".formatted(kills,
                    killsWanted, killsDuringStartup));
            SourceKills.row(b, "eyes start-up to following the journal (last measured)", "%.2f s".formatted(
                    startup.toMillis() / 1000.0));
            SourceKills.row(b, "numbered entries written / bursts of %d".formatted(BURST_SIZE),
                    "%,d / %d".formatted(written, bursts));
            SourceKills.row(b, "`PRAGMA integrity_check` = ok (and no dangling foreign key)",
                    "%d of %d%s".formatted(integrityChecks - integrityFailures.size(), integrityChecks,
                            integrityFailures.isEmpty() ? "" : " — " + integrityFailures));
            SourceKills.row(b, "candidates committed before a kill and missing later", Integer.toString(
                    candidatesLostAfterCommit));
            SourceKills.row(b, "runs resuming at the entry after the saved cursor", "%d of %d%s".formatted(
                    resumeChecks - resumeFailures.size(), resumeChecks,
                    resumeFailures.isEmpty() ? "" : " — " + resumeFailures));
            SourceKills.row(b, "**lost** numbered entries", lost + (lostSample.isEmpty() ? "" : " (e.g. "
                    + lostSample + ")"));
            SourceKills.row(b, "entries read again per kill (max; limit checkpoint_batch = %d)".formatted(batch),
                    maxAgain + " (per kill: " + againPerKill + ")");
            SourceKills.row(b, "**candidates stored twice**", duplicateCandidates.size()
                    + (duplicateCandidates.isEmpty() ? "" : " " + duplicateCandidates));
            SourceKills.row(b, "candidates stored / bursts with a candidate", "%d / %d of %d".formatted(candidates,
                    burstsWithCandidate, bursts));
            SourceKills.row(b, "partial ledger lines", Integer.toString(partialLedgerLines));
            SourceKills.row(b, "final SIGTERM exit status", Integer.toString(finalExit));
            SourceKills.row(b, "whole run", "%.1f s".formatted(total.toMillis() / 1000.0));
            b.append('\n');
            b.append("A burst cut in two by a kill may yield no candidate: the restarted run's buffers are empty, so ")
                    .append("it sees fewer than the threshold (not a loss of stored data; shown for information).\n\n");
            b.append("**R2: ").append(passed() ? "pass" : "FAIL").append("**");
            if (failure != null) {
                b.append(" — ").append(failure);
            }
            b.append('\n');
            return b.toString();
        }
    }

    private CrashConsistency() {
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.currentTimeMillis();
        Path work = Files.createTempDirectory("eyes-soak-r2-");
        Result r;
        try {
            r = run(kills, seed, work);
        } finally {
            SourceKills.deleteTree(work);
        }
        System.out.print(r.markdown());
        System.out.flush();
        System.exit(r.passed() ? 0 : 1);
    }

    /** Runs R2 once; {@code work} holds the configuration, the database and the ledger. */
    public static Result run(int kills, long seed, Path work) throws Exception {
        long begin = System.nanoTime();
        Random rnd = new Random(seed);
        Path db = work.resolve("eyes.db");
        Path ledger = work.resolve("ledger.txt");
        try (TestJournald journald = TestJournald.start()) {
            Path cfg = work.resolve("config.toml");
            Files.writeString(cfg, """
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
                    """.formatted(journald.namespace(), db));
            EyesConfig config = ConfigLoader.load(cfg, Map.of()).config();
            int batch = config.storage().checkpointBatch();
            Duration cooldown = Duration.ofSeconds(config.triggers().cooldownSeconds());
            Storm storm = new Storm(journald);
            LedgerRuns runs = new LedgerRuns(ledger);
            List<String> integrityFailures = new ArrayList<>();
            List<String> resumeFailures = new ArrayList<>();
            Set<Long> committed = new HashSet<>();
            int[] missingAfterCommit = {0};
            int integrityChecks = 0;
            int resumeChecks = 0;
            int killed = 0;
            int duringStartup = 0;
            int finalExit = -1;
            long lastStartup = 0;
            String failure = null;
            List<Integer> againPerKill = new ArrayList<>();
            String cursorAtStart = null;
            long startedAt = System.nanoTime();
            EyesProcess eyes = start(cfg, ledger);
            try {
                awaitFollowing(eyes);
                // how long a start takes here, so a start-up kill lands inside one
                long startupNanos = System.nanoTime() - startedAt;
                storm.start();
                // the very first run starts at the end of the journal: only kill once it saved a position
                awaitCheckpoint(db, Duration.ofSeconds(60));
                for (int k = 0; k < kills; k++) {
                    // the second kill, and about a fifth of the later ones, land while Eyes is starting
                    boolean duringStart = k == 1 || k > 1 && rnd.nextDouble() < STARTUP_KILL_SHARE;
                    if (duringStart) {
                        sleepUntil(startedAt + (long) (startupNanos * (0.05 + 0.75 * rnd.nextDouble())));
                    } else {
                        awaitFollowing(eyes);
                        if (k > 0) {
                            startupNanos = System.nanoTime() - startedAt;
                        }
                        lastStartup = startupNanos;
                        Thread.sleep(200 + rnd.nextInt(3800));
                    }
                    boolean following = eyes.stderr().stream().anyMatch(l -> l.contains("following journald"));
                    List<ProcessHandle> children = ProcessHandle.of(eyes.pid())
                            .map(h -> h.descendants().toList()).orElse(List.of());
                    eyes.signal("KILL");
                    int code = eyes.awaitExit(Duration.ofSeconds(10));
                    children.forEach(ProcessHandle::destroyForcibly); // the orphaned journalctl
                    if (code != 137) {
                        throw new IllegalStateException("eyes exited with " + code + " instead of dying by SIGKILL");
                    }
                    killed++;
                    if (!following) {
                        duringStartup++;
                    }
                    integrityChecks++;
                    String integrity = integrity(db);
                    if (integrity != null) {
                        integrityFailures.add("kill " + (k + 1) + ": " + integrity);
                    }
                    Set<Long> now = candidateIds(db);
                    for (long id : committed) {
                        if (!now.contains(id)) {
                            missingAfterCommit[0]++;
                        }
                    }
                    committed.addAll(now);
                    List<Integer> run = runs.nextRun();
                    if (!run.isEmpty()) {
                        resumeChecks++;
                        String bad = checkResume(journald, cursorAtStart, run);
                        if (bad != null) {
                            resumeFailures.add("run " + runs.size() + ": " + bad);
                        }
                    }
                    if (runs.size() > 1) {
                        againPerKill.add(runs.again(runs.size() - 1));
                    }
                    cursorAtStart = checkpoint(db);
                    Thread.sleep(rnd.nextInt(1000)); // entries keep coming while Eyes is down
                    startedAt = System.nanoTime();
                    eyes = start(cfg, ledger);
                }
                awaitFollowing(eyes);
                Thread.sleep(2000);
                storm.stop();
                failure = storm.failure.get();
                // wait for the last run to catch up with everything written
                long lastSize = -1;
                long lastProgress = System.nanoTime();
                while (System.nanoTime() - lastProgress < Duration.ofSeconds(60).toNanos()) {
                    long size = Files.size(ledger);
                    if (size != lastSize) {
                        lastSize = size;
                        lastProgress = System.nanoTime();
                    }
                    if (runs.coversWithCurrent(storm.written.get())) {
                        break;
                    }
                    Thread.sleep(200);
                }
                eyes.signal("TERM");
                finalExit = eyes.awaitExit(Duration.ofSeconds(10));
                List<Integer> last = runs.nextRun();
                if (!last.isEmpty()) {
                    resumeChecks++;
                    String bad = checkResume(journald, cursorAtStart, last);
                    if (bad != null) {
                        resumeFailures.add("run " + runs.size() + ": " + bad);
                    }
                }
                againPerKill.add(runs.again(runs.size() - 1));
                integrityChecks++;
                String integrity = integrity(db);
                if (integrity != null) {
                    integrityFailures.add("end: " + integrity);
                }
                Set<Long> now = candidateIds(db);
                for (long id : committed) {
                    if (!now.contains(id)) {
                        missingAfterCommit[0]++;
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            } finally {
                storm.stop();
                eyes.close();
            }
            int written = storm.written.get();
            List<Integer> lostSample = new ArrayList<>();
            int lost = 0;
            Set<Integer> all = runs.all();
            for (int i = 0; i < written; i++) {
                if (!all.contains(i) && lost++ < 10) {
                    lostSample.add(i);
                }
            }
            CandidateIdentity c = CandidateIdentity.read(db, storm.bursts.get(), cooldown);
            return new Result(seed, kills, killed, duringStartup, batch, written, storm.bursts.get(), lost,
                    lostSample, againPerKill.stream().mapToInt(Integer::intValue).max().orElse(0), againPerKill,
                    resumeChecks, resumeFailures, integrityChecks, integrityFailures, c.total(),
                    c.burstsWithCandidate(), missingAfterCommit[0], c.duplicates(), runs.partialLines(), finalExit,
                    Duration.ofNanos(lastStartup), Duration.ofNanos(System.nanoTime() - begin), failure);
        }
    }

    static EyesProcess start(Path cfg, Path ledger) throws IOException {
        return EyesProcess.start(Map.of(), "run", "--config", cfg.toString(), "--event-ledger", ledger.toString());
    }

    /** Waits until eyes runs its long-lived {@code journalctl -f} (after the tail probe of a first start). */
    static void awaitFollowing(EyesProcess eyes) throws InterruptedException {
        eyes.awaitStderr(l -> l.contains("following journald"), Duration.ofSeconds(60));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            boolean following = ProcessHandle.of(eyes.pid()).map(h -> h.descendants().anyMatch(d ->
                    d.info().command().map(c -> c.endsWith("journalctl")).orElse(false)
                            && d.info().arguments().map(a -> List.of(a).contains("-f")).orElse(false)))
                    .orElse(false);
            if (following) {
                return;
            }
            if (!eyes.isAlive()) {
                throw new IllegalStateException("eyes exited while starting: " + eyes.stderr());
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("eyes did not start journalctl -f within 30 s");
    }

    static void awaitCheckpoint(Path db, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (checkpoint(db) != null) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no journald position was saved within " + limit);
    }

    static String checkpoint(Path db) throws Exception {
        if (!Files.exists(db)) {
            return null;
        }
        List<Map<String, Object>> rows = Sql.query(db,
                "SELECT position FROM source_checkpoints WHERE source_id = 'journald'");
        return rows.isEmpty() ? null : (String) rows.getFirst().get("position");
    }

    /** Null when the database is sound, else what is wrong. */
    static String integrity(Path db) throws Exception {
        String ok = Sql.integrityCheck(db);
        if (!"ok".equals(ok)) {
            return "integrity_check: " + ok;
        }
        List<Map<String, Object>> fk = Sql.query(db, "PRAGMA foreign_key_check");
        return fk.isEmpty() ? null : "foreign_key_check: " + fk.size() + " rows, e.g. " + fk.getFirst();
    }

    static Set<Long> candidateIds(Path db) throws Exception {
        Set<Long> ids = new HashSet<>();
        Sql.query(db, "SELECT id FROM alert_candidates").forEach(r -> ids.add(((Number) r.get("id")).longValue()));
        return ids;
    }

    /**
     * A run must start at the first numbered entry after the one at the cursor saved when it started. Null when
     * it did; the journal itself says which entry follows.
     */
    static String checkResume(TestJournald journald, String cursor, List<Integer> run)
            throws Exception {
        int first = run.getFirst();
        if (cursor == null) {
            // the very first run (started at the journal's end): it must begin with the first entry written
            return first == 0 ? null : "the first run began at entry " + first + ", not 0";
        }
        int next = numberedAfter(journald, cursor);
        if (next != first) {
            return "saved cursor is followed by entry " + next + " but the run began at " + first;
        }
        return null;
    }

    /**
     * The first numbered entry strictly after {@code cursor}, from journalctl itself ({@code --cursor}, inclusive,
     * and no match filter: {@code --after-cursor} with a filter the cursor's entry fails skips one entry too many);
     * -1 when there is none.
     */
    static int numberedAfter(TestJournald journald, String cursor) throws Exception {
        Process p = new ProcessBuilder("journalctl", "--namespace=" + journald.namespace(), "-o", "json",
                "--output-fields=MESSAGE,SYSLOG_IDENTIFIER", "--no-pager", "--cursor=" + cursor)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var r = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains("\"__CURSOR\":\"" + cursor + "\"")) {
                    continue;
                }
                java.util.regex.Matcher m = NUMBERED_MESSAGE.matcher(line);
                if (m.find()) {
                    return SourceKills.number(m.group(1));
                }
            }
            return -1;
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static final java.util.regex.Pattern NUMBERED_MESSAGE =
            java.util.regex.Pattern.compile("\"MESSAGE\":\"(soak-\\d+)\"");

    static long millis(long ms) {
        return ms * 1_000_000L;
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** The error storm: numbered entries at a steady pace, and every {@link #BURST_EVERY} a burst from a new source. */
    static final class Storm {
        final AtomicInteger written = new AtomicInteger();
        final AtomicInteger bursts = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        private final TestJournald journald;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        Storm(TestJournald journald) {
            this.journald = journald;
        }

        void start() {
            thread = Thread.ofPlatform().name("soak-storm").start(this::run);
        }

        private void run() {
            long t0 = System.nanoTime();
            try (TestJournald.Stream numbered = journald.stream(NUMBERED, 3)) {
                for (int i = 0; running.get(); i++) {
                    numbered.write(3, SourceKills.message(i));
                    written.set(i + 1);
                    if (i % BURST_EVERY == BURST_EVERY / 2) {
                        int k = bursts.get();
                        try (TestJournald.Stream burst = journald.stream(burstSource(k), 3)) {
                            for (int j = 0; j < BURST_SIZE; j++) {
                                burst.write(3, burstSource(k) + " worker " + j + " failed");
                            }
                        }
                        bursts.incrementAndGet();
                    }
                    sleepUntil(t0 + (long) ((i + 1) / ENTRIES_PER_SECOND * 1e9));
                }
            } catch (IOException e) {
                failure.set("writing to journald failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(Duration.ofSeconds(10));
            }
        }
    }

    static String burstSource(int k) {
        return "burst-" + k;
    }
}
