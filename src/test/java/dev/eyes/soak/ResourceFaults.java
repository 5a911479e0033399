package dev.eyes.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * R7, resource faults: the database on a full filesystem (a small tmpfs, filled by a filler file) and a locked
 * database (Debian's {@code sqlite3} shell holding {@code BEGIN EXCLUSIVE}), each against a real {@code eyes run}
 * following a real journald. Prints a Markdown section with the figures and every check to stdout; exits 1 when a
 * check failed, 2 when the run itself could not be set up. Needs root (mount, journald) and {@code sqlite3}.
 *
 * <pre>
 * java -cp CLASSPATH dev.eyes.soak.ResourceFaults [--quick] [--hold SECONDS] [--bursts N]
 * </pre>
 * The default (full) version holds each fault 90 s — past the 60 s the dashboard's and alert stage's lock retries
 * give up — with 20 trigger bursts; {@code --quick} is the version the test suite runs.
 */
public final class ResourceFaults {
    static final long TMPFS_BYTES = 16L << 20;

    /** What to run. */
    record Plan(FaultScenario.Settings settings, boolean fullDisk, boolean lock) {
        static Plan full() {
            return new Plan(new FaultScenario.Settings(20, Duration.ofSeconds(90), 20, Duration.ofSeconds(60)),
                    true, true);
        }

        static Plan quick() {
            return new Plan(new FaultScenario.Settings(3, Duration.ofSeconds(4), 20, Duration.ofSeconds(30)),
                    true, true);
        }
    }

    private ResourceFaults() {
    }

    public static void main(String[] args) {
        Plan plan;
        try {
            plan = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ResourceFaults: " + e.getMessage());
            System.err.println("usage: ResourceFaults [--quick] [--hold SECONDS] [--bursts N] [--only disk|lock]");
            System.exit(2);
            return;
        }
        List<FaultScenario.Result> results;
        try {
            results = run(plan);
        } catch (Exception | AssertionError e) {
            System.out.println("## R7 Resource faults — FAIL\n\nThe run could not be carried out: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(2);
            return;
        }
        print(results, plan, System.out);
        System.exit(results.stream().allMatch(FaultScenario.Result::ok) ? 0 : 1);
    }

    static Plan parse(String[] args) {
        Plan plan = Plan.full();
        FaultScenario.Settings s = plan.settings();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> s = Plan.quick().settings();
                case "--hold" -> s = new FaultScenario.Settings(s.faultBursts(),
                        Duration.ofSeconds(Long.parseLong(value(args, ++i))), s.noisePerSecond(), s.settleLimit());
                case "--bursts" -> s = new FaultScenario.Settings(Integer.parseInt(value(args, ++i)),
                        s.faultHold(), s.noisePerSecond(), s.settleLimit());
                case "--only" -> {
                    String which = value(args, ++i);
                    if (!which.equals("disk") && !which.equals("lock")) {
                        throw new IllegalArgumentException("--only takes disk or lock");
                    }
                    plan = new Plan(s, which.equals("disk"), which.equals("lock"));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            plan = new Plan(s, plan.fullDisk(), plan.lock());
        }
        if (s.faultBursts() < 1 || s.faultHold().isNegative() || s.faultHold().isZero()) {
            throw new IllegalArgumentException("--bursts and --hold must be positive");
        }
        return plan;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Runs the planned faults, each against its own fresh Eyes, tmpfs and journald. */
    static List<FaultScenario.Result> run(Plan plan) throws Exception {
        List<FaultScenario.Result> out = new ArrayList<>();
        if (plan.fullDisk()) {
            try (FaultRig rig = FaultRig.start(TMPFS_BYTES); Fault f = new Fault.FullDisk(rig.mount)) {
                out.add(FaultScenario.run(rig, f, plan.settings()));
            }
        }
        if (plan.lock()) {
            try (FaultRig rig = FaultRig.start(TMPFS_BYTES); Fault f = new Fault.HeldLock(rig.db)) {
                out.add(FaultScenario.run(rig, f, plan.settings()));
            }
        }
        return out;
    }

    static void print(List<FaultScenario.Result> results, Plan plan, PrintStream out) {
        boolean ok = results.stream().allMatch(FaultScenario.Result::ok);
        FaultScenario.Settings s = plan.settings();
        out.println("## R7 Resource faults — " + (ok ? "PASS" : "FAIL"));
        out.println();
        out.printf(Locale.ROOT, "%s. `eyes run` (real process, dashboard on 127.0.0.1) follows a private journald; "
                        + "each fault is held %d s after it shows in `/api/health`, while %d sources each fire "
                        + "ErrorFrequencyRule and another source writes %d errors/s; one analysis and one webhook "
                        + "delivery are in flight when the fault comes. Database on a %d MiB tmpfs.%n%n",
                "Run ending " + Instant.now().toString().substring(0, 19) + "Z", s.faultHold().toSeconds(),
                s.faultBursts(), s.noisePerSecond(), TMPFS_BYTES >> 20);
        out.println("| fault | store error | time to detect | fault lasted | failed writes (retries) | backlog peak "
                + "| events processed during the fault | triggers during the fault | time to drain after recovery "
                + "| store warnings in the log |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (FaultScenario.Result r : results) {
            FaultScenario.Figures f = r.figures();
            out.printf(Locale.ROOT, "| %s | %s | %.2f s | %.1f s | %d | %d | %,d | %d | %.2f s | %d |%n", r.title(),
                    f.reason(), f.detectMillis() / 1000.0, f.faultMillis() / 1000.0, f.retries(), f.backlogPeak(),
                    f.eventsDuringFault(), f.triggersDuringFault(), f.drainMillis() / 1000.0, f.storeWarnings());
        }
        for (FaultScenario.Result r : results) {
            out.println();
            out.println("### " + r.title() + " — " + (r.ok() ? "PASS" : "FAIL"));
            out.println();
            out.println("`GET /api/alerts` while the fault held: " + r.figures().dashboardRead().replace("|", "\\|"));
            out.println();
            for (FaultScenario.Check c : r.checks()) {
                out.println("- " + (c.ok() ? "[x] " : "[ ] **FAILED** ") + c.name()
                        + (c.detail().isBlank() ? "" : ": " + c.detail().replace("|", "\\|")));
            }
        }
    }
}
