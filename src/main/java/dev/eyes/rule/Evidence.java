package dev.eyes.rule;

/** How much evidence a trigger carries at most (the prompt shows fewer; the dashboard shows them all). */
final class Evidence {
    static final int METRICS_LIMIT = 24;
    static final int DISK_LIMIT = 48;
    static final int LOG_LIMIT = 50;

    /** {@code recent} with {@code last} at its end when the buffer does not hold it yet. */
    static <T> java.util.List<T> withLast(java.util.List<T> recent, T last) {
        if (!recent.isEmpty() && recent.getLast() == last) {
            return recent;
        }
        java.util.List<T> out = new java.util.ArrayList<>(recent);
        out.add(last);
        return out;
    }

    private Evidence() {
    }
}
