package dev.eyes.soak;

import dev.eyes.testing.Sql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One fault, start to end, against a real {@code eyes run}: warm up (two triggers analysed and delivered), hold one
 * webhook delivery and one analysis in flight, put the fault on the database, release the held work into it, write
 * error bursts that make new triggers and a steady trickle of other errors, then take the fault away and check that
 * everything produced meanwhile was written exactly once and the observer is healthy again.
 */
final class FaultScenario {
    private static final Pattern TRIGGER = Pattern.compile(" Observer: trigger: (\\S+) (\\S+) \\(");
    private static final String STORE_WARNING = "Recorder: store: write to ";

    /** How hard and how long. */
    record Settings(int faultBursts, Duration faultHold, int noisePerSecond, Duration settleLimit) {
    }

    /** The figures of one run. */
    record Figures(long detectMillis, long faultMillis, long retries, int backlogPeak, long eventsDuringFault,
                   int triggersDuringFault, long drainMillis, int storeWarnings, String reason,
                   String dashboardRead) {
    }

    record Check(String name, boolean ok, String detail) {
    }

    record Result(String title, Figures figures, List<Check> checks) {
        boolean ok() {
            return checks.stream().allMatch(Check::ok);
        }
    }

    private final FaultRig rig;
    private final Fault fault;
    private final Settings settings;
    private final List<Check> checks = new ArrayList<>();

    private FaultScenario(FaultRig rig, Fault fault, Settings settings) {
        this.rig = rig;
        this.fault = fault;
        this.settings = settings;
    }

    static Result run(FaultRig rig, Fault fault, Settings settings) throws Exception {
        return new FaultScenario(rig, fault, settings).run();
    }

    private void check(String name, boolean ok, String detail) {
        checks.add(new Check(name, ok, detail));
    }

    /** Polls until {@code done} holds or {@code limit} passes; returns whether it held. */
    private static boolean await(Duration limit, Probe done) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            if (done.test()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface Probe {
        boolean test() throws Exception;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private boolean deliveredFor(String source) throws Exception {
        return rig.count("SELECT COUNT(*) FROM alert_candidates c JOIN alerts a ON a.id = c.alert_id WHERE "
                + "c.trigger_source = '" + source + "' AND a.status = 'delivered'") == 1;
    }

    private void must(String what, Duration limit, Probe done) throws Exception {
        if (!await(limit, done)) {
            throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what
                    + "; Eyes' log:\n" + String.join("\n", rig.log(Math.max(0, rig.logSize() - 40))));
        }
    }

    private Result run() throws Exception {
        Duration settle = settings.settleLimit();
        // warm up: two sources fire, their analyses are stored and their alerts delivered
        rig.errors("warmup", 3, "connection to the cache");
        rig.errors("noise", 3, "heartbeat");
        must("the warm-up alerts delivered", settle, () -> deliveredFor("warmup") && deliveredFor("noise"));

        // held in flight when the fault comes: one webhook delivery, one analysis
        rig.hookGate.close();
        rig.errors("held-delivery", 3, "upload");
        must("a webhook delivery held", settle, () -> rig.hookGate.waiting() == 1);
        rig.modelGate.close();
        rig.errors("held-analysis", 3, "mount");
        must("an analysis held", settle, () -> rig.modelGate.waiting() == 1);

        JsonNode before = rig.health();
        long storedBefore = before.path("store").path("stored_triggers").asLong();
        long processedBefore = FaultRig.processed(before);
        int logMark = rig.logSize();

        // a steady trickle of errors from a source that already fired (cooling down): checkpoints keep being saved
        AtomicBoolean trickling = new AtomicBoolean(true);
        AtomicLong trickled = new AtomicLong();
        Thread trickle = Thread.ofVirtual().start(() -> {
            try (var s = rig.journald.stream("noise", 3)) {
                long pause = Math.max(1, 1000 / settings.noisePerSecond());
                while (trickling.get()) {
                    s.write(3, "noise: heartbeat " + trickled.incrementAndGet() + " failed");
                    Thread.sleep(pause);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        long faultStart = System.nanoTime();
        fault.begin();
        long faultHeld = System.nanoTime();
        JsonNode[] seen = new JsonNode[1];
        boolean detected = await(Duration.ofSeconds(30), () -> {
            seen[0] = rig.health();
            return !seen[0].path("store").path("writing").asBoolean(true);
        });
        long detectMillis = (System.nanoTime() - faultHeld) / 1_000_000;
        check("the failure shows in /api/health", detected, detected ? "after " + detectMillis + " ms"
                : "store.writing stayed true for 30 s");
        String reason = seen[0].path("store").path("last_error").asString("");
        JsonNode problem = null;
        for (JsonNode p : seen[0].path("problems")) {
            if (p.path("component").asString().equals("store")) {
                problem = p;
            }
        }
        check("health: status failing, a critical store problem naming the cause",
                detected && seen[0].path("status").asString().equals("failing") && problem != null
                        && problem.path("level").asString().equals("critical")
                        && problem.path("message").asString().contains(fault.symptom()),
                problem == null ? "no store problem; status " + seen[0].path("status").asString()
                        : seen[0].path("status").asString() + ": " + problem.path("message").asString());

        // what was held runs into the fault
        rig.modelGate.open();
        rig.hookGate.open();

        AtomicInteger backlogPeak = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (sampling.get()) {
                try {
                    backlogPeak.accumulateAndGet(rig.health().path("store").path("backlog").asInt(), Math::max);
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        });
        int burstLines = 0;
        long gap = settings.faultHold().toMillis() / settings.faultBursts();
        for (int k = 1; k <= settings.faultBursts(); k++) {
            rig.errors("fault-" + k, 3, "disk write");
            burstLines += 3;
            Thread.sleep(gap);
        }
        List<String> expected = new ArrayList<>();
        for (int k = 1; k <= settings.faultBursts(); k++) {
            expected.add("fault-" + k);
        }
        boolean fired = await(settle, () -> triggers(rig.log(logMark)).keySet().containsAll(
                expected.stream().map(s -> "ErrorFrequencyRule " + s).toList()));
        trickling.set(false);
        trickle.join();
        long written = burstLines + trickled.get();
        boolean kept = await(settle, () -> FaultRig.processed(rig.health()) >= processedBefore + written);
        // not a check: what the dashboard's alert list answers while the fault holds
        var list = rig.http.get("/api/alerts");
        String body = list.body().replaceAll("\\s+", " ");
        String dashboardRead = list.status() + (list.status() == 200 ? ""
                : " " + body.substring(0, Math.min(160, body.length())));
        JsonNode during = rig.health();
        long eventsDuring = FaultRig.processed(during) - processedBefore;
        sampling.set(false);
        sampler.join();
        boolean stillFailing = !during.path("store").path("writing").asBoolean(true);
        check("monitoring goes on: every burst fired its rule during the fault", fired,
                triggers(rig.log(logMark)).size() + " trigger(s) logged during the fault; the store "
                        + (stillFailing ? "was still failing" : "took a write meanwhile (SQLite reused space)"));
        check("monitoring goes on: every event written during the fault was processed", kept,
                eventsDuring + " of " + written + " processed");
        long retries = during.path("store").path("failed_writes").asLong();
        check("failed writes are retried", retries >= 1, retries + " failed write(s) so far (a locked write "
                + "waits busy_timeout, 5 s, before it fails)");
        int warnings = (int) rig.log(logMark).stream().filter(l -> l.contains(STORE_WARNING)).count();
        check("one clear warning in the log, not one per retry", warnings == 1,
                warnings + " warning(s) for " + retries + " failed writes: " + rig.log(logMark).stream()
                        .filter(l -> l.contains(STORE_WARNING)).findFirst().orElse("none"));

        // the fault goes away: the backlog is written
        long recovery = System.nanoTime();
        fault.end();
        long faultMillis = (System.nanoTime() - faultStart) / 1_000_000;
        long expectedStored = storedBefore + settings.faultBursts();
        boolean drained = await(settle, () -> {
            JsonNode s = rig.health().path("store");
            return s.path("writing").asBoolean() && s.path("backlog").asInt() == 0
                    && s.path("stored_triggers").asLong() >= expectedStored;
        });
        long drainMillis = millisSince(recovery);
        check("the backlog is written once the fault is gone", drained, drained ? "in " + drainMillis + " ms"
                : "not within " + settle.toSeconds() + " s: " + rig.health().path("store"));
        afterRecovery(logMark, expected);

        return new Result(fault.title(), new Figures(detectMillis, faultMillis, retries, backlogPeak.get(),
                eventsDuring, expected.size(), drainMillis, warnings, reason, dashboardRead), checks);
    }

    /** "rule source" → how many times Eyes logged that trigger. */
    private static Map<String, Integer> triggers(List<String> log) {
        Map<String, Integer> out = new HashMap<>();
        for (String l : log) {
            Matcher m = TRIGGER.matcher(l);
            if (m.find()) {
                out.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
            }
        }
        return out;
    }

    private void afterRecovery(int logMark, List<String> faultSources) throws Exception {
        Duration settle = settings.settleLimit();
        Map<String, Integer> logged = triggers(rig.log(0));
        Map<String, Integer> stored = new HashMap<>();
        for (Map<String, Object> r : rig.query("SELECT trigger_rule, trigger_source FROM alert_candidates")) {
            stored.merge(r.get("trigger_rule") + " " + r.get("trigger_source"), 1, Integer::sum);
        }
        check("every trigger is stored exactly once", logged.equals(stored)
                        && logged.values().stream().allMatch(n -> n == 1)
                        && faultSources.stream().allMatch(s -> stored.containsKey("ErrorFrequencyRule " + s)),
                logged.size() + " trigger(s) logged, " + stored.values().stream().mapToInt(i -> i).sum()
                        + " candidate(s) stored" + (logged.equals(stored) ? "" : ": logged " + logged + ", stored "
                        + stored));
        String integrity = Sql.integrityCheck(rig.db);
        check("PRAGMA integrity_check", integrity.equals("ok"), integrity);

        boolean analysed = await(settle, () -> rig.count("SELECT COUNT(*) FROM alert_candidates WHERE "
                + "analysis_status = 'pending' OR (analysis_status = 'failed' AND analysis_failure IS NULL)") == 0);
        List<Map<String, Object>> statuses = rig.query("SELECT analysis_status, COUNT(*) AS n FROM alert_candidates "
                + "GROUP BY analysis_status ORDER BY 1");
        check("analysis results written (or failed with a reason), none left pending", analysed,
                statuses.stream().map(r -> r.get("analysis_status") + " " + r.get("n")).toList().toString());
        Map<String, Object> held = rig.query("SELECT analysis_status, analysis_failure FROM alert_candidates WHERE "
                + "trigger_source = 'held-analysis'").getFirst();
        check("the analysis that finished during the fault is stored", "analyzed".equals(held.get("analysis_status")),
                held.get("analysis_status") + (held.get("analysis_failure") == null ? ""
                        : ": " + held.get("analysis_failure")));

        boolean alerted = await(settle, () -> rig.count("SELECT COUNT(*) FROM alert_candidates c LEFT JOIN alerts a "
                + "ON a.id = c.alert_id WHERE c.analysis_status = 'analyzed' AND (a.id IS NULL OR a.status NOT IN "
                + "('delivered', 'delivery_failed', 'suppressed', 'silenced', 'dropped'))") == 0);
        List<Map<String, Object>> alertStatuses = rig.query("SELECT status, COUNT(*) AS n FROM alerts GROUP BY status");
        check("every analysed candidate has its alert decided", alerted,
                alertStatuses.stream().map(r -> r.get("status") + " " + r.get("n")).toList().toString());
        List<Map<String, Object>> delivery = rig.query("SELECT a.status, d.status AS attempt FROM alert_candidates c "
                + "JOIN alerts a ON a.id = c.alert_id LEFT JOIN alert_deliveries d ON d.alert_id = a.id "
                + "WHERE c.trigger_source = 'held-delivery'");
        check("the delivery that finished during the fault is recorded", delivery.size() == 1
                        && "delivered".equals(delivery.getFirst().get("status"))
                        && "delivered".equals(delivery.getFirst().get("attempt")), delivery.toString());

        String cursor = rig.lastErrorCursor();
        boolean checkpointed = await(settle, () -> cursor != null && cursor.equals(checkpoint()));
        check("the journald checkpoint reaches the last entry", checkpointed,
                checkpointed ? "saved cursor = newest error entry" : "saved " + checkpoint() + ", newest " + cursor);

        boolean healthy = await(settle, () -> rig.health().path("status").asString().equals("ok"));
        JsonNode h = rig.health();
        check("health back to ok", healthy, h.path("status").asString() + " " + h.path("problems"));
        check("the log says writes succeed again", rig.log(logMark).stream()
                .anyMatch(l -> l.contains("store: writes succeed again")), "");

        rig.eyes.signal("TERM");
        int code = rig.eyes.awaitExit(Duration.ofSeconds(15));
        check("SIGTERM: exit 0", code == 0, "exit " + code);
        List<String> traces = rig.log(0).stream().filter(l -> l.startsWith("\tat ") || l.contains("Exception in"))
                .toList();
        check("no stack traces in the log", traces.isEmpty(), traces.stream().limit(3).toList().toString());
        String after = Sql.integrityCheck(rig.db);
        check("PRAGMA integrity_check after the stop", after.equals("ok"), after);
    }

    private String checkpoint() throws Exception {
        List<Map<String, Object>> rows = rig.query("SELECT position FROM source_checkpoints WHERE source_id = "
                + "'journald'");
        return rows.isEmpty() ? null : (String) rows.getFirst().get("position");
    }

    static <T> String describe(List<T> xs, Function<T, String> f) {
        return String.join(", ", xs.stream().map(f).toList());
    }
}
