package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.EyesConfig;
import dev.eyes.source.Platform;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.Database;
import dev.eyes.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code eyes analyze ID}: analyses one stored candidate now, with the configured backend, and prints the insight.
 * A {@code failed} or {@code not_done} candidate is moved back to {@code pending} first (a manual retry); a
 * {@code pending} one is analysed as it is; an {@code analyzed} one is refused. The outcome is stored as
 * {@code eyes run} would store it. Exit 1, with the reason, when the analysis fails.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Analyse one stored alert candidate now and print the insight.")
final class AnalyzeCommand implements Callable<Integer> {
    static final String REASON = "manual analysis with eyes analyze";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--database", paramLabel = "FILE", description = "SQLite file (overrides storage.database_path).")
    Path database;

    @Option(names = "--json", description = "Print the insight as one JSON object.")
    boolean json;

    @Parameters(paramLabel = "ID", description = "The candidate's id (the dashboard's Signal number).")
    long id;

    @Override
    public Integer call() throws Exception {
        Logging.configure(configOptions.verbose, Level.WARN);
        EyesConfig config = configOptions.load().config();
        Path file = database != null ? database : config.storage().databasePath();
        if (!Files.isRegularFile(file)) {
            throw new UserError("there is no Eyes database at " + file.toAbsolutePath()
                    + " (use --database or storage.database_path)");
        }
        AssessmentStore store;
        try {
            store = new AssessmentStore(Database.open(file));
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AnalysisStatus status = store.status(id);
            if (status == AnalysisStatus.FAILED || status == AnalysisStatus.NOT_DONE) {
                store.retryCandidate(id, REASON);
            } else if (status != AnalysisStatus.PENDING) {
                store.retryCandidate(id, REASON); // throws the 404/409-style message
            }
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        } catch (SQLException e) {
            throw new UserError("cannot read the database " + file + ": " + e.getMessage());
        }
        OneShotAnalysis.Outcome outcome;
        try (OneShotAnalysis runner = new OneShotAnalysis(config.ai(), Platform.detect(), store, msg -> {
            err.println("eyes: " + msg);
            err.flush();
        })) {
            outcome = runner.analyze(id, null);
        }
        store.close();
        if (outcome.analyzed() == null) {
            throw new UserError("analysis of candidate " + id + " failed: " + outcome.failure());
        }
        var a = outcome.analyzed();
        if (json) {
            var n = InsightText.json(a.insight(), a.metadata());
            n.put("candidate_id", id);
            n.put("assessment_id", a.assessmentId());
            out.println(n);
        } else {
            out.println("Candidate " + id + ": " + a.trigger().rule() + " "
                    + (a.trigger().source() == null ? "system-wide" : a.trigger().source()) + " ("
                    + a.trigger().expectedSeverity().wireName() + ")");
            out.print(InsightText.text(a.insight(), a.metadata(), "  "));
        }
        out.flush();
        return 0;
    }
}
