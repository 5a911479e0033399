package dev.eyes.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.EyesConfig;
import dev.eyes.source.DecodeCounters;
import dev.eyes.source.LogDecoder;
import dev.eyes.source.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of {@link ParserFuzz} (the full one, a million inputs per parser, runs from {@code bin/soak}):
 * every parser, a fixed seed, 0 uncaught exceptions, exact record accounting, no input over a second — and proof that
 * the harness catches a parser that throws, one that loses records and one that hangs.
 */
class ParserFuzzTest {
    private static final long SEED = 0xE1E5_2026L;
    private static final int INPUTS_PER_PARSER = 10_000;

    @TempDir
    Path dir;

    @Test
    void everyParserSurvivesTheShortRunWithExactAccounting() throws Exception {
        List<FuzzTarget> targets = FuzzTargets.all();
        assertThat(targets).extracting(FuzzTarget::name).contains("journald-json", "syslog", "oslog-json",
                "oslog-ndjson", "powermetrics-plist", "top", "vm_stat", "iostat", "proc-stat", "proc-meminfo",
                "proc-pressure", "proc-diskstats", "nvidia-smi-csv");
        List<ParserFuzz.Result> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ParserFuzz.Result>> futures = new ArrayList<>();
            for (FuzzTarget t : targets) {
                futures.add(pool.submit(() -> ParserFuzz.run(t, INPUTS_PER_PARSER, SEED, dir, ParserFuzz.HANG_LIMIT,
                        null)));
            }
            for (Future<ParserFuzz.Result> f : futures) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        String report = ParserFuzz.report(results, SEED, INPUTS_PER_PARSER, 0);
        assertThat(results).as(report).allSatisfy(r -> {
            assertThat(r.failures()).as(r.parser()).isEmpty();
            assertThat(r.uncaught()).isZero();
            assertThat(r.contract()).isZero();
            assertThat(r.hangs()).isZero();
            assertThat(r.inputs()).isEqualTo(INPUTS_PER_PARSER);
            assertThat(r.parsed()).as(r.parser() + " parsed some records").isPositive();
            if (!List.of("plain", "syslog").contains(r.parser())) { // every non-blank line of these is a message
                assertThat(r.skipped()).as(r.parser() + " skipped some records").isPositive();
            }
            assertThat(r.ok()).isTrue();
        });
        assertThat(report).contains("Result: **pass**").contains("| journald-json | 10000 |");
    }

    @Test
    void everyRealCaptureIsReadCleanly() throws Exception {
        for (FuzzTarget t : FuzzTargets.all()) {
            long parsed = 0;
            for (byte[] capture : t.corpus()) {
                FuzzTarget.Tally tally = t.run(capture);
                parsed += tally.parsed();
            }
            assertThat(parsed).as(t.name() + " reads its captures").isPositive();
        }
    }

    @Test
    void anInputIsReproducedFromTheSeedAndItsIndexAlone() {
        Mutator m = new Mutator(FuzzTargets.files("linux/journalctl"));
        byte[] a = m.input(ParserFuzz.generator(SEED, "journald-json", 12_345));
        m.input(ParserFuzz.generator(SEED, "journald-json", 1));
        byte[] b = m.input(ParserFuzz.generator(SEED, "journald-json", 12_345));
        assertThat(b).isEqualTo(a);
        assertThat(m.input(ParserFuzz.generator(SEED + 1, "journald-json", 12_345))).isNotEqualTo(a);
    }

    @Test
    void aParserThatThrowsIsCaughtWithSeedIndexAndTheSavedInput() throws Exception {
        List<byte[]> corpus = FuzzTargets.files("linux/crash-lines");
        FuzzTarget throwing = FuzzTargets.target("throws-on-some", corpus, input -> {
            if (input.length % 7 == 3) {
                throw new IllegalStateException("injected: length " + input.length);
            }
            return new FuzzTarget.Tally(1, 0);
        });
        ParserFuzz.Result r = ParserFuzz.run(throwing, 500, SEED, dir, ParserFuzz.HANG_LIMIT, null);

        Mutator m = new Mutator(corpus);
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 500; i++) {
            if (m.input(ParserFuzz.generator(SEED, "throws-on-some", i)).length % 7 == 3) {
                expected.add(i);
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(r.uncaught()).isEqualTo(expected.size());
        assertThat(r.parsed()).isEqualTo(500 - expected.size());
        assertThat(r.ok()).isFalse();
        ParserFuzz.Failure first = r.failures().getFirst();
        assertThat(first.kind()).isEqualTo(ParserFuzz.Kind.UNCAUGHT);
        assertThat(first.index()).isEqualTo(expected.getFirst());
        assertThat(first.seed()).isEqualTo(SEED);
        assertThat(first.detail()).contains("IllegalStateException: injected");
        assertThat(Files.readAllBytes(first.savedInput()))
                .isEqualTo(m.input(ParserFuzz.generator(SEED, "throws-on-some", first.index())));

        String report = ParserFuzz.report(List.of(r), SEED, 500, 1.0);
        assertThat(report).contains("Result: **FAIL**").contains("| throws-on-some | 500 |")
                .contains("seed " + SEED + ", input " + first.index() + ", uncaught");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int replay = ParserFuzz.replay(List.of(throwing), first.savedInput(), new PrintStream(out, true,
                StandardCharsets.UTF_8));
        assertThat(replay).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("uncaught").contains("injected");
    }

    @Test
    void aDecoderThatLosesRecordsFailsTheAccounting() {
        // a syslog decoder that silently drops every line mentioning "segfault": neither read nor skipped
        FuzzTarget lossy = FuzzTargets.log("lossy-syslog", () -> new Lossy(LogFormat.SYSLOG.newDecoder(
                EyesConfig.defaults().logging(), "f", () -> Instant.EPOCH)), FuzzTargets.files("linux/crash-lines"),
                null);
        ParserFuzz.Result r = ParserFuzz.run(lossy, 300, SEED, dir, ParserFuzz.HANG_LIMIT, null);
        assertThat(r.contract()).isPositive();
        assertThat(r.uncaught()).isZero();
        assertThat(r.failures().getFirst().detail()).contains("records in, but");
        assertThat(r.ok()).isFalse();

        // and a JSON decoder that drops its last object unfinished without counting it
        FuzzTarget unfinished = FuzzTargets.log("uncounted-journald", () -> new NoFinish(LogFormat.JOURNALD_JSON
                .newDecoder(EyesConfig.defaults().logging(), "f", () -> Instant.EPOCH)),
                FuzzTargets.files("linux/journalctl"), JsonUnits::journald);
        ParserFuzz.Result u = ParserFuzz.run(unfinished, 300, SEED, dir, ParserFuzz.HANG_LIMIT, null);
        assertThat(u.contract()).isPositive();
    }

    @Test
    void aParserThatHangsIsReportedAndAbandoned() {
        // the third input spins until interrupted (as a parser in an endless loop would, but stoppable)
        FuzzTarget spinning = new FuzzTarget() {
            private int calls;

            @Override
            public String name() {
                return "hangs-on-third";
            }

            @Override
            public List<byte[]> corpus() {
                return FuzzTargets.files("linux/proc-stat");
            }

            @Override
            public Tally run(byte[] input) {
                if (++calls == 3) {
                    long x = 0;
                    while (!Thread.currentThread().isInterrupted()) {
                        x++;
                    }
                    return new Tally(x, 0);
                }
                return new Tally(1, 0);
            }
        };
        long started = System.nanoTime();
        ParserFuzz.Result r = ParserFuzz.run(spinning, 100, SEED, dir, ParserFuzz.HANG_LIMIT, null);
        assertThat(System.nanoTime() - started).as("the watchdog stops waiting").isLessThan(30_000_000_000L);
        assertThat(r.hangs()).isEqualTo(1);
        assertThat(r.abandoned()).isTrue();
        assertThat(r.inputs()).isEqualTo(2);
        assertThat(r.ok()).isFalse();
        ParserFuzz.Failure f = r.failures().getFirst();
        assertThat(f.kind()).isEqualTo(ParserFuzz.Kind.HANG);
        assertThat(f.index()).isEqualTo(2);
        assertThat(f.detail()).contains("still running").contains("ParserFuzzTest");
        assertThat(ParserFuzz.report(List.of(r), SEED, 100, 1.0)).contains("1 (abandoned)").contains("FAIL");
    }

    @Test
    void aParserThatIsSlowButFinishesIsAHangToo() {
        // 300 ms of CPU against a 100 ms limit: caught either while running or when it returns
        ParserFuzz.Result r = ParserFuzz.run(FuzzTargets.target("slow", FuzzTargets.files("linux/proc-stat"),
                input -> {
                    var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
                    long end = cpu.getCurrentThreadCpuTime() + 300_000_000L;
                    while (cpu.getCurrentThreadCpuTime() < end) {
                        Thread.onSpinWait();
                    }
                    return new FuzzTarget.Tally(1, 0);
                }), 1, SEED, dir, java.time.Duration.ofMillis(100), null);
        assertThat(r.hangs()).isEqualTo(1);
        assertThat(r.failures().getFirst().detail()).containsAnyOf("took", "still running");
        assertThat(r.ok()).isFalse();
    }

    /** Drops lines that mention "segfault" without counting them. */
    private record Lossy(LogDecoder inner) implements LogDecoder {
        @Override
        public void feedLine(byte[] buf, int off, int len, boolean truncated, RecordHandler out)
                throws InterruptedException {
            if (!new String(buf, off, len, StandardCharsets.UTF_8).contains("segfault")) {
                inner.feedLine(buf, off, len, truncated, out);
            }
        }

        @Override
        public void finish(RecordHandler out) throws InterruptedException {
            inner.finish(out);
        }

        @Override
        public DecodeCounters counters() {
            return inner.counters();
        }
    }

    /** Forgets to report an object left open at the end of input. */
    private record NoFinish(LogDecoder inner) implements LogDecoder {
        @Override
        public void feedLine(byte[] buf, int off, int len, boolean truncated, RecordHandler out)
                throws InterruptedException {
            inner.feedLine(buf, off, len, truncated, out);
        }

        @Override
        public void finish(RecordHandler out) {
        }

        @Override
        public DecodeCounters counters() {
            return inner.counters();
        }
    }
}
