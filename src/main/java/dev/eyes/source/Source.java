package dev.eyes.source;

/**
 * Something that observes the host and hands events to the pipeline: a log stream, a metrics sampler,
 * a disk sampler. One interface, one class per platform (as OSHI does); {@code Platform} picks at start.
 */
public interface Source {
    /** Stable name, e.g. {@code journald}, {@code file:/var/log/syslog}, {@code metrics}, {@code disk}. */
    String name();

    /** Starts reading on virtual threads and returns at once. */
    void start(EventSink sink);

    /** Stops promptly: kills any child process, ends its threads. Idempotent. */
    void stop();

    SourceStatus status();

    /** The decoder's counters (records read, malformed records skipped) for a log source; null for samplers. */
    default DecodeCounters decodeCounters() {
        return null;
    }

    /**
     * The parser a log source reads with, as a short stable name for self-monitoring ({@code journald-json},
     * {@code syslog}, {@code plain}, {@code oslog}); null for samplers.
     */
    default String parser() {
        return null;
    }
}
