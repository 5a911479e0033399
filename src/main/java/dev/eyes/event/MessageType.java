package dev.eyes.event;

import java.util.Locale;

/**
 * The level of a log record. {@code FAULT} is the most severe. journald priorities map as
 * 0 emerg, 1 alert, 2 crit → FAULT; 3 err → ERROR; 4 warning → WARNING; 5 notice, 6 info → INFO; 7 debug → DEBUG.
 */
public enum MessageType {
    FAULT, ERROR, WARNING, INFO, DEBUG;

    /** True for the two levels the error rules look at. */
    public boolean isErrorOrFault() {
        return this == ERROR || this == FAULT;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Maps a syslog/journald priority (0..7); anything outside the range is INFO. */
    public static MessageType fromPriority(int priority) {
        return switch (priority) {
            case 0, 1, 2 -> FAULT;
            case 3 -> ERROR;
            case 4 -> WARNING;
            case 7 -> DEBUG;
            default -> INFO;
        };
    }

    /** Parses error/fault/warning/info/debug (case-insensitive; also "default" → INFO); null if unknown. */
    public static MessageType parse(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "fault" -> FAULT;
            case "error" -> ERROR;
            case "warning", "warn" -> WARNING;
            case "info", "default", "notice" -> INFO;
            case "debug" -> DEBUG;
            default -> null;
        };
    }
}
