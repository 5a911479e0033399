package dev.eyes.source.metrics.linux;

import dev.eyes.event.MemoryPressure;
import dev.eyes.source.metrics.Numbers;

/**
 * A pressure-stall file ({@code /proc/pressure/memory}, {@code …/cpu}, {@code …/io}, or a cgroup's
 * {@code memory.pressure}): {@code some avg10=… avg60=… avg300=… total=…} and, on most files, a {@code full} line.
 * The averages are the share of wall time (percent) in which at least one task ({@code some}) or all non-idle
 * tasks ({@code full}) were stalled waiting for the resource. {@code cpu} had no {@code full} line before 5.13.
 */
public record Psi(Line some, Line full) {

    /** One line; {@code totalMicros} is the cumulative stall time. */
    public record Line(double avg10, double avg60, double avg300, long totalMicros) {
    }

    /** Parses the file; null when it has no well-formed {@code some} line. */
    public static Psi parse(String text) {
        if (text == null) {
            return null;
        }
        Line some = null;
        Line full = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("some ")) {
                some = parseLine(line.substring(5));
            } else if (line.startsWith("full ")) {
                full = parseLine(line.substring(5));
            }
        }
        return some == null ? null : new Psi(some, full);
    }

    private static Line parseLine(String rest) {
        Double a10 = null;
        Double a60 = null;
        Double a300 = null;
        long total = -1;
        for (String kv : rest.strip().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String k = kv.substring(0, eq);
            String v = kv.substring(eq + 1);
            switch (k) {
                case "avg10" -> a10 = Numbers.parseDouble(v);
                case "avg60" -> a60 = Numbers.parseDouble(v);
                case "avg300" -> a300 = Numbers.parseDouble(v);
                case "total" -> total = Numbers.parseLong(v, -1);
                default -> {
                    // a field of a future kernel: ignore
                }
            }
        }
        if (a10 == null || a60 == null || a300 == null || total < 0 || a10 < 0 || a10 > 100) {
            return null;
        }
        return new Line(a10, a60, a300, total);
    }

    /**
     * The level for {@code some avg10}: Critical at or above {@code criticalPercent}, Warning at or above
     * {@code warningPercent}, else Normal ({@code [metrics] pressure_warning_percent}/{@code pressure_critical_percent}).
     */
    public MemoryPressure level(double warningPercent, double criticalPercent) {
        return levelOf(some.avg10, warningPercent, criticalPercent);
    }

    public static MemoryPressure levelOf(double avg10, double warningPercent, double criticalPercent) {
        if (avg10 >= criticalPercent) {
            return MemoryPressure.CRITICAL;
        }
        if (avg10 >= warningPercent) {
            return MemoryPressure.WARNING;
        }
        return MemoryPressure.NORMAL;
    }
}
