package dev.eyes.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeded fuzzing of every parser ({@link FuzzTargets}): each gets {@code --inputs-per-parser} inputs (default
 * 1,000,000) made by {@link Mutator} from its real captures and purely at random. An uncaught Throwable, a result
 * outside the parser's contract, records neither parsed nor counted as skipped, or one input taking more than a
 * second is a failure: it is reported with the seed and the input's index, and the input is saved under
 * {@code target/fuzz-failures/} so it can be replayed. Prints a Markdown table to stdout and exits 1 on any
 * failure (2 on bad arguments).
 *
 * <pre>
 * ParserFuzz [--inputs-per-parser N] [--seed S] [--only NAME[,NAME…]] [--index I] [--threads T]
 * ParserFuzz --replay FILE --only NAME
 * </pre>
 * {@code --index I} runs only the input with that index (as the full run made it) for each selected parser.
 * {@code --threads T} fuzzes T parsers at a time (default: 2, or 1 on a one-CPU machine); inputs/s is per parser.
 */
public final class ParserFuzz {
    static final Duration HANG_LIMIT = Duration.ofSeconds(1);
    /**
     * An input that keeps its thread busy for this long is a hang. It is CPU time, so a machine busy with other work
     * does not turn a slow moment into a failure; an input still unfinished after {@link #WALL_BACKSTOP} times the
     * limit in wall time (blocked, not computing) is a hang too.
     */
    static final long WALL_BACKSTOP = 10;

    /**
     * The CPU an input may take: the hang limit, and as much again per MiB of input — linear work on a 3 MiB
     * input (the mutator makes some) is not a hang, while anything superlinear still blows far past it.
     */
    static long budgetNanos(long hangNanos, byte[] input) {
        return hangNanos + (input == null ? 0 : hangNanos * input.length / (1 << 20));
    }
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    static final Path FAILURE_DIR = Path.of("target", "fuzz-failures");
    private static final int MAX_SAVED_PER_PARSER = 20;

    /** What went wrong with one input. */
    enum Kind {
        UNCAUGHT, CONTRACT, HANG
    }

    record Failure(String parser, long seed, long index, Kind kind, String detail, Path savedInput) {
    }

    /** One parser's run. {@code inputs} is how many ran (fewer than asked when it hung and was abandoned). */
    record Result(String parser, long inputs, long parsed, long skipped, long uncaught, long contract, long hangs,
                  double inputsPerSec, boolean abandoned, List<Failure> failures) {
        boolean ok() {
            return uncaught == 0 && contract == 0 && hangs == 0 && !abandoned;
        }
    }

    private ParserFuzz() {
    }

    public static void main(String[] args) {
        long inputs = 1_000_000;
        long seed = 20_260_524L;
        Long index = null;
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        List<String> only = List.of();
        Path replay = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--inputs-per-parser" -> inputs = Long.parseLong(need(a, v));
                    case "--seed" -> seed = Long.parseLong(need(a, v));
                    case "--index" -> index = Long.parseLong(need(a, v));
                    case "--threads" -> threads = Integer.parseInt(need(a, v));
                    case "--only" -> only = List.of(need(a, v).split(","));
                    case "--replay" -> replay = Path.of(need(a, v));
                    default -> throw new IllegalArgumentException("unknown argument " + a);
                }
                i++;
            }
            if (inputs < 0 || (index != null && index < 0)) {
                throw new IllegalArgumentException("counts must not be negative");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ParserFuzz: " + e.getMessage());
            System.err.println("usage: ParserFuzz [--inputs-per-parser N] [--seed S] [--only NAME[,NAME...]] "
                    + "[--index I] [--threads T] | --replay FILE --only NAME");
            System.exit(2);
            return;
        }
        List<FuzzTarget> targets = select(FuzzTargets.all(), only);
        if (targets.isEmpty()) {
            System.err.println("ParserFuzz: no parser named " + only);
            System.exit(2);
            return;
        }
        if (replay != null) {
            System.exit(replay(targets, replay, System.out));
            return;
        }
        long started = System.nanoTime();
        long from = index == null ? 0 : index;
        long to = index == null ? inputs : index + 1;
        final long s = seed;
        List<Result> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (FuzzTarget t : targets) {
                futures.add(pool.submit(() -> run(t, from, to, s, FAILURE_DIR, HANG_LIMIT, System.err)));
            }
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException | ExecutionException e) {
            System.err.println("ParserFuzz: stopped: " + e);
            System.exit(1);
            return;
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.print(report(results, seed, inputs, seconds));
        System.out.flush();
        System.exit(results.stream().allMatch(Result::ok) ? 0 : 1);
    }

    private static String need(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    static List<FuzzTarget> select(List<FuzzTarget> all, List<String> only) {
        return only.isEmpty() ? all : all.stream().filter(t -> only.contains(t.name())).toList();
    }

    /** The random generator of input {@code index} of {@code parser}: independent of every other input. */
    static SplittableRandom generator(long seed, String parser, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + parser.hashCode() * 0xC2B2AE3D27D4EB4FL + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    static Result run(FuzzTarget target, long inputs, long seed, Path failureDir, Duration hangLimit,
                      PrintStream progress) {
        return run(target, 0, inputs, seed, failureDir, hangLimit, progress);
    }

    /**
     * Runs inputs [{@code from}, {@code to}) of one parser on a worker thread watched by this one: an input still
     * running after {@code hangLimit} is reported as a hang, the worker is interrupted and abandoned, and the
     * parser's remaining inputs are not run.
     */
    static Result run(FuzzTarget target, long from, long to, long seed, Path failureDir, Duration hangLimit,
                      PrintStream progress) {
        Mutator mutator = new Mutator(target.corpus());
        Worker w = new Worker(target, mutator, from, to, seed, failureDir, hangLimit.toNanos());
        Thread thread = new Thread(w, "fuzz-" + target.name());
        thread.setDaemon(true);
        long started = System.nanoTime();
        long lastProgress = started;
        thread.start();
        boolean abandoned = false;
        try {
            while (thread.isAlive()) {
                thread.join(50);
                long now = System.nanoTime();
                long i = w.current;
                long since = w.startedNanos;
                long budget = budgetNanos(hangLimit.toNanos(), w.currentInput);
                long cpu = i >= 0 && now - since > budget
                        ? CPU.getThreadCpuTime(thread.threadId()) - w.startedCpu : 0;
                if (i >= 0 && w.current == i && (cpu > budget || now - since > WALL_BACKSTOP * budget)) {
                    w.hang(i, w.currentInput, thread.getStackTrace(), (now - since) / 1_000_000, cpu / 1_000_000);
                    thread.interrupt();
                    abandoned = true;
                    break;
                }
                if (progress != null && now - lastProgress > 15_000_000_000L) {
                    lastProgress = now;
                    progress.printf(Locale.ROOT, "fuzz %s: %,d of %,d inputs%n", target.name(), w.done.get(),
                            to - from);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            abandoned = true;
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        long done = w.done.get();
        Result r = new Result(target.name(), done, w.parsed.get(), w.skipped.get(), w.uncaught.get(),
                w.contract.get(), w.hangs.get(), done / seconds, abandoned, List.copyOf(w.failures));
        if (progress != null) {
            progress.printf(Locale.ROOT, "fuzz %s: %,d inputs in %.1f s (%.1f s CPU), %d failure(s)%s%n",
                    target.name(), done, seconds, w.cpuNanos / 1e9, r.uncaught() + r.contract() + r.hangs(),
                    abandoned ? ", abandoned after a hang" : "");
        }
        return r;
    }

    /** Runs the inputs and counts; the watching thread reads its volatile progress fields. */
    private static final class Worker implements Runnable {
        private final FuzzTarget target;
        private final Mutator mutator;
        private final long from;
        private final long to;
        private final long seed;
        private final Path failureDir;
        private final long hangNanos;
        final AtomicLong done = new AtomicLong();
        final AtomicLong parsed = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong uncaught = new AtomicLong();
        final AtomicLong contract = new AtomicLong();
        final AtomicLong hangs = new AtomicLong();
        final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        volatile long startedNanos;
        volatile long startedCpu;
        volatile byte[] currentInput;
        volatile long current = -1;
        volatile long cpuNanos;

        Worker(FuzzTarget target, Mutator mutator, long from, long to, long seed, Path failureDir, long hangNanos) {
            this.target = target;
            this.mutator = mutator;
            this.from = from;
            this.to = to;
            this.seed = seed;
            this.failureDir = failureDir;
            this.hangNanos = hangNanos;
        }

        @Override
        public void run() {
            try {
                loop();
            } finally {
                cpuNanos = CPU.getCurrentThreadCpuTime();
            }
        }

        private void loop() {
            for (long i = from; i < to && !Thread.currentThread().isInterrupted(); i++) {
                byte[] input = mutator.input(generator(seed, target.name(), i));
                currentInput = input;
                startedCpu = CPU.getCurrentThreadCpuTime();
                startedNanos = System.nanoTime();
                current = i;
                try {
                    FuzzTarget.Tally t = target.run(input);
                    if (t == null || t.parsed() < 0 || t.skipped() < 0) {
                        throw new FuzzTarget.ContractViolation("bad tally " + t);
                    }
                    parsed.addAndGet(t.parsed());
                    skipped.addAndGet(t.skipped());
                } catch (FuzzTarget.ContractViolation e) {
                    contract.incrementAndGet();
                    record(i, Kind.CONTRACT, e.getMessage(), input);
                } catch (Throwable e) {
                    if (current != i) {
                        return; // abandoned as hung; the watcher reported it
                    }
                    uncaught.incrementAndGet();
                    record(i, Kind.UNCAUGHT, describe(e), input);
                }
                long took = CPU.getCurrentThreadCpuTime() - startedCpu;
                long wall = System.nanoTime() - startedNanos;
                if (current != i) {
                    return;
                }
                current = -1;
                long budget = budgetNanos(hangNanos, input);
                if (took > budget || wall > WALL_BACKSTOP * budget) {
                    hangs.incrementAndGet();
                    record(i, Kind.HANG, "took " + took / 1_000_000 + " ms of CPU (" + wall / 1_000_000
                            + " ms; limit " + budget / 1_000_000 + " ms for " + input.length + " bytes)", input);
                }
                done.incrementAndGet();
            }
        }

        /** Called by the watcher for an input that is still running. */
        void hang(long i, byte[] input, StackTraceElement[] stack, long ms, long cpuMs) {
            current = -2;
            hangs.incrementAndGet();
            StringBuilder b = new StringBuilder("still running after " + cpuMs + " ms of CPU (" + ms + " ms), at");
            for (int k = 0; k < Math.min(8, stack.length); k++) {
                b.append(k == 0 ? " " : " < ").append(stack[k]);
            }
            record(i, Kind.HANG, b.toString(), input);
        }

        private void record(long i, Kind kind, String detail, byte[] input) {
            Path saved = null;
            if (failures.size() < MAX_SAVED_PER_PARSER) {
                saved = save(failureDir, target.name(), seed, i, input);
                failures.add(new Failure(target.name(), seed, i, kind, detail, saved));
            }
        }
    }

    private static String clip(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "…";
    }

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.toString());
        StackTraceElement[] st = e.getStackTrace();
        for (int k = 0; k < Math.min(6, st.length); k++) {
            b.append(k == 0 ? " at " : " < ").append(st[k]);
        }
        return b.toString();
    }

    private static Path save(Path dir, String parser, long seed, long index, byte[] input) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(parser + "-seed" + seed + "-input" + index + ".bin");
            Files.write(p, input == null ? new byte[0] : input);
            return p;
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs one saved input through the named parser and says what happened; 0 when it passes. */
    static int replay(List<FuzzTarget> targets, Path file, PrintStream out) {
        if (targets.size() != 1) {
            out.println("--replay needs exactly one parser: --only NAME");
            return 2;
        }
        byte[] input;
        try {
            input = Files.readAllBytes(file);
        } catch (IOException e) {
            out.println("cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        FuzzTarget t = targets.getFirst();
        long started = System.nanoTime();
        try {
            FuzzTarget.Tally tally = t.run(input);
            long ms = (System.nanoTime() - started) / 1_000_000;
            out.printf(Locale.ROOT, "%s: %d parsed, %d skipped, %d ms%n", t.name(), tally.parsed(), tally.skipped(),
                    ms);
            return ms > budgetNanos(HANG_LIMIT.toNanos(), input) / 1_000_000 ? 1 : 0;
        } catch (FuzzTarget.ContractViolation e) {
            out.println(t.name() + ": contract or accounting failure: " + e.getMessage());
        } catch (Throwable e) {
            out.println(t.name() + ": uncaught " + describe(e));
        }
        return 1;
    }

    /** The Markdown report: one table row per parser, then the failures with how to replay them. */
    static String report(List<Result> results, long seed, long inputsPerParser, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "### Parser fuzzing: seed %d, %,d inputs per parser, %.1f s%n%n", seed,
                inputsPerParser, seconds));
        b.append("| parser | inputs | parsed | skipped | uncaught exceptions | inputs/s | contract/accounting failures "
                + "| hangs (> 1 s + 1 s per MiB) |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        long in = 0;
        long parsed = 0;
        long skipped = 0;
        long uncaught = 0;
        long contract = 0;
        long hangs = 0;
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %d | %d%s |%n", r.parser(),
                    r.inputs(), r.parsed(), r.skipped(), r.uncaught(), r.inputsPerSec(), r.contract(), r.hangs(),
                    r.abandoned() ? " (abandoned)" : ""));
            in += r.inputs();
            parsed += r.parsed();
            skipped += r.skipped();
            uncaught += r.uncaught();
            contract += r.contract();
            hangs += r.hangs();
        }
        b.append(String.format(Locale.ROOT, "| **all** | %d | %d | %d | %d | %.0f | %d | %d |%n", in, parsed, skipped,
                uncaught, in / Math.max(1e-9, seconds), contract, hangs));
        boolean ok = results.stream().allMatch(Result::ok);
        b.append('\n').append(ok ? "Result: **pass** (0 uncaught exceptions, every record parsed or counted as "
                + "skipped, no input over its CPU budget)" : "Result: **FAIL**").append('\n');
        List<Failure> failures = results.stream().flatMap(r -> r.failures().stream()).toList();
        if (!failures.isEmpty()) {
            b.append("\n#### Failures (first ").append(MAX_SAVED_PER_PARSER).append(" per parser)\n\n");
            for (Failure f : failures) {
                b.append(String.format(Locale.ROOT, "- %s, seed %d, input %d, %s: %s%n  replay: `ParserFuzz "
                        + "--replay %s --only %s` or `ParserFuzz --seed %d --only %s --index %d`%n", f.parser(),
                        f.seed(), f.index(), f.kind().name().toLowerCase(Locale.ROOT),
                        clip(f.detail().replace('\n', ' ').replace('|', '/')),
                        f.savedInput(), f.parser(), f.seed(), f.parser(), f.index()));
            }
        }
        return b.toString();
    }
}
