package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.EyesConfig;
import dev.eyes.json.JsonTrees;
import dev.eyes.pipeline.EventProcessor;
import dev.eyes.pipeline.RecentBuffers;
import dev.eyes.rule.Trigger;
import dev.eyes.rule.TriggerEngine;
import dev.eyes.source.DecodeCounters;
import dev.eyes.source.LineReader;
import dev.eyes.source.LogDecoder;
import dev.eyes.source.LogFormat;
import dev.eyes.analysis.MemoryRecords;
import dev.eyes.source.Platform;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.EventJson;
import dev.eyes.store.StoreException;
import dev.eyes.store.Timestamps;
import dev.eyes.store.Tx;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code eyes replay}: feeds recorded logs through the same decoders, buffers and rules as {@code eyes run}, in
 * event time (the records' own timestamps), as fast as it can, and prints one line per trigger. It touches a
 * database only when {@code --database} is given.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run recorded logs through the rules, in the records' own time, and print the triggers.")
final class ReplayCommand implements Callable<Integer> {
    static final String STORED_BY_REPLAY = "Recorded by eyes replay; use Analyze now to analyse it";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto, journald-json, syslog, plain, oslog-json or oslog-ndjson (default: auto, guessed per file).")
    String format;

    @Option(names = "--json", description = "One JSON object per trigger instead of a text line.")
    boolean json;

    @Option(names = "--database", paramLabel = "FILE", description = "Also store the triggers in this SQLite file.")
    Path database;

    @Option(names = "--analyze", description = "Send each trigger to the configured AI backend and print the insight"
            + " beside it (with --database, the assessment is stored too).")
    boolean analyze;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recorded log files.")
    List<Path> files;

    private PrintWriter out;
    private CandidateStore store;
    private long triggers;
    private OneShotAnalysis analysis;
    private MemoryRecords memory;
    private long analysed;
    private long analysisFailures;

    @Override
    public Integer call() throws Exception {
        Logging.configure(configOptions.verbose, Level.WARN);
        EyesConfig config = configOptions.load().config();
        LogFormat forced = null;
        if (!"auto".equalsIgnoreCase(format)) {
            try {
                forced = LogFormat.parse(format);
            } catch (IllegalArgumentException e) {
                throw new UserError("--format " + e.getMessage() + " or auto");
            }
        }
        out = spec.commandLine().getOut();
        RecentBuffers buffers = new RecentBuffers(config.buffer());
        TriggerEngine engine = new TriggerEngine(TriggerEngine.rulesFor(config), TriggerEngine.cooldownsFor(config),
                buffers, TriggerEngine.listener(this::onTrigger));
        if (database != null) {
            try {
                store = new CandidateStore(Database.open(database), new dev.eyes.store.Grouping(
                        java.time.Duration.ofHours(config.alerts().groupWindowHours())));
                engine.restoreCooldowns(store.loadCooldowns());
            } catch (StoreException e) {
                throw new UserError(e.getMessage());
            } catch (SQLException e) {
                throw new UserError("cannot read the database " + database + ": " + e.getMessage());
            }
        }
        if (analyze) {
            PrintWriter err = spec.commandLine().getErr();
            memory = new MemoryRecords();
            analysis = new OneShotAnalysis(config.ai(), Platform.detect(),
                    store != null ? new AssessmentStore(store.database()) : memory, msg -> {
                        if (configOptions.verbose) {
                            err.println("eyes: " + msg);
                            err.flush();
                        }
                    });
        }
        try {
            return run(config, forced, buffers, engine);
        } finally {
            if (analysis != null) {
                analysis.close();
            }
        }
    }

    private int run(EyesConfig config, LogFormat forced, RecentBuffers buffers, TriggerEngine engine)
            throws InterruptedException {
        EventProcessor processor = new EventProcessor(buffers, engine, null);
        long read = 0;
        long skipped = 0;
        boolean failed = false;
        long start = System.nanoTime();
        for (Path file : files) {
            try {
                DecodeCounters c = replay(file, forced, config, processor);
                read += c.read();
                skipped += c.skipped();
            } catch (IOException e) {
                spec.commandLine().getErr().println("eyes: cannot read " + file + ": " + describe(e));
                failed = true;
            }
        }
        out.flush();
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        spec.commandLine().getErr().printf(Locale.ROOT,
                "replay: %d records read, %d skipped as malformed, %d triggers (%.2f s, %.0f records/s)%s%n",
                read, skipped, triggers, secs, (read + skipped) / secs,
                analyze ? String.format(Locale.ROOT, "; %d analysed, %d analyses failed", analysed, analysisFailures)
                        : "");
        spec.commandLine().getErr().flush();
        return failed ? 1 : 0;
    }

    private DecodeCounters replay(Path file, LogFormat forced, EyesConfig config, EventProcessor processor)
            throws IOException, InterruptedException {
        if (Files.isDirectory(file)) {
            throw new IOException("it is a directory");
        }
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        LogFormat fmt = forced;
        if (fmt == null) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] head = in.readNBytes(4096);
                fmt = LogFormat.detect(head, head.length);
            }
        }
        LogDecoder decoder = fmt.newDecoder(config.logging(), file.getFileName().toString(), () -> modified);
        LogDecoder.RecordHandler handler = (event, position) -> processor.process(event, null, 0);
        try (InputStream in = Files.newInputStream(file)) {
            new LineReader(in, LineReader.DEFAULT_MAX_LINE)
                    .readAll((buf, len, truncated, consumed) -> decoder.feedLine(buf, 0, len, truncated, handler), true);
        }
        decoder.finish(handler);
        return decoder.counters();
    }

    private void onTrigger(Trigger t) {
        triggers++;
        long id = 0;
        if (store != null) {
            try (Connection c = store.database().connect()) {
                id = Tx.run(c, conn -> store.insert(conn, t, analyze ? AnalysisStatus.PENDING : AnalysisStatus.NOT_DONE,
                        analyze ? null : STORED_BY_REPLAY));
            } catch (SQLException | StoreException e) {
                throw new UserError("cannot store a trigger in " + database + ": " + e.getMessage());
            }
        }
        OneShotAnalysis.Outcome outcome = null;
        if (analysis != null) {
            if (store == null) {
                id = memory.add(t);
            }
            try {
                outcome = analysis.analyze(id, t);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted");
            }
            if (outcome.analyzed() != null) {
                analysed++;
            } else {
                analysisFailures++;
            }
        }
        if (json) {
            ObjectNode n = JsonTrees.object();
            n.put("time", Timestamps.format(t.timestamp()));
            n.put("rule", t.rule());
            n.put("source", t.source());
            n.put("severity", t.expectedSeverity().wireName());
            n.put("reason", t.reason());
            n.put("log_event_count", t.logEvents().size());
            ArrayNode logs = n.putArray("log_events");
            t.logEvents().forEach(e -> logs.add(EventJson.log(e)));
            n.put("metrics_event_count", t.metricsEvents().size());
            n.put("disk_event_count", t.diskEvents().size());
            if (outcome != null) {
                if (outcome.analyzed() != null) {
                    n.set("analysis", InsightText.json(outcome.analyzed().insight(), outcome.analyzed().metadata()));
                } else {
                    n.put("analysis_error", outcome.failure());
                }
            }
            out.println(n);
        } else {
            out.printf(Locale.ROOT, "%s %-8s %s %s: %s [%d log events]%n", Timestamps.format(t.timestamp()),
                    t.expectedSeverity().wireName(), t.rule(), t.source() == null ? "system-wide" : t.source(),
                    t.reason(), t.logEvents().size());
            if (outcome != null) {
                if (outcome.analyzed() != null) {
                    out.print(InsightText.text(outcome.analyzed().insight(), outcome.analyzed().metadata(), "    "));
                } else {
                    out.println("    Analysis failed: " + outcome.failure());
                }
            }
        }
        out.flush();
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
