package dev.eyes.source.metrics.mac;

import dev.eyes.event.MemoryPressure;
import dev.eyes.source.metrics.Numbers;

/**
 * {@code memory_pressure} output (macOS): {@code The system has N (P pages with a page size of S).}, page counts
 * ({@code Key: value }, trailing spaces, no final dot) and {@code System-wide memory free percentage: 86%}.
 *
 * <p>It does not print a pressure level. When the kernel's level cannot be read ({@link Sysctl}), Eyes estimates
 * one from the free percentage: below {@link #CRITICAL_BELOW} % Critical, below {@link #WARNING_BELOW} % Warning,
 * else Normal — marked ESTIMATED, so it is shown but never fires MemoryPressureRule, which needs a measured level.
 */
public record MemoryPressureTool(long totalBytes, long pageSize, Integer freePercent) {
    public static final int WARNING_BELOW = 20;
    public static final int CRITICAL_BELOW = 10;

    public static java.util.List<String> command() {
        return java.util.List.of("memory_pressure", "-Q");
    }

    /** Parses the output; null when it holds neither the total nor the free percentage. */
    public static MemoryPressureTool parse(String text) {
        if (text == null) {
            return null;
        }
        long total = -1;
        long pageSize = -1;
        Integer free = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("The system has ")) {
                String rest = line.substring(15);
                int sp = rest.indexOf(' ');
                total = Numbers.parseLong(sp < 0 ? rest : rest.substring(0, sp), -1);
                int ps = rest.indexOf("page size of ");
                if (ps >= 0) {
                    // the leading digits (a scan, not a regex: "[^0-9].*$" is quadratic on a long line)
                    int from = ps + 13;
                    int to = from;
                    while (to < rest.length() && rest.charAt(to) >= '0' && rest.charAt(to) <= '9') {
                        to++;
                    }
                    pageSize = Numbers.parseLong(rest.substring(from, to), -1);
                }
            } else if (line.startsWith("System-wide memory free percentage:")) {
                String v = line.substring(35).strip();
                if (v.endsWith("%")) {
                    long n = Numbers.parseLong(v.substring(0, v.length() - 1).strip(), -1);
                    if (n >= 0 && n <= 100) {
                        free = (int) n;
                    }
                }
            }
        }
        if (total < 0 && free == null) {
            return null;
        }
        return new MemoryPressureTool(total, pageSize, free);
    }

    /** The estimated level, or null without a free percentage. */
    public MemoryPressure estimatedLevel() {
        if (freePercent == null) {
            return null;
        }
        if (freePercent < CRITICAL_BELOW) {
            return MemoryPressure.CRITICAL;
        }
        return freePercent < WARNING_BELOW ? MemoryPressure.WARNING : MemoryPressure.NORMAL;
    }
}
