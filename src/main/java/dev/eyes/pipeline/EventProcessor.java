package dev.eyes.pipeline;

import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.rule.TriggerEngine;
import java.util.function.Consumer;

/**
 * The work done for each event, in order: add it to its rolling buffer, run the rules (which may hand
 * triggers on), then mark its source position as processed. Single-threaded; used by the {@link EventLoop}
 * when following a live host, and directly by {@code eyes replay}.
 */
public final class EventProcessor {
    private RecentBuffers buffers;
    private final TriggerEngine engine;
    private final CheckpointTracker checkpoints;
    private final Consumer<Event> tap;
    private long processed;

    public EventProcessor(RecentBuffers buffers, TriggerEngine engine, CheckpointTracker checkpoints) {
        this(buffers, engine, checkpoints, null);
    }

    /**
     * @param tap also sees every event, first, on this thread (e.g. the dashboard's chart history); must be quick
     *            and must not block
     */
    public EventProcessor(RecentBuffers buffers, TriggerEngine engine, CheckpointTracker checkpoints,
                          Consumer<Event> tap) {
        this.buffers = buffers;
        this.engine = engine;
        this.checkpoints = checkpoints;
        this.tap = tap;
    }

    public void process(Event event, Checkpoint checkpoint, long nowNanos) {
        if (tap != null) {
            try {
                tap.accept(event);
            } catch (RuntimeException e) {
                // a broken tap never costs the rules an event
                org.slf4j.LoggerFactory.getLogger(EventProcessor.class).debug("event tap failed", e);
            }
        }
        buffers.add(event);
        engine.onEvent(event);
        processed++;
        if (checkpoint != null && checkpoints != null) {
            checkpoints.advance(checkpoint, nowNanos);
        }
    }

    /** Periodic housekeeping with nothing to process (flushes due checkpoints). */
    public void tick(long nowNanos) {
        if (checkpoints != null) {
            checkpoints.tick(nowNanos);
        }
    }

    public void flushCheckpoints() {
        if (checkpoints != null) {
            checkpoints.flush();
        }
    }

    public boolean checkpointsDirty() {
        return checkpoints != null && checkpoints.dirty();
    }

    public long processed() {
        return processed;
    }

    /**
     * Applies a reloaded {@code [buffer]}, rule set and cooldown; call on the loop thread (see
     * {@link EventLoop#submit}). The buffers keep their contents (resized when {@code [buffer]} changed); rules whose
     * settings did not change keep their state; new or changed rules are primed from the buffers.
     */
    public TriggerEngine.Reconfigured reconfigure(dev.eyes.config.BufferConfig bufferConfig,
                                                  java.util.List<TriggerEngine.Definition> rules,
                                                  java.time.Duration cooldown) {
        if (!buffers.config().equals(bufferConfig)) {
            buffers = buffers.resized(bufferConfig);
        }
        return engine.reconfigure(rules, cooldown, buffers, buffers.history());
    }

    /** The latest position processed per source (see {@link CheckpointTracker#latest}); loop thread. */
    public java.util.Map<String, String> latestPositions() {
        return checkpoints == null ? java.util.Map.of() : checkpoints.latest();
    }

    public RecentBuffers buffers() {
        return buffers;
    }

    public TriggerEngine engine() {
        return engine;
    }
}
