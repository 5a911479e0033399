package dev.eyes.source.metrics;

/** Tolerant number parsing for tool output: never throws, answers null (or the default) for anything odd. */
public final class Numbers {
    private Numbers() {
    }

    /** A non-negative decimal integer, or {@code def} (also on overflow). */
    public static long parseLong(CharSequence s, long def) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            return def;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return def;
            }
            v = v * 10 + (c - '0');
        }
        return v < 0 ? def : v;
    }

    /** A finite decimal number (sign, fraction and exponent allowed), or null. */
    public static Double parseDouble(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return null;
            }
        }
        try {
            double d = Double.parseDouble(t);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The leading number of a value that may carry a unit ({@code "631.95 W"}, {@code "100 %"}, {@code "2566 MiB"}),
     * or null when it has none ({@code "[N/A]"}, {@code "[Not Supported]"}, {@code ""}).
     */
    public static Double leadingNumber(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        int end = 0;
        while (end < t.length()) {
            char c = t.charAt(end);
            if ((c >= '0' && c <= '9') || c == '.' || (end == 0 && (c == '-' || c == '+'))
                    || ((c == 'e' || c == 'E') && end > 0 && end + 1 < t.length()
                    && (Character.isDigit(t.charAt(end + 1)) || t.charAt(end + 1) == '-' || t.charAt(end + 1) == '+'))) {
                end++;
            } else {
                break;
            }
        }
        if (end == 0) {
            return null;
        }
        String rest = t.substring(end).strip();
        // a number followed by a unit word (W, %, MiB, MHz …) is fine; followed by more digits or junk it is not
        if (!rest.isEmpty() && !Character.isLetter(rest.charAt(0)) && rest.charAt(0) != '%') {
            return null;
        }
        return parseDouble(t.substring(0, end));
    }

    /** Rounds to one decimal place, for display. */
    public static double round1(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
