package dev.eyes.pipeline;

import dev.eyes.event.Checkpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Remembers, per source, the position after the last event the pipeline has finished, and saves the positions
 * in small batches: every {@code batchSize} events, or when {@code maxDelayNanos} has passed since the first
 * unsaved one. Each save is awaited (briefly, and not at all while the store is failing) before more events are
 * processed, so after a crash at most one batch is read twice. The wait is one SQLite commit per batch. At most
 * one save is outstanding: while the last one is not committed yet (a locked database, a full disk), newer
 * positions are kept here and merged into the next save — so a long store outage never fills the writer's queue
 * with checkpoints (which would in the end stop ingestion). {@link #flush} at the end hands over what is left in
 * any case.
 */
public final class CheckpointTracker {
    private final int batchSize;
    private final long maxDelayNanos;
    private final Function<Map<String, String>, CompletableFuture<?>> sink;
    private final BooleanSupplier storeHealthy;
    private final Duration maxWait;
    private final Map<String, String> pending = new HashMap<>();
    private final Map<String, String> latest = new HashMap<>();
    private int unsaved;
    private long firstUnsavedAt;
    private CompletableFuture<?> outstanding;

    /**
     * @param sink         saves positions; its future completes once they are committed
     * @param storeHealthy false while the store is failing: then saves are not awaited
     * @param maxWait      the longest a save is awaited
     */
    public CheckpointTracker(int batchSize, long maxDelayNanos, Function<Map<String, String>, CompletableFuture<?>> sink,
                             BooleanSupplier storeHealthy, Duration maxWait) {
        this.batchSize = batchSize;
        this.maxDelayNanos = maxDelayNanos;
        this.sink = sink;
        this.storeHealthy = storeHealthy;
        this.maxWait = maxWait;
    }

    /** Records that everything up to {@code cp} has been processed. */
    public void advance(Checkpoint cp, long nowNanos) {
        pending.put(cp.sourceId(), cp.position());
        latest.put(cp.sourceId(), cp.position());
        if (unsaved++ == 0) {
            firstUnsavedAt = nowNanos;
        }
        if (unsaved >= batchSize) {
            save(false, nowNanos);
        }
    }

    /** Flushes when the oldest unsaved position is older than the delay. */
    public void tick(long nowNanos) {
        if (unsaved > 0 && nowNanos - firstUnsavedAt >= maxDelayNanos) {
            save(false, nowNanos);
        }
    }

    /**
     * The position after the last event processed, per source, saved or not: where a source restarted while Eyes
     * runs (a reloaded configuration) resumes.
     */
    public Map<String, String> latest() {
        return Map.copyOf(latest);
    }

    public boolean dirty() {
        return unsaved > 0;
    }

    /** Hands over the positions not yet saved, even while an earlier save is outstanding (at the end). */
    public void flush() {
        save(true, System.nanoTime());
    }

    private void save(boolean force, long nowNanos) {
        if (unsaved == 0) {
            return;
        }
        if (!force && outstanding != null && !outstanding.isDone()) {
            // the last save is not committed yet: keep these positions, try again after the next batch or delay
            unsaved = 1;
            firstUnsavedAt = nowNanos;
            return;
        }
        CompletableFuture<?> saved = sink.apply(Map.copyOf(pending));
        outstanding = saved;
        pending.clear();
        unsaved = 0;
        if (storeHealthy.getAsBoolean()) {
            try {
                saved.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // the store is slow or failing: go on, it keeps retrying in the background
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
