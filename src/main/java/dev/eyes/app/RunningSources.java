package dev.eyes.app;

import dev.eyes.config.MetricsConfig;
import dev.eyes.selfmon.Health;
import dev.eyes.selfmon.Observed;
import dev.eyes.selfmon.Telemetry;
import dev.eyes.source.DecodeCounters;
import dev.eyes.source.EventSink;
import dev.eyes.source.Source;
import dev.eyes.source.SourceStatus;
import dev.eyes.source.metrics.HostCollector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer's sources: those that run (with what they were built from, so a reload restarts only the changed
 * ones), those that could not start, and the counters of sources a reload retired — so the totals in
 * {@code /metrics} and the health stay monotonic across reloads. Read by self-monitoring on its own threads:
 * every list is an immutable snapshot behind a volatile field.
 */
final class RunningSources {
    private static final Logger LOG = LoggerFactory.getLogger(RunningSources.class);

    /** A source that runs, what it was built from, and its kind ({@code log}, {@code metrics}, {@code disk}). */
    record Running(String id, String kind, Object settings, Object location, Source source) {
    }

    private final Telemetry telemetry;
    /** Counters of sources replaced or removed by a reload: name → {restarts, skipped}; parser → {read, skipped}. */
    private final Map<String, long[]> retiredBySource = new ConcurrentHashMap<>();
    private final Map<String, long[]> retiredByParser = new ConcurrentHashMap<>();
    private volatile List<Running> running = List.of();
    private volatile List<Health.SourceHealth> logUnavailable = List.of();
    private volatile List<Health.SourceHealth> resourceUnavailable = List.of();
    /** Samplers that were planned but failed to start. */
    private volatile List<Health.SourceHealth> resourceFailed = List.of();

    RunningSources(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    List<Running> all() {
        return running;
    }

    void replace(List<Running> next) {
        running = List.copyOf(next);
    }

    List<Source> sources() {
        return running.stream().map(Running::source).toList();
    }

    /** Builds and starts one log source at {@code position} (null: its own default), counting what it hands on. */
    Running startLog(LogSources.Spec spec, String position, EventSink loop) {
        Source s = spec.create().apply(position);
        s.start(new CountingSink(loop, telemetry.ingestCounter(spec.id(), "log")));
        return new Running(spec.id(), "log", spec.settings(), spec.location(), s);
    }

    /** Where each log source got to, read only when a source must be started again. */
    @FunctionalInterface
    interface Positions {
        Map<String, String> read() throws InterruptedException;
    }

    /**
     * Brings the running log sources to {@code plan} for a reload: one whose settings are unchanged goes on
     * untouched; one whose settings changed is stopped and started again — at the position the loop got to when it
     * still reads the same place; one no longer planned is stopped. Adds a line per change to {@code changes} and
     * returns the log sources that run afterwards (the caller publishes them with {@link #replace}).
     */
    List<Running> reconcileLogs(LogSources.Plan plan, Positions positions, EventSink loop, List<String> changes)
            throws InterruptedException {
        Map<String, Running> current = new LinkedHashMap<>();
        for (Running r : running) {
            if (r.kind().equals("log")) {
                current.put(r.id(), r);
            }
        }
        List<LogSources.Spec> toStart = new ArrayList<>();
        List<Running> out = new ArrayList<>();
        for (LogSources.Spec spec : plan.specs()) {
            Running r = current.remove(spec.id());
            if (r != null && Objects.equals(r.settings(), spec.settings())) {
                out.add(r);
            } else {
                toStart.add(spec);
                if (r != null) {
                    current.put(spec.id(), r); // stops below, then starts again with the new settings
                }
            }
        }
        List<Running> toStop = new ArrayList<>(current.values());
        stopAll(toStop, Duration.ofSeconds(5));
        Map<String, String> at = toStart.isEmpty() ? Map.of() : positions.read();
        for (LogSources.Spec spec : toStart) {
            Running before = toStop.stream().filter(r -> r.id().equals(spec.id())).findFirst().orElse(null);
            String position = before == null || Objects.equals(before.location(), spec.location())
                    ? at.get(spec.id()) : null;
            Running r = startLog(spec, position, loop);
            out.add(r);
            changes.add((before == null ? "started " : "restarted ") + r.id());
        }
        for (Running r : toStop) {
            if (toStart.stream().noneMatch(s -> s.id().equals(r.id()))) {
                changes.add("stopped " + r.id());
            }
        }
        return out;
    }

    /** Starts the planned samplers; one that cannot start is logged and listed as unavailable, never fatal. */
    List<Running> startResources(MetricSources.Plan plan, MetricsConfig metrics, EventSink loop) {
        List<Running> out = new ArrayList<>();
        List<Health.SourceHealth> failed = new ArrayList<>();
        Object settings = resourceSettings(metrics);
        for (HostCollector s : plan.sources()) {
            String kind = s.name().equals("disk") ? "disk" : "metrics";
            try {
                s.start(new CountingSink(loop, telemetry.ingestCounter(s.name(), kind)));
                out.add(new Running(s.name(), kind, settings, null, s));
                LOG.info("sampling {} every {} s", s.name(), s.interval().toMillis() / 1000.0);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot start ({}); going on without it", s.name(), e.toString());
                failed.add(new Health.SourceHealth(s.name(), kind, null, "unavailable",
                        "cannot start: " + e.getMessage(), 0, Instant.now(), 0, 0));
            }
        }
        resourceFailed = List.copyOf(failed);
        return out;
    }

    /** What the samplers are built from, the interval aside (that one changes without a restart). */
    static Object resourceSettings(MetricsConfig m) {
        return new MetricsConfig(1, m.enabled(), m.diskEnabled(), m.pressureWarningPercent(),
                m.pressureCriticalPercent(), m.diskExclude(), m.topProcesses());
    }

    void logsUnavailable(LogSources.Plan logs) {
        List<Health.SourceHealth> out = new ArrayList<>();
        Instant now = Instant.now();
        for (LogSources.Unavailable u : logs.unavailable()) {
            out.add(new Health.SourceHealth(u.name(), "log", null, "unavailable", u.reason(), 0, now, 0, 0));
        }
        logUnavailable = List.copyOf(out);
    }

    void resourcesUnavailable(MetricSources.Plan resources) {
        List<Health.SourceHealth> out = new ArrayList<>();
        Instant now = Instant.now();
        for (String reason : resources.unavailable()) {
            int colon = reason.indexOf(": ");
            out.add(new Health.SourceHealth(colon > 0 ? reason.substring(0, colon) : "metrics", "metrics", null,
                    "unavailable", colon > 0 ? reason.substring(colon + 2) : reason, 0, now, 0, 0));
        }
        resourceUnavailable = List.copyOf(out);
    }

    /** Adaptive sampling's new interval, for every metrics and disk sampler. */
    void applyInterval(Duration interval) {
        for (Running r : running) {
            if (r.source() instanceof HostCollector h) {
                h.setInterval(interval);
            }
        }
    }

    /** Stops sources in parallel, keeping their counters for the monotonic totals. */
    void stopAll(List<Running> sources, Duration each) throws InterruptedException {
        List<Thread> stoppers = new ArrayList<>();
        for (Running r : sources) {
            stoppers.add(Thread.ofVirtual().start(r.source()::stop));
        }
        for (Thread t : stoppers) {
            t.join(each);
        }
        for (Running r : sources) {
            retire(r);
        }
    }

    private void retire(Running r) {
        long[] s = retiredBySource.computeIfAbsent(r.id(), k -> new long[2]);
        DecodeCounters c = r.source().decodeCounters();
        synchronized (s) {
            s[0] += r.source().status().restarts();
            s[1] += c == null ? 0 : c.skipped();
        }
        if (c != null && r.source().parser() != null) {
            long[] p = retiredByParser.computeIfAbsent(r.source().parser(), k -> new long[2]);
            synchronized (p) {
                p[0] += c.read();
                p[1] += c.skipped();
            }
        }
    }

    /** Every source for the health model: running, and those that could not start. */
    List<Health.SourceHealth> health() {
        List<Health.SourceHealth> out = new ArrayList<>();
        for (Running r : running) {
            SourceStatus st = r.source().status();
            DecodeCounters c = r.source().decodeCounters();
            long[] retired = retiredBySource.getOrDefault(r.id(), new long[2]);
            out.add(new Health.SourceHealth(r.id(), r.kind(), r.source().parser(), st.state().wireName(),
                    st.reason(), retired[0] + st.restarts(), st.since(), telemetry.ingested(r.id(), r.kind()),
                    retired[1] + (c == null ? 0 : c.skipped())));
        }
        out.addAll(logUnavailable);
        out.addAll(resourceUnavailable);
        out.addAll(resourceFailed);
        return out;
    }

    /** Records read and skipped per parser, retired sources included. */
    Map<String, Observed.ParserCounts> parsers() {
        Map<String, long[]> sums = new HashMap<>();
        retiredByParser.forEach((p, v) -> sums.put(p, v.clone()));
        for (Running r : running) {
            DecodeCounters c = r.source().decodeCounters();
            if (c != null && r.source().parser() != null) {
                long[] v = sums.computeIfAbsent(r.source().parser(), k -> new long[2]);
                v[0] += c.read();
                v[1] += c.skipped();
            }
        }
        Map<String, Observed.ParserCounts> out = new HashMap<>();
        sums.forEach((p, v) -> out.put(p, new Observed.ParserCounts(v[0], v[1])));
        return out;
    }
}
