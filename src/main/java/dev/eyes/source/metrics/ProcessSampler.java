package dev.eyes.source.metrics;

import dev.eyes.event.ProcessMetric;
import java.util.List;

/** The processes using the most resident memory, with their CPU use since the previous call. */
public interface ProcessSampler {
    /**
     * The {@code n} processes with the largest resident set, largest first. CPU % is over the time since the
     * previous call (100 % = one core busy, as top and ps count); for a process not seen before it is its average
     * since it started.
     */
    List<ProcessMetric> top(int n);
}
