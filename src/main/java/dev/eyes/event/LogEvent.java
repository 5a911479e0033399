package dev.eyes.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One log record.
 *
 * @param timestamp   when it was logged (from the record)
 * @param messageType its level
 * @param subsystem   macOS subsystem, or the systemd unit on Linux; "" when none
 * @param category    macOS category, or the syslog facility name; "" when none
 * @param process     process name ("" when unknown)
 * @param processId   PID, 0 when unknown
 * @param message     the text (never null)
 */
public record LogEvent(Instant timestamp, MessageType messageType, String subsystem, String category,
                       String process, long processId, String message) implements Event {
    public LogEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(messageType, "messageType");
        subsystem = subsystem == null ? "" : subsystem;
        category = category == null ? "" : category;
        process = process == null ? "" : process;
        message = message == null ? "" : message;
    }
}
