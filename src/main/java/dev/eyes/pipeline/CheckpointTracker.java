package dev.eyes.pipeline;

import dev.eyes.event.Checkpoint;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Remembers, per source, the position after the last event the pipeline has finished, and hands the positions
 * on in small batches: every {@code batchSize} events, or when {@code maxDelayNanos} has passed since the first
 * unsaved one. After a crash at most one batch is seen twice.
 */
public final class CheckpointTracker {
    private final int batchSize;
    private final long maxDelayNanos;
    private final Consumer<Map<String, String>> sink;
    private final Map<String, String> pending = new HashMap<>();
    private int unsaved;
    private long firstUnsavedAt;

    public CheckpointTracker(int batchSize, long maxDelayNanos, Consumer<Map<String, String>> sink) {
        this.batchSize = batchSize;
        this.maxDelayNanos = maxDelayNanos;
        this.sink = sink;
    }

    /** Records that everything up to {@code cp} has been processed. */
    public void advance(Checkpoint cp, long nowNanos) {
        pending.put(cp.sourceId(), cp.position());
        if (unsaved++ == 0) {
            firstUnsavedAt = nowNanos;
        }
        if (unsaved >= batchSize) {
            flush();
        }
    }

    /** Flushes when the oldest unsaved position is older than the delay. */
    public void tick(long nowNanos) {
        if (unsaved > 0 && nowNanos - firstUnsavedAt >= maxDelayNanos) {
            flush();
        }
    }

    public boolean dirty() {
        return unsaved > 0;
    }

    public void flush() {
        if (unsaved == 0) {
            return;
        }
        sink.accept(Map.copyOf(pending));
        pending.clear();
        unsaved = 0;
    }
}
