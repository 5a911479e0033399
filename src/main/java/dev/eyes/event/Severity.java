package dev.eyes.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How bad a trigger or an insight is. Ordered: INFO &lt; WARNING &lt; CRITICAL. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    public static Severity min(Severity a, Severity b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Parses info/warning/critical (case-insensitive); null if unknown. */
    public static Severity parse(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "info" -> INFO;
            case "warning" -> WARNING;
            case "critical" -> CRITICAL;
            default -> null;
        };
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Severity::wireName).collect(Collectors.joining(", "));
    }
}
