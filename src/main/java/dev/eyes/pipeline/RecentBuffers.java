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
    private final BufferConfig config;

    public RecentBuffers(BufferConfig config) {
        this.config = config;
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

    public BufferConfig config() {
        return config;
    }

    /** New buffers sized by {@code other}, holding what these hold (as far as it fits), in order. */
    public RecentBuffers resized(BufferConfig other) {
        RecentBuffers next = new RecentBuffers(other);
        logs.snapshot().forEach(next.logs::add);
        metrics.snapshot().forEach(next.metrics::add);
        disks.snapshot().forEach(next.disks::add);
        return next;
    }

    /** Everything buffered, all three streams merged in event-time order (ties: log, metrics, disk). */
    public List<Event> history() {
        List<LogEvent> l = logs.snapshot();
        List<MetricsEvent> m = metrics.snapshot();
        List<DiskEvent> d = disks.snapshot();
        List<Event> out = new java.util.ArrayList<>(l.size() + m.size() + d.size());
        out.addAll(l);
        out.addAll(m);
        out.addAll(d);
        out.sort(java.util.Comparator.comparing(Event::timestamp)); // stable: ties keep the order above
        return out;
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
