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

    /** How often it samples now ({@code metrics.interval_seconds}, unless adaptive sampling changed it). */
    Duration interval();

    /**
     * Changes the sampling interval while running, without losing state: a polling source reschedules its next
     * run; a source that runs a sampling tool with the interval on its command line ({@code powermetrics -i},
     * {@code top -s}, {@code iostat -w}) restarts that tool. Called by adaptive sampling and on a configuration
     * reload. Whole seconds are enough for tools that take only whole seconds; they round up.
     */
    void setInterval(Duration interval);
}
