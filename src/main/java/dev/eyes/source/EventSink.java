package dev.eyes.source;

import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;

/** Where sources hand over what they observe: the pipeline's bounded queue. */
public interface EventSink {
    /**
     * Hands over a log event, waiting while the pipeline is full (backpressure into the pipe: the OS
     * buffers, nothing is lost).
     *
     * @param checkpoint where to resume after this event once it has been processed, or null
     * @return false when the pipeline has stopped and the event was not taken
     */
    boolean put(Event event, Checkpoint checkpoint) throws InterruptedException;

    /** Hands over a metrics or disk sample without waiting; when full, the oldest sample is dropped and counted. */
    void offerSample(Event event);
}
