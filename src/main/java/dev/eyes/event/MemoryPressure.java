package dev.eyes.event;

import java.util.Locale;

/** System memory pressure. Ordered: UNKNOWN &lt; NORMAL &lt; WARNING &lt; CRITICAL. Written in PascalCase in config and JSON. */
public enum MemoryPressure {
    UNKNOWN, NORMAL, WARNING, CRITICAL;

    /** "Unknown", "Normal", "Warning", "Critical". */
    public String wireName() {
        String n = name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }

    /** Parses the level name case-insensitively; null if unknown. */
    public static MemoryPressure parse(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "unknown" -> UNKNOWN;
            case "normal" -> NORMAL;
            case "warning", "warn" -> WARNING;
            case "critical" -> CRITICAL;
            default -> null;
        };
    }
}
