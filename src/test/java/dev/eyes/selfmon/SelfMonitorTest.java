package dev.eyes.selfmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.Event;
import dev.eyes.event.Checkpoint;
import dev.eyes.source.EventSink;
import dev.eyes.source.disk.linux.LinuxDiskSource;
import dev.eyes.source.metrics.PollingLoop;
import dev.eyes.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self-checks, warnings, adaptive sampling and heartbeats, driven with simulated readings and a fake clock. */
class SelfMonitorTest {
    static final long MB = 1024 * 1024;

    static SelfMonitor.Settings settings(boolean enabled, boolean adaptive) {
        return new SelfMonitor.Settings(enabled, Duration.ofSeconds(60), 500, 30_000, 90.0, 400, 20_000, 1000,
                adaptive, 1.5, 0.9, 60);
    }

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<Health> heartbeats = new CopyOnWriteArrayList<>();
    final List<Duration> applied = new CopyOnWriteArrayList<>();
    final AtomicReference<SelfMonitor.Readings> readings = new AtomicReference<>(
            new SelfMonitor.Readings(50 * MB, Double.NaN, Double.NaN, 10));

    SelfMonitor monitor(SelfMonitor.Settings s, Telemetry t) {
        AdaptiveSampling sampling = new AdaptiveSampling(Duration.ofSeconds(5), s.maxIntervalSeconds(),
                s.slowdownFactor(), s.recoveryFactor(), applied::add);
        SelfMonitor m = new SelfMonitor(s, t, sampling, heartbeats::add, "1.2.3",
                Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC), nanos::get);
        m.setReadings(readings::get);
        return m;
    }

    Telemetry telemetry() {
        Telemetry t = new Telemetry("1.2.3", ProcessStats.forThisProcess(), nanos::get);
        t.bind(new TelemetryTest.FakeObserved());
        return t;
    }

    @Test
    void adaptiveSamplingSlowsDownUnderPressureUpToTheMaximumAndComesBack() {
        SelfMonitor m = monitor(settings(true, true), telemetry());
        // memory above pressure_memory_mb (400) but below memory_warning_mb (500)
        readings.set(new SelfMonitor.Readings(450 * MB, Double.NaN, Double.NaN, 10));
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            m.check();
            seen.add(m.health().sampling().intervalSeconds());
        }
        // ×1.5 from 5 s: 7.5, 11.25, 16.875, 25.3, 37.97, 56.95, then capped at 60 s
        assertThat(seen).containsExactly(7.5, 11.25, 16.875, 25.313, 37.969, 56.953, 60.0, 60.0, 60.0);
        assertThat(m.health().sampling().underPressure()).isTrue();
        assertThat(m.health().sampling().pressureReasons()).singleElement().asString()
                .contains("memory 450 MB > 400 MB");
        assertThat(m.health().warnings()).isEmpty();
        assertThat(applied).last().isEqualTo(Duration.ofSeconds(60));
        assertThat(value(m, "eyes_self_pressure")).isEqualTo(1);
        assertThat(value(m, "eyes_sampling_interval_seconds")).isEqualTo(60);

        // pressure gone: ×0.9 per check back to the configured 5 s, and no further
        readings.set(new SelfMonitor.Readings(60 * MB, Double.NaN, Double.NaN, 10));
        int checks = 0;
        while (m.health().sampling().intervalSeconds() > 5.0 && checks < 100) {
            double before = m.health().sampling().intervalSeconds();
            m.check();
            checks++;
            assertThat(m.health().sampling().intervalSeconds()).isLessThan(before);
        }
        assertThat(checks).isEqualTo(24); // 60 × 0.9^23 = 5.32 s; the 24th step would be 4.79: it stops at 5 s
        assertThat(applied).last().isEqualTo(Duration.ofSeconds(5));
        m.check();
        assertThat(m.health().sampling().intervalSeconds()).isEqualTo(5.0);
        assertThat(m.health().sampling().underPressure()).isFalse();
        assertThat(value(m, "eyes_self_pressure")).isZero();
    }

    @Test
    void eventRateAndAiLatencyArePressureToo() {
        SelfMonitor m = monitor(settings(true, true), telemetry());
        readings.set(new SelfMonitor.Readings(50 * MB, 25_000, Double.NaN, 5000));
        m.check();
        assertThat(m.health().sampling().pressureReasons()).containsExactly(
                "mean AI latency 25000 ms > 20000 ms", "5000 events in the last minute > 1000");
        assertThat(m.health().sampling().intervalSeconds()).isEqualTo(7.5);
    }

    @Test
    void warningsStartAndClearWithTheReadings() {
        SelfMonitor m = monitor(settings(true, false), telemetry());
        readings.set(new SelfMonitor.Readings(612 * MB, 41_200, 80.0, 10));
        m.check();
        Health h = m.health();
        assertThat(h.warnings()).extracting(Health.Warning::kind)
                .containsExactly("memory", "ai_latency", "notification_success");
        assertThat(h.warnings()).extracting(Health.Warning::message).containsExactly(
                "Eyes uses 612 MB of memory (warning above 500 MB)",
                "the mean latency of the last AI requests is 41.2 s (warning above 30 s)",
                "only 80 % of the last minute's notifications were delivered (warning below 90 %)");
        assertThat(h.status()).isEqualTo(Health.DEGRADED);
        assertThat(h.problems()).extracting(Health.Problem::component).containsOnly("self");
        assertThat(value(m, "eyes_self_warning", "kind=\"memory\"")).isEqualTo(1);
        // adaptive sampling is off: pressure is reported, the interval stays
        assertThat(h.sampling().underPressure()).isTrue();
        assertThat(h.sampling().intervalSeconds()).isEqualTo(5.0);
        assertThat(applied).isEmpty();

        readings.set(new SelfMonitor.Readings(100 * MB, Double.NaN, Double.NaN, 10)); // no AI, no notifications
        m.check();
        assertThat(m.health().warnings()).isEmpty();
        assertThat(m.health().status()).isEqualTo(Health.OK);
        assertThat(value(m, "eyes_self_warning", "kind=\"memory\"")).isZero();
    }

    @Test
    void disabledSelfMonitoringChecksNothingButStillBeats() {
        SelfMonitor m = monitor(settings(false, true), telemetry());
        readings.set(new SelfMonitor.Readings(900 * MB, 90_000, 10.0, 1_000_000));
        m.check();
        assertThat(m.health().warnings()).isEmpty();
        assertThat(m.health().sampling().intervalSeconds()).isEqualTo(5.0);
        m.heartbeat();
        assertThat(heartbeats).hasSize(1);
        assertThat(heartbeats.getFirst().state()).isEqualTo(Health.State.STARTING);
    }

    @Test
    void reloadWithANewBaseIntervalResetsTheAdaptiveState() {
        SelfMonitor m = monitor(settings(true, true), telemetry());
        readings.set(new SelfMonitor.Readings(450 * MB, Double.NaN, Double.NaN, 10));
        m.check();
        m.check();
        assertThat(m.health().sampling().intervalSeconds()).isEqualTo(11.25);
        m.reconfigure(settings(true, true), Duration.ofSeconds(10));
        assertThat(applied).last().isEqualTo(Duration.ofSeconds(10));
        assertThat(m.health().sampling().baseIntervalSeconds()).isEqualTo(10.0);
        m.reconfigure(settings(true, false), Duration.ofSeconds(10)); // adaptive off: stays at the base
        m.check();
        assertThat(m.health().sampling().intervalSeconds()).isEqualTo(10.0);
    }

    @Test
    void eventsInTheLastMinuteComeFromTheIngestCountersWithoutDiskSamples() {
        Telemetry t = telemetry();
        // memory thresholds out of reach: the test JVM's own resident set must not be the pressure
        SelfMonitor.Settings s = new SelfMonitor.Settings(true, Duration.ofSeconds(60), 1_000_000, 30_000, 90.0,
                1_000_000, 20_000, 1000, true, 1.5, 0.9, 60);
        SelfMonitor m = new SelfMonitor(s, t, null, heartbeats::add, "1.2.3", Clock.systemUTC(), nanos::get);
        var log = t.ingestCounter("journald", "log");
        var disk = t.ingestCounter("disk", "disk");
        m.heartbeat();                        // t = 0 s: nothing yet
        log.add(700);
        disk.add(5000);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        m.heartbeat();                        // t = 30 s: 700 log events
        log.add(400);
        nanos.addAndGet(Duration.ofSeconds(40).toNanos());
        // t = 70 s: the last minute starts after t = 10 s; the point at t = 0 s is the newest one a minute old
        m.check();
        assertThat(m.health().sampling()).isNull(); // no sampler: nothing to adapt
        assertThat(t.ingestedTotal("log", "metrics")).isEqualTo(1100);
        // 1100 log events since the anchor point (t = 0), more than pressure_events_per_minute (1000)
        assertThat(value(m, "eyes_self_pressure")).isEqualTo(1);
        m.heartbeat();                        // t = 70 s
        nanos.addAndGet(Duration.ofSeconds(40).toNanos());
        m.check();                            // t = 110 s: anchor is the point at t = 30 s: 400 events since
        assertThat(value(m, "eyes_self_pressure")).isZero();
    }

    @Test
    void aFailingHeartbeatIsCountedAndNeverThrows() {
        Telemetry t = telemetry();
        AtomicInteger calls = new AtomicInteger();
        SelfMonitor m = new SelfMonitor(settings(true, true), t, null, h -> {
            calls.incrementAndGet();
            throw new java.sql.SQLException("database is locked");
        }, "1.2.3", Clock.systemUTC(), nanos::get);
        m.heartbeat();
        m.heartbeat();
        assertThat(calls).hasValue(2);
        assertThat(TelemetryTest.value(t.scrape(), "eyes_heartbeat_failures_total")).isEqualTo(2);
    }

    @Test
    void startAndStopWriteHeartbeatsThatSayRunningAndStopped() {
        SelfMonitor m = monitor(settings(true, true), telemetry());
        m.start();
        m.stopping();
        m.stop();
        assertThat(heartbeats).extracting(Health::state).containsExactly(Health.State.RUNNING,
                Health.State.STOPPED);
        assertThat(heartbeats.getFirst().version()).isEqualTo("1.2.3");
        assertThat(heartbeats.getFirst().pid()).isEqualTo(ProcessHandle.current().pid());
    }

    /** The whole path: pressure → adaptive sampling → a real disk sampler's polling loop runs slower, then recovers. */
    @Test
    void aRealSamplerFollowsTheAdaptiveInterval(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.copy(Fixtures.path("linux/proc-diskstats/node-exporter-mixed-field-counts.txt"),
                proc.resolve("diskstats"));
        LinuxDiskSource disk = new LinuxDiskSource(proc, dir.resolve("sys"), MetricsConfig.defaults());
        List<Event> samples = new CopyOnWriteArrayList<>();
        disk.start(new EventSink() {
            @Override
            public boolean put(Event event, Checkpoint checkpoint) {
                return true;
            }

            @Override
            public void offerSample(Event event) {
                samples.add(event);
            }
        });
        try {
            AdaptiveSampling sampling = new AdaptiveSampling(Duration.ofSeconds(5), 60, 1.5, 0.9,
                    disk::setInterval);
            SelfMonitor m = new SelfMonitor(settings(true, true), telemetry(), sampling, heartbeats::add, "1.2.3",
                    Clock.systemUTC(), nanos::get);
            m.setReadings(readings::get);
            readings.set(new SelfMonitor.Readings(450 * MB, Double.NaN, Double.NaN, 10));
            m.check();
            m.check();
            assertThat(disk.interval()).isEqualTo(Duration.ofMillis(11_250));
            readings.set(new SelfMonitor.Readings(50 * MB, Double.NaN, Double.NaN, 10));
            for (int i = 0; i < 10; i++) {
                m.check();
            }
            assertThat(disk.interval()).isEqualTo(Duration.ofSeconds(5));
        } finally {
            disk.stop();
        }
    }

    /** A polling loop picks up a new interval at its next run: fast, then slow, counted over a real second. */
    @Test
    void pollingLoopChangesItsPaceWhileRunning() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PollingLoop loop = new PollingLoop("test", Duration.ofMillis(20), runs::incrementAndGet);
        loop.start();
        try {
            Thread.sleep(500);
            int fast = runs.getAndSet(0);
            loop.setInterval(Duration.ofMillis(250));
            Thread.sleep(40); // the run already scheduled at the old pace
            runs.set(0);
            Thread.sleep(760);
            int slow = runs.get();
            assertThat(fast).isBetween(15, 30);
            assertThat(slow).isBetween(2, 4);
            assertThat(loop.interval()).isEqualTo(Duration.ofMillis(250));
        } finally {
            loop.stop();
        }
    }

    static double value(SelfMonitor m, String metric, String... labels) {
        return TelemetryTest.value(m.telemetry().scrape(), metric, labels);
    }
}
