package dev.eyes.event;

import java.time.Instant;

/** Anything a source observes: a log record, a metrics sample or a disk I/O sample. */
public sealed interface Event permits LogEvent, MetricsEvent, DiskEvent {
    /** When it happened (event time: taken from the record, not from the wall clock, where the record has one). */
    Instant timestamp();
}
