package dev.eyes.rule;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** Read access to the rolling buffers, for gathering evidence when a rule fires (not per event). */
public interface RecentEvents {
    /** Log events at or after {@code from} that match, oldest first, at most {@code limit} (the newest kept). */
    List<LogEvent> logs(Instant from, Predicate<LogEvent> filter, int limit);

    /** Metrics samples at or after {@code from}, oldest first, at most {@code limit} (the newest kept). */
    List<MetricsEvent> metrics(Instant from, int limit);

    /** Disk samples at or after {@code from} that match, oldest first, at most {@code limit} (the newest kept). */
    List<DiskEvent> disks(Instant from, Predicate<DiskEvent> filter, int limit);
}
