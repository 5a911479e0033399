package dev.eyes.event;

import java.util.Locale;

/**
 * Where a number came from: read directly from the system (MEASURED), computed from measured numbers
 * (DERIVED), guessed by a documented model (ESTIMATED), or not available at all (UNAVAILABLE).
 * Eyes never invents a number: a value that is UNAVAILABLE is absent, not zero.
 */
public enum MeasurementKind {
    MEASURED, DERIVED, ESTIMATED, UNAVAILABLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MeasurementKind parse(String text) {
        if (text == null) {
            return null;
        }
        for (MeasurementKind k : values()) {
            if (k.wireName().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        return null;
    }
}
