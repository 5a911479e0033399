package dev.eyes.source.syslog;

import dev.eyes.event.LogEvent;
import dev.eyes.source.DecodeCounters;
import dev.eyes.source.LogDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Plain text: each non-blank line is one message, timed when it is read (plain lines carry no time of their
 * own), with the level inferred from its words ({@link ErrorInference}). The process is the file's name.
 */
public final class PlainDecoder implements LogDecoder {
    private final DecodeCounters counters = new DecodeCounters();
    private final ErrorInference inference;
    private final String process;
    private final Supplier<Instant> clock;

    public PlainDecoder(ErrorInference inference, String process, Supplier<Instant> clock) {
        this.inference = inference;
        this.process = process == null ? "" : process;
        this.clock = clock;
    }

    @Override
    public DecodeCounters counters() {
        return counters;
    }

    @Override
    public void feedLine(byte[] buf, int off, int len, boolean truncated, RecordHandler out)
            throws InterruptedException {
        String line = new String(buf, off, len, StandardCharsets.UTF_8).strip();
        if (line.isEmpty()) {
            return;
        }
        counters.recordRead();
        out.accept(new LogEvent(clock.get(), inference.infer(line), "", "", process, 0, line), null);
    }

    @Override
    public void finish(RecordHandler out) {
        // line-based: nothing pending
    }
}
