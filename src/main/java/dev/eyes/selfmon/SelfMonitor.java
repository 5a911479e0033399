package dev.eyes.selfmon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eyes watching itself, on one virtual thread that sleeps between two kinds of tick:
 * <ul>
 *   <li>every {@value #HEARTBEAT_SECONDS} s a <b>heartbeat</b>: a {@link Health} snapshot written through the
 *       {@link HeartbeatSink} (the {@code observer_heartbeat} row), so that {@code eyes mcp} and
 *       {@code eyes service status} can tell a running observer from a stopped or dead one;</li>
 *   <li>every {@code self_monitoring.interval_seconds} a <b>self-check</b> (reference §13): warnings when the
 *       resident set exceeds {@code memory_warning_mb}, the mean latency of the last 100 AI requests exceeds
 *       {@code latency_warning_ms}, or fewer than {@code notification_success_warning_percent} of the last minute's
 *       notifications were delivered; and adaptive sampling, which slows the metrics and disk samplers while Eyes is
 *       under pressure (RSS above {@code pressure_memory_mb}, mean AI latency above {@code pressure_latency_ms}, or
 *       more than {@code pressure_events_per_minute} log and metrics events in the last minute).</li>
 * </ul>
 * A warning is logged when it starts and when it clears, not at every check; {@link #health()} lists those that
 * hold. With {@code self_monitoring.enabled = false} there are no checks (no warnings, no adaptive sampling), but
 * the heartbeat and {@code /metrics} go on.
 */
public final class SelfMonitor {
    public static final int HEARTBEAT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(SelfMonitor.class);
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The {@code [self_monitoring]} settings, as this package reads them. */
    public record Settings(boolean enabled, Duration checkInterval, long memoryWarningMb, long latencyWarningMillis,
                           double notificationSuccessWarningPercent, long pressureMemoryMb, long pressureLatencyMillis,
                           long pressureEventsPerMinute, boolean adaptiveSampling, double slowdownFactor,
                           double recoveryFactor, int maxIntervalSeconds) {
    }

    /**
     * What a self-check looks at.
     *
     * @param meanAiLatencyMillis        NaN when there were no AI requests
     * @param notificationSuccessPercent NaN when there were no notifications in the last minute
     * @param eventsPerMinute            log and metrics events in the last minute (disk samples are not counted)
     */
    public record Readings(long rssBytes, double meanAiLatencyMillis, double notificationSuccessPercent,
                           long eventsPerMinute) {
    }

    /** Where heartbeats go (the store's {@code observer_heartbeat} row). */
    @FunctionalInterface
    public interface HeartbeatSink {
        void write(Health health) throws Exception;
    }

    private final Telemetry telemetry;
    private final AdaptiveSampling sampling;
    private final HeartbeatSink heartbeats;
    private final String version;
    private final Clock clock;
    private final LongSupplier nanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ArrayDeque<long[]> eventCounts = new ArrayDeque<>(); // {nanoTime, total log+metrics events}
    private final Map<String, Health.Warning> warnings = new LinkedHashMap<>();
    private volatile Settings settings;
    private volatile Supplier<Readings> readings = this::read;
    private volatile Supplier<Health.AiHealth> aiHealth = () -> null;
    private volatile Supplier<Health.AlertsHealth> alertHealth = () -> null;
    private volatile Health.State state = Health.State.STARTING;
    private volatile Instant startedAt;
    private volatile Map<String, Long> candidates = Map.of();
    private volatile List<String> pressureReasons = List.of();
    private volatile Double cpuPercent;
    private volatile String lastHeartbeatError;
    private long lastCpuNanos = -1;
    private long lastCpuAt;
    private Thread thread;

    /**
     * @param sampling the samplers' adaptive interval; null when no sampler runs
     * @param nanos    a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own)
     */
    public SelfMonitor(Settings settings, Telemetry telemetry, AdaptiveSampling sampling, HeartbeatSink heartbeats,
                       String version, Clock clock, LongSupplier nanos) {
        this.settings = settings;
        this.telemetry = telemetry;
        this.sampling = sampling;
        this.heartbeats = heartbeats;
        this.version = version;
        this.clock = clock;
        this.nanos = nanos;
        publishSampling();
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    public Settings settings() {
        return settings;
    }

    /** Replaces what a self-check reads (tests simulate pressure this way). */
    public void setReadings(Supplier<Readings> readings) {
        this.readings = readings == null ? this::read : readings;
    }

    /**
     * The analysis stage's health for the snapshot: backend, model, reachable, queue depths. Called at each snapshot
     * (a heartbeat, an {@code /api/health} request): it must be cheap and must not block.
     */
    public void setAiHealth(Supplier<Health.AiHealth> supplier) {
        this.aiHealth = supplier == null ? () -> null : supplier;
    }

    /** The alert stage's health for the snapshot (its queue and counts); cheap and non-blocking, like the above. */
    public void setAlertHealth(Supplier<Health.AlertsHealth> supplier) {
        this.alertHealth = supplier == null ? () -> null : supplier;
    }

    /** Marks the observer running, writes the first heartbeat and starts ticking. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        startedAt = clock.instant();
        state = Health.State.RUNNING;
        recordEvents(nanos.getAsLong());
        heartbeat();
        thread = Thread.ofVirtual().name("eyes-selfmon").start(this::loop);
    }

    /** The observer is shutting down: the snapshot says so until {@link #stop()}. */
    public void stopping() {
        state = Health.State.STOPPING;
    }

    /** Stops ticking and writes a last heartbeat that says {@code stopped}. */
    public void stop() {
        stopped.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = Health.State.STOPPED;
        heartbeat();
    }

    /** New settings from a reloaded configuration; a new base interval is applied to the samplers at once. */
    public void reconfigure(Settings next, Duration baseInterval) {
        Settings before = settings;
        settings = next;
        if (sampling != null) {
            sampling.reconfigure(baseInterval, next.maxIntervalSeconds(), next.slowdownFactor(),
                    next.recoveryFactor());
            if (!next.enabled() || !next.adaptiveSampling()) {
                sampling.reset();
            }
        }
        if (before.enabled() && !next.enabled()) {
            synchronized (warnings) {
                warnings.clear();
            }
            pressureReasons = List.of();
        }
        publishSampling();
        publishWarnings();
    }

    private void loop() {
        long nextHeartbeat = nanos.getAsLong() + TimeUnit.SECONDS.toNanos(HEARTBEAT_SECONDS);
        long nextCheck = nanos.getAsLong() + settings.checkInterval().toNanos();
        try {
            while (true) {
                long now = nanos.getAsLong();
                long wait = Math.max(0, Math.min(nextHeartbeat, nextCheck) - now);
                if (stopped.await(wait, TimeUnit.NANOSECONDS)) {
                    return;
                }
                now = nanos.getAsLong();
                if (now - nextCheck >= 0) {
                    check();
                    nextCheck = now + settings.checkInterval().toNanos();
                }
                if (now - nextHeartbeat >= 0) {
                    heartbeat();
                    nextHeartbeat = now + TimeUnit.SECONDS.toNanos(HEARTBEAT_SECONDS);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("self-monitoring stopped after an unexpected failure: {}", e.toString());
            LOG.debug("self-monitoring failure", e);
        }
    }

    /** One heartbeat: counts candidates, takes a snapshot and writes it. Never throws. */
    public void heartbeat() {
        long now = nanos.getAsLong();
        recordEvents(now);
        updateCpu(now);
        try {
            Map<String, Long> counts = telemetry.observed().candidateCounts();
            if (counts != null) {
                candidates = Map.copyOf(counts);
                telemetry.candidates(candidates);
            }
        } catch (Exception e) {
            LOG.debug("self-monitoring: counting candidates failed: {}", e.toString());
        }
        Health h;
        try {
            h = health();
        } catch (RuntimeException e) {
            LOG.warn("self-monitoring: taking a health snapshot failed: {}", e.toString());
            return;
        }
        try {
            heartbeats.write(h);
            if (lastHeartbeatError != null) {
                LOG.info("heartbeat: writing works again");
                lastHeartbeatError = null;
            }
        } catch (Exception e) {
            telemetry.heartbeatFailed();
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!msg.equals(lastHeartbeatError)) {
                LOG.warn("heartbeat: cannot write it ({}); eyes mcp will report the observer as not running", msg);
            }
            lastHeartbeatError = msg;
        }
    }

    private synchronized void updateCpu(long now) {
        long cpu = telemetry.process().cpuNanos();
        if (cpu >= 0 && lastCpuNanos >= 0 && now - lastCpuAt > 0) {
            cpuPercent = 100.0 * (cpu - lastCpuNanos) / (now - lastCpuAt);
        }
        lastCpuNanos = cpu;
        lastCpuAt = now;
    }

    /**
     * One self-check: warnings and adaptive sampling. Does nothing when self-monitoring is disabled. Public so tests
     * can drive it with simulated {@link Readings} instead of waiting for the tick.
     */
    public void check() {
        Settings s = settings;
        if (!s.enabled()) {
            return;
        }
        recordEvents(nanos.getAsLong());
        Readings r = readings.get();
        Instant now = clock.instant();
        double rssMb = r.rssBytes() < 0 ? Double.NaN : r.rssBytes() / (1024.0 * 1024.0);
        LOG.debug("self-monitoring: RSS {} MB, mean AI latency {} ms, notifications delivered {} %, {} events in the"
                + " last minute", fmt(rssMb), fmt(r.meanAiLatencyMillis()), fmt(r.notificationSuccessPercent()),
                r.eventsPerMinute());
        warn("memory", rssMb > s.memoryWarningMb(), now, () -> "Eyes uses " + fmt(rssMb) + " MB of memory (warning"
                + " above " + s.memoryWarningMb() + " MB)");
        warn("ai_latency", r.meanAiLatencyMillis() > s.latencyWarningMillis(), now, () -> "the mean latency of the"
                + " last AI requests is " + fmt(r.meanAiLatencyMillis() / 1000) + " s (warning above "
                + fmt(s.latencyWarningMillis() / 1000.0) + " s)");
        warn("notification_success", r.notificationSuccessPercent() < s.notificationSuccessWarningPercent(), now,
                () -> "only " + fmt(r.notificationSuccessPercent()) + " % of the last minute's notifications were"
                        + " delivered (warning below " + fmt(s.notificationSuccessWarningPercent()) + " %)");
        publishWarnings();

        List<String> reasons = new ArrayList<>();
        if (rssMb > s.pressureMemoryMb()) {
            reasons.add("memory " + fmt(rssMb) + " MB > " + s.pressureMemoryMb() + " MB");
        }
        if (r.meanAiLatencyMillis() > s.pressureLatencyMillis()) {
            reasons.add("mean AI latency " + fmt(r.meanAiLatencyMillis()) + " ms > " + s.pressureLatencyMillis()
                    + " ms");
        }
        if (r.eventsPerMinute() > s.pressureEventsPerMinute()) {
            reasons.add(r.eventsPerMinute() + " events in the last minute > " + s.pressureEventsPerMinute());
        }
        boolean was = !pressureReasons.isEmpty();
        pressureReasons = List.copyOf(reasons);
        if (!reasons.isEmpty() && !was) {
            LOG.info("self-monitoring: under resource pressure ({})", String.join("; ", reasons));
        } else if (reasons.isEmpty() && was) {
            LOG.info("self-monitoring: no longer under resource pressure");
        }
        if (sampling != null && s.adaptiveSampling()) {
            Duration before = sampling.current();
            Duration after = sampling.update(!reasons.isEmpty());
            if (!after.equals(before)) {
                LOG.info("adaptive sampling: metrics and disk every {} s (was {} s{})", fmt(after.toMillis() / 1000.0),
                        fmt(before.toMillis() / 1000.0), reasons.isEmpty() ? ", recovering" : ", under pressure");
            }
        }
        publishSampling();
    }

    private void warn(String kind, boolean holds, Instant now, Supplier<String> message) {
        synchronized (warnings) {
            Health.Warning current = warnings.get(kind);
            if (holds) {
                String text = message.get();
                warnings.put(kind, new Health.Warning(kind, text, current == null ? now : current.since()));
                if (current == null) {
                    LOG.warn("self-monitoring: {}", text);
                }
            } else if (current != null) {
                warnings.remove(kind);
                LOG.info("self-monitoring: {} is normal again", kind.replace('_', ' '));
            }
        }
    }

    private void publishWarnings() {
        synchronized (warnings) {
            telemetry.warnings(warnings.keySet());
        }
    }

    private void publishSampling() {
        double seconds = sampling == null ? Double.NaN : sampling.current().toMillis() / 1000.0;
        telemetry.sampling(seconds, !pressureReasons.isEmpty());
    }

    /** Log and metrics events in the last minute (or since the start, in the first minute). */
    private long eventsLastMinute(long now) {
        synchronized (eventCounts) {
            long total = telemetry.ingestedTotal("log", "metrics");
            long[] anchor = null;
            for (long[] p : eventCounts) {
                if (now - p[0] >= MINUTE_NANOS) {
                    anchor = p;
                } else {
                    break;
                }
            }
            if (anchor == null) {
                anchor = eventCounts.isEmpty() ? new long[] {now, total} : eventCounts.peekFirst();
            }
            return Math.max(0, total - anchor[1]);
        }
    }

    private void recordEvents(long now) {
        synchronized (eventCounts) {
            eventCounts.addLast(new long[] {now, telemetry.ingestedTotal("log", "metrics")});
            // keep one point at least a minute old as the anchor, drop the ones before it
            while (eventCounts.size() > 2) {
                long[] first = eventCounts.pollFirst();
                if (now - eventCounts.peekFirst()[0] < MINUTE_NANOS) {
                    eventCounts.addFirst(first);
                    break;
                }
            }
        }
    }

    /** The readings of a real self-check. */
    private Readings read() {
        return new Readings(telemetry.process().rssBytes(), telemetry.ai().recentMeanLatencyMillis(),
                telemetry.alerts().recentSuccessPercent(), eventsLastMinute(nanos.getAsLong()));
    }

    /** A snapshot now: the data behind {@code /api/health}, the heartbeat and {@code get_health}. */
    public Health health() {
        List<Health.SourceHealth> sources = telemetry.refresh();
        Observed o = telemetry.observed();
        Health.StoreHealth st = o.store();
        if (st != null) {
            st = new Health.StoreHealth(st.path(), st.writing(), st.backlog(), st.storedTriggers(), st.failedWrites(),
                    st.lastError(), st.lastErrorAt(), candidates);
        }
        ProcessStats p = telemetry.process();
        Instant now = clock.instant();
        Instant started = startedAt == null ? p.startTime() : startedAt;
        Health.ProcessHealth process = new Health.ProcessHealth(p.rssBytes(), p.heapUsedBytes(),
                p.heapCommittedBytes(), p.heapMaxBytes(), cpuPercent, p.threads(),
                Math.max(0, Duration.between(p.startTime(), now).toSeconds()));
        Settings s = settings;
        Health.SamplingHealth samplingHealth = sampling == null ? null : new Health.SamplingHealth(
                s.enabled() && s.adaptiveSampling(), sampling.base().toMillis() / 1000.0,
                sampling.current().toMillis() / 1000.0, !pressureReasons.isEmpty(), pressureReasons);
        List<Health.Warning> active;
        synchronized (warnings) {
            active = List.copyOf(warnings.values());
        }
        return new Health(now, p.pid(), version, state, started, sources, o.pipeline(), st, aiHealth.get(),
                alertHealth.get(), process, samplingHealth, active);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
