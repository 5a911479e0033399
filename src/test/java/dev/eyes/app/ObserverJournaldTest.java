package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.Sql;
import dev.eyes.testing.TestJournald;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eyes run} as a real process, following a real (namespaced) systemd-journald. */
class ObserverJournaldTest {
    static final Pattern PROCESSING = Pattern.compile("processing journald error numbered: entry (\\d+)$");

    @TempDir
    Path dir;

    Path config(TestJournald journald, String extra) throws Exception {
        Path c = dir.resolve("config.toml");
        Files.writeString(c, """
                [logging]
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
                %s
                """.formatted(journald.namespace(), dir.resolve("eyes.db"), extra));
        return c;
    }

    static void awaitCount(Path db, String sql, long atLeast, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        long n = -1;
        while (System.nanoTime() < end) {
            if (Files.exists(db)) {
                n = Sql.count(db, sql);
                if (n >= atLeast) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected at least " + atLeast + " from " + sql + ", got " + n);
    }

    @Test
    void aBurstOfSevenDistinctErrorsBecomesExactlyOneStoredCandidateAndSigtermExitsCleanly() throws Exception {
        try (TestJournald journald = TestJournald.start();
             EyesProcess eyes = EyesProcess.start(Map.of(), "run", "--config", config(journald, "").toString())) {
            eyes.awaitStderr(l -> l.contains("following journald"), Duration.ofSeconds(20));
            Thread.sleep(500);
            try (TestJournald.Stream app = journald.stream("burst-app", 3)) {
                for (int i = 1; i <= 7; i++) {
                    app.write(3, "database connection failed attempt " + i);
                }
            }
            Path db = dir.resolve("eyes.db");
            awaitCount(db, "SELECT COUNT(*) FROM alert_candidates", 1, Duration.ofSeconds(10));
            Thread.sleep(1000); // a second candidate would show up by now
            List<Map<String, Object>> rows = Sql.query(db, "SELECT * FROM alert_candidates");
            assertThat(rows).hasSize(1);
            Map<String, Object> c = rows.getFirst();
            assertThat(c.get("trigger_rule")).isEqualTo("ErrorFrequencyRule");
            assertThat(c.get("trigger_source")).isEqualTo("burst-app");
            assertThat(c.get("expected_severity")).isEqualTo("warning");
            assertThat(c.get("analysis_status")).isIn("pending", "analyzed"); // the mock backend answers at once
            assertThat(c.get("log_event_count")).isEqualTo(6);
            assertThat(Sql.query(db, "SELECT payload FROM alert_candidate_context_events WHERE event_kind = 'log'"
                    + " ORDER BY position")).extracting(r -> (String) r.get("payload"))
                    .hasSize(6).allSatisfy(p -> assertThat(p).contains("\"process\":\"burst-app\"")
                            .contains("database connection failed attempt"));
            assertThat(Sql.query(db, "SELECT to_status, reason FROM alert_candidate_transitions"
                    + " WHERE from_status IS NULL AND aspect = 'analysis'"))
                    .singleElement().satisfies(r -> {
                        assertThat(r.get("to_status")).isEqualTo("pending");
                        assertThat((String) r.get("reason")).startsWith("triggered: Rule 'ErrorFrequencyRule'");
                    });
            assertThat(Sql.count(db, "SELECT COUNT(*) FROM rule_cooldowns WHERE cooldown_key = 'ErrorFrequencyRule:burst-app'"))
                    .isEqualTo(1);

            long start = System.nanoTime();
            eyes.signal("TERM");
            int code = eyes.awaitExit(Duration.ofSeconds(5));
            assertThat(code).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(eyes.stderr()).anyMatch(l -> l.contains("SIGTERM received"));
            assertThat(eyes.stderr()).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
            assertThat(Sql.integrityCheck(db)).isEqualTo("ok");
            assertThat(Sql.count(db, "SELECT COUNT(*) FROM source_checkpoints WHERE source_id = 'journald'")).isEqualTo(1);
        }
    }

    /**
     * SIGKILL Eyes three times while numbered entries and error bursts are written, restarting it each time:
     * nothing written is lost, no run reads more than one checkpoint batch again, the database stays sound,
     * and no burst is stored as a candidate twice.
     */
    @Test
    void killNineAndRestartLosesNothingAndStoresNoCandidateTwice() throws Exception {
        int batch = 50;
        int total = 1500;
        TestJournald journald = TestJournald.start();
        Path cfg = config(journald, "checkpoint_batch = " + batch + "\ncheckpoint_interval_ms = 200\n");
        Path db = dir.resolve("eyes.db");
        Map<String, String> env = Map.of("EYES_LOG", "trace");
        List<List<Integer>> runs = new ArrayList<>();
        AtomicInteger written = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        EyesProcess eyes = EyesProcess.start(env, "run", "--config", cfg.toString());
        Thread writer = null;
        try {
            eyes.awaitStderr(l -> l.contains("following journald"), Duration.ofSeconds(20));
            Thread.sleep(500);
            writer = Thread.ofPlatform().start(() -> {
                try (TestJournald.Stream numbered = journald.stream("numbered", 3)) {
                    for (int i = 0; i < total; i++) {
                        numbered.write(3, "entry " + i);
                        written.incrementAndGet();
                        if (i % 100 == 50) {
                            try (TestJournald.Stream burst = journald.stream("burst-" + i, 3)) {
                                for (int k = 0; k < 7; k++) {
                                    burst.write(3, "worker " + k + " failed");
                                }
                            }
                        }
                        Thread.sleep(3);
                    }
                } catch (Exception e) {
                    failed.set(true);
                }
            });
            Random rnd = new Random(3);
            Set<Long> committedBeforeKills = new HashSet<>();
            for (int kill = 0; kill < 3; kill++) {
                int target = (kill + 1) * total / 4 + rnd.nextInt(100);
                while (written.get() < target) {
                    Thread.sleep(5);
                }
                eyes.signal("KILL");
                eyes.awaitExit(Duration.ofSeconds(5));
                runs.add(processed(eyes));
                assertThat(Sql.integrityCheck(db)).isEqualTo("ok");
                Sql.query(db, "SELECT id FROM alert_candidates").forEach(r ->
                        committedBeforeKills.add(((Number) r.get("id")).longValue()));
                Thread.sleep(200 + rnd.nextInt(500)); // entries keep coming while Eyes is down
                eyes = EyesProcess.start(env, "run", "--config", cfg.toString());
                eyes.awaitStderr(l -> l.contains("following journald"), Duration.ofSeconds(20));
            }
            writer.join();
            assertThat(failed).isFalse();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end && !seenAll(runs, processed(eyes), total)) {
                Thread.sleep(100);
            }
            eyes.signal("TERM");
            assertThat(eyes.awaitExit(Duration.ofSeconds(5))).isZero();
            runs.add(processed(eyes));

            // nothing lost
            Set<Integer> all = new HashSet<>();
            runs.forEach(all::addAll);
            for (int i = 0; i < total; i++) {
                assertThat(all).as("entry %d was never processed", i).contains(i);
            }
            // at most one checkpoint batch read again per restart
            Set<Integer> before = new HashSet<>(runs.getFirst());
            for (int r = 1; r < runs.size(); r++) {
                long again = runs.get(r).stream().filter(before::contains).count();
                assertThat(again).as("entries run %d read again", r + 1).isLessThanOrEqualTo(batch);
                before.addAll(runs.get(r));
            }
            // no candidate twice, every candidate committed before a kill still there
            List<Map<String, Object>> rows = Sql.query(db,
                    "SELECT trigger_source, COUNT(*) AS n FROM alert_candidates GROUP BY trigger_rule, trigger_source");
            assertThat(rows).isNotEmpty();
            assertThat(rows).allSatisfy(r -> assertThat(((Number) r.get("n")).intValue())
                    .as("candidates for %s", r.get("trigger_source")).isEqualTo(1));
            Set<Long> ids = new HashSet<>();
            Sql.query(db, "SELECT id FROM alert_candidates").forEach(r -> ids.add(((Number) r.get("id")).longValue()));
            assertThat(ids).containsAll(committedBeforeKills);
            assertThat(Sql.integrityCheck(db)).isEqualTo("ok");
        } finally {
            eyes.close();
            if (writer != null) {
                writer.join(10_000);
            }
            journald.close();
        }
    }

    private static boolean seenAll(List<List<Integer>> runs, List<Integer> current, int total) {
        Set<Integer> all = new HashSet<>(current);
        runs.forEach(all::addAll);
        return all.size() >= total;
    }

    /** The numbered entries a run processed, in order, from its trace log. */
    private static List<Integer> processed(EyesProcess eyes) {
        List<Integer> out = new ArrayList<>();
        for (String line : eyes.stderr()) {
            Matcher m = PROCESSING.matcher(line);
            if (m.find()) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }
}
