package dev.eyes.selfmon;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps one metric label low-cardinality whatever its callers pass: values are trimmed and cut to
 * {@value #MAX_LENGTH} characters, and once {@code maxDistinct} different values have been seen every new one
 * becomes {@value #OTHER}. With {@code allowed} set, anything outside it is {@value #OTHER} too. A message, a PID or
 * a URL passed by mistake therefore costs at most one time series.
 */
public final class LabelGuard {
    public static final String OTHER = "other";
    static final int MAX_LENGTH = 120;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final String label;
    private final int maxDistinct;
    private final Set<String> allowed;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** @param allowed the only values accepted (lower case), or null for any */
    public LabelGuard(String label, int maxDistinct, Set<String> allowed) {
        this.label = label;
        this.maxDistinct = maxDistinct;
        this.allowed = allowed;
    }

    public LabelGuard(String label, int maxDistinct) {
        this(label, maxDistinct, null);
    }

    public String label() {
        return label;
    }

    /** The value to use as the label. */
    public String apply(String raw) {
        if (raw == null || raw.isBlank()) {
            return "none";
        }
        String v = CONTROL.matcher(raw.strip()).replaceAll("_");
        if (v.length() > MAX_LENGTH) {
            v = v.substring(0, MAX_LENGTH);
        }
        if (allowed != null) {
            String lower = v.toLowerCase(Locale.ROOT);
            return allowed.contains(lower) ? lower : OTHER;
        }
        if (seen.contains(v)) {
            return v;
        }
        synchronized (seen) {
            if (seen.size() >= maxDistinct && !seen.contains(v)) {
                return OTHER;
            }
            seen.add(v);
        }
        return v;
    }
}
