package dev.eyes.source.oslog;

import dev.eyes.source.EventSink;
import dev.eyes.source.LineReader;
import dev.eyes.source.ProcessSupervisor;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.Source;
import dev.eyes.source.SourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the macOS unified log with {@code log stream --style ndjson --predicate <logging.predicate>}. macOS
 * versions whose {@code log} has no {@code ndjson} style refuse it at once; after a run that ended within a few
 * seconds without a single line, the source switches to {@code --style json} (a streamed array, framed by the same
 * decoder) for good. {@code log stream} starts at "now", so there is no resume position: what was logged while
 * Eyes was stopped is not read.
 */
public final class OsLogSource implements Source {
    public static final String ID = "oslog";
    private static final Logger LOG = LoggerFactory.getLogger(OsLogSource.class);
    private static final Duration QUICK_EXIT = Duration.ofSeconds(5);

    private final String log;
    private final String predicate;
    private final ProcessSupervisor supervisor;
    private final OsLogDecoder decoder = new OsLogDecoder();
    private volatile EventSink sink;
    private volatile String style = "ndjson";
    private volatile boolean linesThisRun;
    private volatile Instant runStarted;

    public OsLogSource(String log, String predicate, RestartPolicy policy) {
        this.log = log;
        this.predicate = predicate;
        this.supervisor = new ProcessSupervisor(ID, this::command, this::onLine, policy, LineReader.DEFAULT_MAX_LINE);
    }

    @Override
    public String name() {
        return ID;
    }

    public OsLogDecoder decoder() {
        return decoder;
    }

    @Override
    public dev.eyes.source.DecodeCounters decodeCounters() {
        return decoder.counters();
    }

    @Override
    public String parser() {
        return dev.eyes.source.LogFormat.OSLOG_NDJSON.parserName();
    }

    /** The style in use: ndjson, or json after the fallback. */
    public String style() {
        return style;
    }

    List<String> command() {
        Instant started = runStarted;
        if (started != null && !linesThisRun && "ndjson".equals(style)
                && Duration.between(started, Instant.now()).compareTo(QUICK_EXIT) < 0) {
            style = "json";
            LOG.info("oslog: log stream refused --style ndjson; using --style json");
        }
        if (started != null) {
            try {
                decoder.finish((event, position) -> { }); // an object cut off by the previous run is dropped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runStarted = Instant.now();
        linesThisRun = false;
        return List.of(log, "stream", "--style", style, "--predicate", predicate);
    }

    @Override
    public void start(EventSink sink) {
        this.sink = sink;
        supervisor.start();
    }

    @Override
    public void stop() {
        supervisor.stop();
    }

    @Override
    public SourceStatus status() {
        return supervisor.status();
    }

    private void onLine(byte[] buf, int len, boolean truncated, int consumed) throws InterruptedException {
        linesThisRun = true;
        decoder.feedLine(buf, 0, len, truncated, (event, position) -> sink.put(event, null));
    }
}
