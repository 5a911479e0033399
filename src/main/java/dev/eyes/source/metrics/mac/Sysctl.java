package dev.eyes.source.metrics.mac;

import dev.eyes.event.MemoryPressure;
import dev.eyes.source.metrics.Numbers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sysctl} output: {@code name: value} lines ({@code sysctl -a}, {@code sysctl NAME}) or a bare value
 * ({@code sysctl -n NAME}). The memory pressure level is {@code kern.memorystatus_vm_pressure_level}: 1 Normal,
 * 2 Warning, 4 Critical (the kernel's own level, so MEASURED). {@code sysctl -a} does not list it: it has to be
 * asked for by name.
 */
public final class Sysctl {
    public static final String PRESSURE_KEY = "kern.memorystatus_vm_pressure_level";

    private Sysctl() {
    }

    public static List<String> pressureCommand() {
        return List.of("sysctl", "-n", PRESSURE_KEY);
    }

    /** {@code name: value} pairs; a line without a name is skipped. */
    public static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            int valueAt = colon + 2;
            if (colon <= 0) {
                colon = line.indexOf(" = ");
                valueAt = colon + 3;
            }
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                continue;
            }
            m.put(name, line.substring(valueAt).strip());
        }
        return m;
    }

    /** The level for a {@code kern.memorystatus_vm_pressure_level} value, or null for anything else. */
    public static MemoryPressure pressureLevel(String value) {
        if (value == null) {
            return null;
        }
        long level = Numbers.parseLong(value.strip(), -1); // compared as a long: 4294967297 is not 1
        if (level == 1) {
            return MemoryPressure.NORMAL;
        }
        if (level == 2) {
            return MemoryPressure.WARNING;
        }
        return level == 4 ? MemoryPressure.CRITICAL : null;
    }
}
