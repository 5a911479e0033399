package dev.eyes.app;

import dev.eyes.alert.AlertManager;
import dev.eyes.analysis.Analyzer;
import dev.eyes.analysis.BackendHealth;
import dev.eyes.config.EyesConfig;
import dev.eyes.config.SelfMonitoringConfig;
import dev.eyes.pipeline.EventLoop;
import dev.eyes.selfmon.Health;
import dev.eyes.selfmon.Observed;
import dev.eyes.selfmon.SelfMonitor;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Recorder;
import dev.eyes.web.HealthSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Connects the running observer's stages to its one health model ({@link SelfMonitor#health()}): the analysis
 * and alert slots, read from what those stages already count (no I/O), and the dashboard's view of the same
 * snapshot — so {@code /api/health}, the heartbeat row ({@code eyes mcp}'s {@code get_health}, {@code eyes service
 * status}) and the log's warnings all say the same thing.
 */
final class ObserverHealth {
    private ObserverHealth() {
    }

    /** {@code [self_monitoring]} as the self-monitor's settings. */
    static SelfMonitor.Settings settings(SelfMonitoringConfig s) {
        return new SelfMonitor.Settings(s.enabled(), Duration.ofSeconds(s.intervalSeconds()), s.memoryWarningMb(),
                s.latencyWarningMillis(), s.notificationSuccessWarningPercent(), s.pressureMemoryMb(),
                s.pressureLatencyMillis(), s.pressureEventsPerMinute(), s.adaptiveSampling(), s.slowdownFactor(),
                s.recoveryFactor(), s.maxIntervalSeconds());
    }

    /**
     * What self-monitoring reads of the observer; every method is cheap and thread-safe but
     * {@link Observed#candidateCounts()} (one query). The loop and the writer are null until they start.
     */
    static Observed observed(RunningSources sources, Supplier<EventLoop> loop, Supplier<Recorder> recorder,
                             CandidateStore candidates, Analyzer analyzer) {
        String path = candidates.database().path().toString();
        return new Observed() {
            @Override
            public List<Health.SourceHealth> sources() {
                return sources.health();
            }

            @Override
            public Map<String, ParserCounts> parsers() {
                return sources.parsers();
            }

            @Override
            public Health.PipelineHealth pipeline() {
                EventLoop l = loop.get();
                return l == null ? null : new Health.PipelineHealth(l.queueDepth(), l.queueCapacity(), l.accepted(),
                        l.droppedSamples(), l.sampleQueueDepth(), l.sampleQueueCapacity(), l.processed(),
                        l.maxQueueDepth());
            }

            @Override
            public Health.StoreHealth store() {
                Recorder r = recorder.get();
                if (r == null) {
                    return null;
                }
                if (!r.failing()) {
                    // the writer has nothing to write just now (a quiet host), but the analysis stage found the fault
                    String analysis = analyzer.storeFailure();
                    if (analysis != null) {
                        return new Health.StoreHealth(path, false, r.backlog(), r.storedTriggers(), r.failedWrites(),
                                "storing analysis results: " + analysis, r.lastErrorAt(), Map.of());
                    }
                }
                return new Health.StoreHealth(path, !r.failing(), r.backlog(), r.storedTriggers(), r.failedWrites(),
                        r.lastError(), r.lastErrorAt(), Map.of());
            }

            @Override
            public Map<String, Long> ruleEvaluations() {
                EventLoop l = loop.get();
                return l == null ? Map.of() : l.processor().engine().evaluations();
            }

            @Override
            public Map<String, Long> candidateCounts() throws SQLException {
                return candidates.countByStatus();
            }
        };
    }

    /** The analysis stage: the backend's last check and the queues. */
    static Supplier<Health.AiHealth> ai(Supplier<EyesConfig> config, BackendHealth backend, Analyzer analyzer) {
        return () -> {
            BackendHealth.State b = backend.state();
            Analyzer.Stats st = analyzer.stats();
            EyesConfig c = config.get();
            return new Health.AiHealth(backend.backend().name(), backend.backend().model(), c.ai().target(),
                    b.reachable(), b.ready(), b.message(), b.checked() ? b.at() : null, c.ai().automaticAnalysis(),
                    st.running(), st.ready(), st.retrying(), analyzer.settings().maxConcurrent(), st.analyzed(),
                    st.failed());
        };
    }

    /** The alert stage: its queue, counters and notifiers. */
    static Supplier<Health.AlertsHealth> alerts(Supplier<EyesConfig> config, AlertManager alerts) {
        return () -> {
            AlertManager.Stats s = alerts.stats();
            EyesConfig c = config.get();
            return new Health.AlertsHealth(s.queued(), c.alerts().queueSize(), s.inFlight(), s.inbox(), s.delivered(),
                    s.deliveryFailed(), s.suppressed(), s.silenced(), s.dropped(), s.deliveredLastMinute(),
                    c.alerts().rateLimitPerMinute(), alerts.notifiers().stream().map(n -> n.name()).toList());
        };
    }

    /** The dashboard's health: self-monitoring's snapshot. */
    static HealthSource dashboard(SelfMonitor monitor) {
        return monitor::health;
    }
}
