package dev.eyes.app;

import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.source.EventSink;
import java.util.concurrent.atomic.LongAdder;

/**
 * The event loop as one source sees it: every event handed over is counted for {@code eyes_events_ingested_total}
 * with one {@link LongAdder#increment()} (contention-free across the sources' threads), and passed on.
 */
final class CountingSink implements EventSink {
    private final EventSink delegate;
    private final LongAdder counter;

    CountingSink(EventSink delegate, LongAdder counter) {
        this.delegate = delegate;
        this.counter = counter;
    }

    @Override
    public boolean put(Event event, Checkpoint checkpoint) throws InterruptedException {
        boolean taken = delegate.put(event, checkpoint);
        if (taken) {
            counter.increment();
        }
        return taken;
    }

    @Override
    public void offerSample(Event event) {
        delegate.offerSample(event);
        counter.increment();
    }
}
