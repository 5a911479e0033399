package dev.eyes.testing;

import java.util.Arrays;

/** Reads samples out of a Prometheus text exposition. */
public final class Exposition {
    private Exposition() {
    }

    /**
     * The value of the first sample of {@code metric} whose labels contain every fragment given, e.g.
     * {@code value(text, "eyes_events_ingested_total", "source=\"journald\"", "kind=\"log\"")}; an assertion
     * error with the whole exposition when there is none.
     */
    public static double value(String exposition, String metric, String... labels) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, space);
            String bare = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
            if (bare.equals(metric) && Arrays.stream(labels).allMatch(name::contains)) {
                return Double.parseDouble(line.substring(space + 1));
            }
        }
        throw new AssertionError("no sample " + metric + " " + Arrays.toString(labels) + " in:\n" + exposition);
    }
}
