package dev.eyes.pipeline;

import dev.eyes.config.BufferConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.rule.RecentEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** The three rolling buffers (log, metrics, disk), each sized by {@code [buffer]}. */
public final class RecentBuffers implements RecentEvents {
    private final RollingBuffer<LogEvent> logs;
    private final RollingBuffer<MetricsEvent> metrics;
    private final RollingBuffer<DiskEvent> disks;

    public RecentBuffers(BufferConfig config) {
        Duration age = Duration.ofSeconds(config.maxAgeSeconds());
        this.logs = new RollingBuffer<>(config.maxSize(), age);
        this.metrics = new RollingBuffer<>(config.maxSize(), age);
        this.disks = new RollingBuffer<>(config.maxSize(), age);
    }

    public void add(Event e) {
        switch (e) {
            case LogEvent l -> logs.add(l);
            case MetricsEvent m -> metrics.add(m);
            case DiskEvent d -> disks.add(d);
        }
    }

    @Override
    public List<LogEvent> logs(Instant from, Predicate<LogEvent> filter, int limit) {
        return logs.since(from, filter, limit);
    }

    @Override
    public List<MetricsEvent> metrics(Instant from, int limit) {
        return metrics.since(from, m -> true, limit);
    }

    @Override
    public List<DiskEvent> disks(Instant from, Predicate<DiskEvent> filter, int limit) {
        return disks.since(from, filter, limit);
    }

    public RollingBuffer<LogEvent> logBuffer() {
        return logs;
    }

    public RollingBuffer<MetricsEvent> metricsBuffer() {
        return metrics;
    }

    public RollingBuffer<DiskEvent> diskBuffer() {
        return disks;
    }
}
