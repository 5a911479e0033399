package dev.eyes.source;

import java.util.concurrent.atomic.LongAdder;

/** Records read and records skipped as malformed by one decoder; read from any thread. */
public final class DecodeCounters {
    private final LongAdder read = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    public void recordRead() {
        read.increment();
    }

    public void recordSkipped() {
        skipped.increment();
    }

    /** Records decoded into events. */
    public long read() {
        return read.sum();
    }

    /** Records skipped because they were malformed. */
    public long skipped() {
        return skipped.sum();
    }
}
