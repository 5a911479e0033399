package dev.eyes.source.metrics;

import dev.eyes.source.Source;
import java.time.Duration;
import java.util.List;

/**
 * A metrics or disk source of one platform (Linux {@code /proc}/{@code /sys}, macOS powermetrics/top/iostat).
 * Besides running continuously as a {@link Source}, it can take one round on demand for {@code eyes sample}.
 */
public interface HostCollector extends Source {
    /**
     * Takes one round now, without starting the source: values that are rates need two readings, so this reads,
     * waits {@code gap}, and reads again. Never throws for an unavailable part: it is listed with its reason.
     */
    SampleRound sampleOnce(Duration gap) throws InterruptedException;

    /** The state of each part as last seen (before the first round: as probed at construction). */
    List<CollectorStatus> collectors();
}
