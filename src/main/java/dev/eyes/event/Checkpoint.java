package dev.eyes.event;

/**
 * A position in a source from which reading can resume: a journald cursor, or a file offset.
 *
 * @param sourceId  stable id of the source, e.g. {@code journald} or {@code file:/var/log/syslog}
 * @param position  opaque position text understood by that source
 */
public record Checkpoint(String sourceId, String position) {
}
