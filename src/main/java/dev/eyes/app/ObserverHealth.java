package dev.eyes.app;

import dev.eyes.alert.AlertManager;
import dev.eyes.analysis.Analyzer;
import dev.eyes.analysis.BackendHealth;
import dev.eyes.config.EyesConfig;
import dev.eyes.pipeline.EventLoop;
import dev.eyes.source.Source;
import dev.eyes.source.SourceStatus;
import dev.eyes.store.Recorder;
import dev.eyes.web.Health;
import dev.eyes.web.HealthSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The health of a running observer, from what its parts already count (no I/O): each source's status, the AI
 * backend's last check and the analysis queues, the alert stage, the store writer and the event loop. It names
 * what needs a person in {@link Health#problems()}, in words that say what to do.
 */
final class ObserverHealth implements HealthSource {
    /** The event queue this full is a problem (sources are being slowed down). */
    static final double QUEUE_FULL = 0.9;

    private final EyesConfig config;
    private final Supplier<List<Source>> sources;
    private final List<String> unavailable;
    private final Instant startedAt = Instant.now();
    private final BackendHealth backend;
    private final Analyzer analyzer;
    private final AlertManager alerts;
    private final Supplier<Recorder> recorder;
    private final Supplier<EventLoop> loop;
    private final String databasePath;

    ObserverHealth(EyesConfig config, Supplier<List<Source>> sources, List<String> unavailable, BackendHealth backend,
                   Analyzer analyzer, AlertManager alerts, Supplier<Recorder> recorder, Supplier<EventLoop> loop,
                   String databasePath) {
        this.config = config;
        this.sources = sources;
        this.unavailable = List.copyOf(unavailable);
        this.backend = backend;
        this.analyzer = analyzer;
        this.alerts = alerts;
        this.recorder = recorder;
        this.loop = loop;
        this.databasePath = databasePath;
    }

    @Override
    public Health health() {
        List<Health.Problem> problems = new ArrayList<>();
        List<Health.SourceHealth> list = new ArrayList<>();
        for (Source s : sources.get()) {
            SourceStatus st = s.status();
            list.add(new Health.SourceHealth(st.name(), st.state().wireName(), st.reason(), st.restarts(),
                    st.since()));
            if (st.state() == SourceStatus.State.DEGRADED || st.state() == SourceStatus.State.UNAVAILABLE) {
                problems.add(Health.Problem.warning("source", st.name() + " is " + st.state().wireName()
                        + (st.reason().isBlank() ? "" : ": " + st.reason())));
            }
        }
        for (String u : unavailable) {
            int colon = u.indexOf(": ");
            String name = colon > 0 ? u.substring(0, colon) : "log source";
            String reason = colon > 0 ? u.substring(colon + 2) : u;
            list.add(new Health.SourceHealth(name, "unavailable", reason, 0, startedAt));
            problems.add(Health.Problem.warning("source", name + " is unavailable: " + reason));
        }

        Health.AiHealth ai = null;
        if (analyzer != null && backend != null) {
            BackendHealth.State b = backend.state();
            Analyzer.Stats st = analyzer.stats();
            String target = config.ai().target();
            ai = new Health.AiHealth(backend.backend().name(), backend.backend().model(), target, b.reachable(),
                    b.ready(), b.message(), b.at(), config.ai().automaticAnalysis(), st.running(), st.ready(),
                    st.retrying(), analyzer.settings().maxConcurrent(), st.analyzed(), st.failed());
            if (b.checked() && !b.reachable()) {
                problems.add(Health.Problem.warning("ai", "AI backend not reachable at " + target + ": "
                        + switch (backend.backend().name()) {
                            case "ollama" -> "start Ollama (ollama serve) or configure [ai]";
                            case "openai" -> "start the server or check ai.base_url in [ai]";
                            default -> "check [ai]";
                        } + "; analyses wait and are retried"));
            } else if (b.checked() && !b.ready()) {
                problems.add(Health.Problem.warning("ai", "AI backend not ready: " + b.message()));
            }
        }

        Health.AlertsHealth al = null;
        if (alerts != null) {
            AlertManager.Stats s = alerts.stats();
            int size = config.alerts().queueSize();
            al = new Health.AlertsHealth(s.queued(), size, s.inFlight(), s.inbox(), s.delivered(),
                    s.deliveryFailed(), s.suppressed(), s.silenced(), s.dropped(), s.deliveredLastMinute(),
                    config.alerts().rateLimitPerMinute(), alerts.notifiers().stream().map(n -> n.name()).toList());
            if (s.queued() >= size * QUEUE_FULL) {
                problems.add(Health.Problem.warning("alerts", "the alert queue is nearly full (" + s.queued() + " of "
                        + size + "): the rate limit (" + config.alerts().rateLimitPerMinute()
                        + "/min) holds them back; the oldest will be dropped"));
            }
        }

        Health.StoreHealth store = null;
        Recorder rec = recorder.get();
        if (rec != null) {
            store = new Health.StoreHealth(databasePath, !rec.failing(), rec.backlog(), rec.storedTriggers(),
                    rec.failedWrites(), rec.lastError(), rec.lastErrorAt());
            if (rec.failing()) {
                problems.add(Health.Problem.critical("store", "writing to the database " + databasePath
                        + " fails: " + rec.lastError() + " — triggers wait in memory and are retried"));
            }
        }

        Health.PipelineHealth pipe = null;
        EventLoop l = loop.get();
        if (l != null) {
            pipe = new Health.PipelineHealth(l.queueDepth(), l.maxQueueDepth(), l.queueCapacity(), l.accepted(),
                    l.droppedSamples());
            if (l.queueDepth() >= l.queueCapacity() * QUEUE_FULL) {
                problems.add(Health.Problem.warning("pipeline", "the event queue is full (" + l.queueDepth() + " of "
                        + l.queueCapacity() + "): log sources are being slowed down"));
            }
        }
        return new Health(Instant.now(), problems, list, ai, al, store, pipe);
    }
}
