package dev.eyes.testing;

import dev.eyes.analysis.AnalysisMetadata;
import dev.eyes.analysis.AnalyzedCandidate;
import dev.eyes.analysis.Insight;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.event.Severity;
import dev.eyes.rule.Trigger;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.Grouping;
import dev.eyes.store.Tx;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Stored, analysed candidates for alert tests: a real SQLite file, the real grouping hook, real assessments. */
public final class AlertFixtures {
    public final Database db;
    public final CandidateStore candidates;
    public final AssessmentStore assessments;

    public AlertFixtures(Path file) throws Exception {
        this(file, Grouping.DEFAULT_WINDOW);
    }

    public AlertFixtures(Path file, Duration groupWindow) throws Exception {
        db = Database.open(file);
        candidates = new CandidateStore(db, new Grouping(groupWindow));
        assessments = new AssessmentStore(db);
    }

    /** A trigger from {@code source} ({@code unit/process}) at {@code at}, with one log line {@code message}. */
    public static Trigger trigger(String rule, String source, Severity expected, Instant at, String message) {
        String unit = source == null ? "kernel" : source.contains("/") ? source.substring(0, source.indexOf('/'))
                : source;
        String process = source == null ? "kernel" : source.contains("/") ? source.substring(source.indexOf('/') + 1)
                : source;
        LogEvent log = new LogEvent(at, MessageType.ERROR, unit, "daemon", process, 42, message);
        return new Trigger(at, rule, source, expected, "Rule '" + rule + "' triggered for " + source + ": "
                + message, List.of(log), List.of(), List.of());
    }

    /** Records a candidate (grouped as {@code eyes run} would). */
    public long record(Trigger t) throws Exception {
        try (Connection c = db.connect()) {
            return Tx.run(c, conn -> candidates.insert(conn, t, AnalysisStatus.PENDING, null));
        }
    }

    public static Insight insight(String summary, Severity severity) {
        return new Insight(summary, "the upstream is down", List.of("Restart the upstream", "Check its logs"),
                List.of("12 refused connections"), "high", "medium", List.of(), severity);
    }

    /** Stores an assessment for candidate {@code id} and returns what the analyzer would hand over. */
    public AnalyzedCandidate analyze(long id, Insight insight) throws Exception {
        AnalysisMetadata meta = new AnalysisMetadata("mock", "mock", 5, 1, 0);
        long assessment = assessments.analyzed(id, insight, meta).orElseThrow();
        return new AnalyzedCandidate(id, assessment, candidates.load(id).trigger(), insight, meta);
    }

    /** Records and analyses a candidate in one go. */
    public AnalyzedCandidate analyzed(String rule, String source, Severity severity, Instant at, String message)
            throws Exception {
        long id = record(trigger(rule, source, severity, at, message));
        return analyze(id, insight(message, severity));
    }
}
