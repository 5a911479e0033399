package dev.eyes.config;

/** {@code [buffer]}: the rolling buffers of recent events, one per stream (log, metrics, disk). */
public record BufferConfig(int maxAgeSeconds, int maxSize) {
    public static BufferConfig defaults() {
        return new BufferConfig(60, 1000);
    }
}
