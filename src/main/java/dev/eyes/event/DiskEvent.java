package dev.eyes.event;

import java.time.Instant;
import java.util.Objects;

/**
 * Disk throughput of one device over the last sample interval.
 *
 * @param filesystemPath a path when the collector knows one (macOS fs_usage), else null
 */
public record DiskEvent(Instant timestamp, double readKbPerSec, double writeKbPerSec, double readOpsPerSec,
                        double writeOpsPerSec, String diskName, String filesystemPath) implements Event {
    public DiskEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        diskName = diskName == null ? "" : diskName;
    }
}
