package dev.eyes.app;

import dev.eyes.analysis.Analyzer;
import dev.eyes.analysis.InsightParser;
import dev.eyes.analysis.PromptBuilder;
import dev.eyes.analysis.Redactor;
import dev.eyes.analysis.Scheduler;
import dev.eyes.analysis.backend.MockBackend;
import dev.eyes.source.Platform;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.Tx;
import dev.eyes.testing.Await;
import dev.eyes.testing.Triggers;
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
 * Figures for the README, not assertions: per-analysis overhead without the backend (the ingest rate while the
 * backend hangs is {@code bin/bench P5}, {@link dev.eyes.bench.AnalysisIsolation}). Run with
 * {@code mvn -B test -Dtest=AnalysisFiguresTest -Deyes.figures=true}; the figures are printed to
 * {@code target/analysis-figures.txt}.
 */
@EnabledIfSystemProperty(named = "eyes.figures", matches = "true")
class AnalysisFiguresTest {
    static final int SOURCES = 1000;
    static final int EVENTS_PER_SOURCE = 50;

    @TempDir
    Path dir;

    private final List<String> report = new ArrayList<>();

    private void say(String fmt, Object... args) {
        String line = String.format(Locale.ROOT, fmt, args);
        report.add(line);
        System.out.println(line);
    }

    @Test
    void figures() throws Exception {
        say("Eyes analysis figures, %s, %d CPUs, Java %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        overhead();
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/analysis-figures.txt"), report);
    }

    /** Redaction + prompt + parse + sanitise + store of each analysis, the backend (the mock) excluded. */
    private void overhead() throws Exception {
        Database db = Database.open(dir.resolve("overhead.db"));
        AssessmentStore store = new AssessmentStore(db);
        CandidateStore candidates = new CandidateStore(db);
        Scheduler timers = Scheduler.system("figures-timer");
        Analyzer analyzer = new Analyzer(new Analyzer.Settings(1, Duration.ofSeconds(60), 1,
                dev.eyes.analysis.Backoff.of(60), 100), new MockBackend("mock", Duration.ZERO, "ok"),
                new Redactor(true, true), new PromptBuilder(Platform.LINUX), new InsightParser(1 << 20), store,
                timers, timers, a -> { });
        analyzer.start(false, false, false);
        int n = 3000;
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (int i = 0; i < n; i++) {
                ids.add(Tx.run(c, conn -> candidates.insert(conn, Triggers.errorBurst(12), AnalysisStatus.PENDING,
                        null)));
            }
        }
        ids.forEach(analyzer::submit);
        Await.until("all analysed", Duration.ofMinutes(5), analyzer::idle);
        long[] all = analyzer.overheadNanos();
        long[] steady = Arrays.copyOfRange(all, Math.min(500, all.length / 2), all.length); // after JIT warm-up
        Arrays.sort(steady);
        say("Per-analysis overhead without the backend (redact + prompt + parse + sanitise + store; 12-event "
                + "trigger, mock backend, %d analyses, first 500 excluded as warm-up): median %d µs, p90 %d µs, "
                + "p99 %d µs", all.length, steady[steady.length / 2] / 1000, steady[steady.length * 9 / 10] / 1000,
                steady[steady.length * 99 / 100] / 1000);
        analyzer.stop(Duration.ofSeconds(5));
        timers.shutdown();
    }
}
