package dev.eyes.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where an alert's notification stands. {@code pending} (being decided or delivered) → {@code delivered} |
 * {@code delivery_failed}; {@code queued} (waiting for the rate limit) → {@code pending} | {@code dropped} |
 * {@code suppressed} | {@code silenced}; {@code suppressed} and {@code silenced} are final. Every change is
 * stored with its reason.
 */
public enum AlertStatus {
    PENDING, SUPPRESSED, SILENCED, QUEUED, DELIVERED, DELIVERY_FAILED, DROPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code s}, or null. */
    public static AlertStatus parse(String s) {
        if (s == null) {
            return null;
        }
        for (AlertStatus a : values()) {
            if (a.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }

    public static String allowed() {
        return Arrays.stream(values()).map(AlertStatus::wireName).collect(Collectors.joining(", "));
    }
}
