package dev.eyes.source;

import dev.eyes.event.LogEvent;

/**
 * Turns lines of one log format into {@link LogEvent}s. Stateful (a record may span lines), single-threaded,
 * and it never throws on bad input: malformed records are skipped and counted in {@link #counters()}.
 */
public interface LogDecoder {

    /** Receives each decoded record and, where the format has one, its resume position (journald cursor). */
    @FunctionalInterface
    interface RecordHandler {
        void accept(LogEvent event, String position) throws InterruptedException;
    }

    /** Feeds one line without its newline; {@code truncated} says the reader cut it at its size limit. */
    void feedLine(byte[] buf, int off, int len, boolean truncated, RecordHandler out) throws InterruptedException;

    /** End of input: a half-finished record is counted as skipped. */
    void finish(RecordHandler out) throws InterruptedException;

    DecodeCounters counters();
}
