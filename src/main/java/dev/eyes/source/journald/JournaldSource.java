package dev.eyes.source.journald;

import dev.eyes.event.Checkpoint;
import dev.eyes.source.EventSink;
import dev.eyes.source.LineReader;
import dev.eyes.source.ProcessSupervisor;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.Source;
import dev.eyes.source.SourceStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the system journal (or a journal directory) with
 * {@code journalctl -f -m -o json --all --output-fields=… -p <priority>}.
 *
 * <p>Resuming: every event carries the entry's {@code __CURSOR} as its checkpoint. When the journalctl child
 * dies it is restarted at the last entry <em>received</em> ({@code --cursor}, inclusive, that entry then dropped:
 * {@code --after-cursor} skips one entry too many when the cursor's entry does not match {@code -p}), so nothing
 * is lost or repeated; a line the dead child left half-written is dropped (its entry is read again, whole, by the
 * next run). {@code --no-tail} keeps {@code -f} from jumping to the last 10 entries. When Eyes itself
 * starts, it resumes after the cursor of the last entry the pipeline
 * <em>finished</em> (persisted by the store in small batches). On the very first start it begins at the
 * current end of the journal. {@code -m} (merge) keeps journalctl from limiting {@code -f} to the current
 * boot, so a cursor from before a reboot still resumes.
 */
public final class JournaldSource implements Source {
    public static final String ID = "journald";
    private static final Logger LOG = LoggerFactory.getLogger(JournaldSource.class);
    static final String OUTPUT_FIELDS = "MESSAGE,PRIORITY,SYSLOG_IDENTIFIER,_COMM,_PID,_SYSTEMD_UNIT,SYSLOG_FACILITY";

    private final String journalctl;
    private final String priority;
    private final String directory;
    private final String namespace;
    private final RestartPolicy policy;
    private final JournaldDecoder decoder = new JournaldDecoder();
    private final ProcessSupervisor supervisor;
    private volatile String lastCursor;
    /** The cursor the current journalctl run starts at (inclusive); its entry was already handed on. */
    private volatile String skipCursor;
    private volatile EventSink sink;
    private boolean firstStart;
    private String since;

    /**
     * @param savedCursor cursor of the last entry processed before Eyes last stopped, or null for a first start
     * @param directory   journal directory for {@code -D}, or null/"" for the system journal
     * @param namespace   journald namespace for {@code --namespace}, or null/"" for the default one
     */
    public JournaldSource(String journalctl, String priority, String directory, String namespace,
                          String savedCursor, RestartPolicy policy) {
        this.journalctl = journalctl;
        this.priority = priority;
        this.directory = directory == null || directory.isBlank() ? null : directory;
        this.namespace = namespace == null || namespace.isBlank() ? null : namespace;
        this.policy = policy;
        this.lastCursor = savedCursor;
        this.firstStart = savedCursor == null;
        this.supervisor = new ProcessSupervisor(ID, this::command, this::onLine, policy, LineReader.DEFAULT_MAX_LINE);
    }

    @Override
    public String name() {
        return ID;
    }

    public JournaldDecoder decoder() {
        return decoder;
    }

    @Override
    public dev.eyes.source.DecodeCounters decodeCounters() {
        return decoder.counters();
    }

    @Override
    public String parser() {
        return dev.eyes.source.LogFormat.JOURNALD_JSON.parserName();
    }

    /**
     * On a first start the journal's current end is found here, before this returns: an entry written once the
     * caller has seen the source start (and logged "following journald") is never taken for the past.
     */
    @Override
    public void start(EventSink sink) {
        this.sink = sink;
        if (firstStart && lastCursor == null) {
            firstStart = false;
            startAtTheEnd();
        }
        supervisor.start();
    }

    private void startAtTheEnd() {
        TailProbe probe = probeTail();
        if (!probe.readable()) {
            // cannot tell where the end is: begin at the time of the first start
            since = "@" + (System.currentTimeMillis() / 1000);
        }
        lastCursor = probe.cursor();
    }

    @Override
    public void stop() {
        supervisor.stop();
    }

    @Override
    public SourceStatus status() {
        return supervisor.status();
    }

    /** PID of the running journalctl, or -1 (tests kill it to prove nothing is lost). */
    public long childPid() {
        return supervisor.childPid();
    }

    /** The arguments for the next start; resumes after the last received cursor when there is one. */
    List<String> command() {
        try {
            // a line cut off when the previous journalctl died must not swallow the next run's first lines
            decoder.finish((event, cursor) -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> cmd = base();
        cmd.add("-f");
        cmd.add("-p");
        cmd.add(priority);
        String cursor = lastCursor;
        if (cursor == null && firstStart) {
            firstStart = false;
            startAtTheEnd();
            cursor = lastCursor;
        }
        // -f alone shows only the last 10 entries first, even after a cursor: --no-tail shows all of them
        cmd.add("--no-tail");
        skipCursor = cursor;
        if (cursor != null) {
            // --cursor (inclusive) and drop that entry ourselves: journalctl's --after-cursor skips one entry too
            // many when the cursor's own entry does not match the -p filter (systemd 252)
            cmd.add("--cursor=" + cursor);
        } else if (since != null) {
            cmd.add("--since=" + since);
        }
        // else: the journal was empty when we started, so everything in it is new
        return cmd;
    }

    private List<String> base() {
        return base("--output-fields=" + OUTPUT_FIELDS);
    }

    private List<String> base(String outputFields) {
        List<String> cmd = new ArrayList<>(List.of(journalctl, "-m", "-o", "json", "--all", outputFields,
                "--no-pager"));
        if (directory != null) {
            cmd.add("-D");
            cmd.add(directory);
        } else if (namespace != null) {
            cmd.add("--namespace=" + namespace);
        }
        return cmd;
    }

    /** Whether the journal could be read, and the cursor of its newest entry (null when it is empty). */
    private record TailProbe(boolean readable, String cursor) {
    }

    private TailProbe probeTail() {
        List<String> cmd = base("--output-fields=__CURSOR");
        cmd.addAll(List.of("-n", "1"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            p.getErrorStream().close();
            byte[] out = p.getInputStream().readNBytes(LineReader.DEFAULT_MAX_LINE);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new TailProbe(false, null);
            }
            String[] cursor = new String[1];
            JournaldDecoder probe = new JournaldDecoder();
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                probe.feedLine(b, 0, b.length, false, (e, c) -> cursor[0] = c);
            }
            return new TailProbe(p.exitValue() == 0, cursor[0]);
        } catch (IOException e) {
            LOG.debug("journald: probing the journal tail failed: {}", e.getMessage());
            return new TailProbe(false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TailProbe(false, null);
        }
    }

    private void onLine(byte[] buf, int len, boolean truncated, int consumed) throws InterruptedException {
        decoder.feedLine(buf, 0, len, truncated, (event, cursor) -> {
            if (cursor != null && cursor.equals(skipCursor)) {
                skipCursor = null;
                return;
            }
            if (cursor != null) {
                lastCursor = cursor;
            }
            sink.put(event, cursor == null ? null : new Checkpoint(ID, cursor));
        });
    }
}
