package dev.eyes.event;

import java.util.Locale;

/** Which collector produced a metrics sample. */
public enum MetricsSource {
    PROC("Linux /proc"),
    POWERMETRICS("powermetrics"),
    TOP_VM_STAT("top/vm_stat"),
    JSON("JSON input"),
    UNKNOWN("unknown");

    private final String display;

    MetricsSource(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MetricsSource parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        for (MetricsSource s : values()) {
            if (s.wireName().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
