package dev.eyes.rule;

/** How much evidence a trigger carries at most (the prompt shows fewer; the dashboard shows them all). */
final class Evidence {
    static final int METRICS_LIMIT = 24;
    static final int DISK_LIMIT = 48;

    private Evidence() {
    }
}
