package dev.eyes.app;

import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For testing only ({@code eyes run --event-ledger FILE}, hidden): appends one line per log event the event loop
 * processes, {@code process TAB message} (backslash, tab, CR and newline escaped as {@code \\ \t \r \n}), each with
 * a single unbuffered {@code write} — so the file says exactly what a run processed even when that run is killed
 * with SIGKILL. The line is written before the event reaches the rules and its checkpoint is advanced: an entry
 * whose position was saved is always in the ledger. The crash-consistency soak ({@code dev.eyes.soak.CrashConsistency})
 * reads it; nothing else should.
 */
final class EventLedger implements Consumer<Event>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLedger.class);

    private final Path file;
    private final FileOutputStream out;
    private boolean failed;

    private EventLedger(Path file, FileOutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Opens {@code file} for appending (creating it). */
    static EventLedger open(Path file) {
        try {
            return new EventLedger(file, new FileOutputStream(file.toFile(), true));
        } catch (IOException e) {
            throw new UserError("--event-ledger " + file + ": cannot open it for appending (" + e.getMessage() + ")");
        }
    }

    @Override
    public void accept(Event event) {
        if (!(event instanceof LogEvent e)) {
            return;
        }
        StringBuilder b = new StringBuilder(e.process().length() + e.message().length() + 2);
        escape(b, e.process());
        b.append('\t');
        escape(b, e.message());
        b.append('\n');
        try {
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException x) {
            if (!failed) {
                failed = true;
                LOG.error("event ledger {}: write failed ({}); entries from now on are missing", file, x.getMessage());
            }
        }
    }

    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
    }

    /** {@code first}, then {@code then}; either may be null. A failure of one does not keep the event from the other. */
    static Consumer<Event> chain(Consumer<Event> first, Consumer<Event> then) {
        if (first == null) {
            return then;
        }
        if (then == null) {
            return first;
        }
        return e -> {
            try {
                first.accept(e);
            } finally {
                then.accept(e);
            }
        };
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
