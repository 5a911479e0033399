package dev.eyes.app;

import com.sun.net.httpserver.HttpHandler;
import dev.eyes.alert.AlertManager;
import dev.eyes.alert.notify.Notifiers;
import dev.eyes.analysis.Analyzer;
import dev.eyes.analysis.BackendHealth;
import dev.eyes.analysis.InsightSink;
import dev.eyes.analysis.Scheduler;
import dev.eyes.config.BindAddress;
import dev.eyes.config.EyesConfig;
import dev.eyes.config.WebConfig;
import dev.eyes.pipeline.CheckpointTracker;
import dev.eyes.pipeline.EventLoop;
import dev.eyes.pipeline.EventProcessor;
import dev.eyes.pipeline.RecentBuffers;
import dev.eyes.rule.TriggerEngine;
import dev.eyes.rule.Trigger;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.Source;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.Grouping;
import dev.eyes.store.Recorder;
import dev.eyes.store.StoreException;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.store.StoredCandidate;
import dev.eyes.web.HealthSource;
import dev.eyes.web.LiveAnalyses;
import dev.eyes.web.MetricSeries;
import dev.eyes.web.WebServer;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires and runs everything {@code eyes run} does: sources → event loop (buffers, rules) → recorder (SQLite) →
 * analysis → alerts (the {@link AlertManager}), and the dashboard ({@link WebServer}) beside them. Starts in
 * data-flow order from the back (store first, then the dashboard, sources last) and stops in the opposite order,
 * so nothing is handed to a component that has already stopped; the dashboard stops first, so no change made
 * from it lands in the middle of the shutdown.
 */
public final class Observer {
    private static final Logger LOG = LoggerFactory.getLogger(Observer.class);
    static final String ANALYSIS_DISABLED = "Automatic AI analysis is disabled; use Analyze now to run it manually";

    /** Command-line choices that are not configuration. */
    public record Options(boolean enableNotifications) {
    }

    private final EyesConfig config;
    private final Options options;
    private final Platform platform;
    private final RestartPolicy restartPolicy;
    private Database database;
    private CandidateStore candidates;
    private AssessmentStore assessments;
    private Scheduler timers;
    private Analyzer analyzer;
    private SqliteAlertStore alertStore;
    private AlertManager alerts;
    private volatile InsightSink extraSink = InsightSink.NONE;
    private final List<java.util.function.Consumer<StoredCandidate>> storedListeners = new CopyOnWriteArrayList<>();
    private Recorder recorder;
    private EventLoop loop;
    /** Read by the dashboard's health while it is being filled: copy-on-write. */
    private volatile List<Source> sources = List.of();
    private final List<String> unavailableSources = new CopyOnWriteArrayList<>();
    private BackendHealth backendHealth;
    private HttpHandler metricsHandler;
    private HealthSource healthSource;
    private SqliteAlertStore webStore;
    private WebServer web;
    private DashboardEvents dashboard;
    private MetricSeries series;
    private HealthSource activeHealth;

    public Observer(EyesConfig config, Options options, Platform platform, RestartPolicy restartPolicy) {
        this.config = config;
        this.options = options;
        this.platform = platform;
        this.restartPolicy = restartPolicy;
    }

    /** Opens the store, restores checkpoints and cooldowns, starts the writer, the loop and the sources. */
    public void start() {
        try {
            database = Database.open(config.storage().databasePath());
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        candidates = new CandidateStore(database,
                new Grouping(Duration.ofHours(config.alerts().groupWindowHours())));
        Map<String, String> checkpoints;
        Map<String, java.time.Instant> cooldowns;
        try {
            checkpoints = candidates.loadCheckpoints();
            cooldowns = candidates.loadCooldowns();
        } catch (SQLException e) {
            throw new UserError("cannot read the database " + database.path() + ": " + e.getMessage());
        }
        LogSources.Plan plan = LogSources.build(config, platform, checkpoints, restartPolicy);
        plan.unavailable().forEach(reason -> LOG.warn("log source unavailable: {}", reason));
        unavailableSources.addAll(plan.unavailable());
        if (plan.sources().isEmpty()) {
            throw new UserError("no log source can start"
                    + (plan.unavailable().isEmpty() ? " (logging.sources is \"none\" and no [[logging.files]] are set)"
                    : ": " + String.join("; ", plan.unavailable())));
        }
        assessments = new AssessmentStore(database);
        alertStore = new SqliteAlertStore(database);
        alerts = new AlertManager(AlertManager.Settings.of(config.alerts()), new AlertLedger(alertStore),
                Notifiers.create(config.alerts(), options.enableNotifications(), platform, InstantSource.system()),
                InstantSource.system(), null);
        if (alerts.notifiers().isEmpty()) {
            LOG.info("alerts are stored but not sent: start with --enable-notifications for desktop notifications, "
                    + "or configure [[alerts.webhooks]]");
        } else {
            LOG.info("alerts go to: {}", String.join(", ", alerts.notifiers().stream().map(n -> n.name()).toList()));
        }
        // before the analyzer: candidates left pending by the last run may be analysed at once
        alerts.start();
        timers = Scheduler.system("eyes-analysis-timer");
        AlertManager sink = alerts;
        analyzer = Analyzer.create(config.ai(), platform, assessments, timers, timers, a -> {
            sink.accept(a);
            extraSink.accept(a);
        });
        backendHealth = new BackendHealth(analyzer.backend(), timers);
        analyzer.addListener(backendHealth);
        if (config.web().enabled()) {
            startWeb();
        }
        // candidates left pending by the last run are queued before new ones
        analyzer.start(true, true, false);
        backendHealth.start();
        recorder = new Recorder(candidates, 10_000, this::onStored);
        RecentBuffers buffers = new RecentBuffers(config.buffer());
        TriggerEngine engine = new TriggerEngine(TriggerEngine.rulesFor(config), TriggerEngine.cooldownsFor(config),
                buffers, TriggerEngine.listener(this::onTrigger));
        engine.restoreCooldowns(cooldowns);
        Recorder writer = recorder;
        CheckpointTracker tracker = new CheckpointTracker(config.storage().checkpointBatch(),
                TimeUnit.MILLISECONDS.toNanos(config.storage().checkpointIntervalMillis()), writer::saveCheckpoints,
                () -> !writer.failing(), Duration.ofSeconds(1));
        loop = new EventLoop(new EventProcessor(buffers, engine, tracker, series), 8192, 256);
        recorder.start();
        loop.start();
        sources = new CopyOnWriteArrayList<>(plan.sources());
        for (Source s : sources) {
            s.start(loop);
            LOG.info("following {}", s.name());
        }
        MetricSources.Plan resources = MetricSources.build(config, platform, restartPolicy);
        resources.unavailable().forEach(reason -> LOG.warn("resource source unavailable: {}", reason));
        unavailableSources.addAll(resources.unavailable());
        for (Source s : resources.sources()) {
            try {
                s.start(loop);
                sources.add(s);
                LOG.info("sampling {} every {} s", s.name(), config.metrics().intervalSeconds());
            } catch (RuntimeException e) {
                // a resource collector never stops the observer
                LOG.warn("{}: cannot start ({}); going on without it", s.name(), e.toString());
                unavailableSources.add(s.name() + ": cannot start (" + e.getMessage() + ")");
            }
        }
        LOG.info("Eyes {} is watching {} (database {}, {} rule(s))", Version.current(), platform.display(),
                database.path(), engine.rules().size());
    }

    /** The dashboard: its own store connections, the chart history, live events; refuses to start off loopback
     * without a token. */
    private void startWeb() {
        WebConfig wc = config.web();
        BindAddress bind;
        try {
            bind = BindAddress.parse(wc.bindAddress());
        } catch (IllegalArgumentException e) {
            throw new UserError("web.bind_address " + e.getMessage());
        }
        series = new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(config.metrics().intervalSeconds()));
        webStore = new SqliteAlertStore(database);
        HealthSource health = healthSource != null ? healthSource : new ObserverHealth(config, this::sources,
                unavailableSources, backendHealth, analyzer, alerts, this::recorder, this::loop,
                database.path().toString());
        activeHealth = health;
        SqliteAlertStore changes = webStore;
        try {
            web = new WebServer(bind, wc.token(), wc.allowedHosts(), new WebServer.Parts(webStore,
                    new InProcessAnalysis(assessments, analyzer), health, series, new LiveAnalyses(), metricsHandler,
                    changes::changeMark));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        dashboard = new DashboardEvents(web);
        analyzer.addListener(dashboard);
        alerts.addListener(dashboard);
        try {
            web.start();
        } catch (IOException e) {
            web = null;
            throw new UserError(e.getMessage());
        }
        LOG.info("dashboard: {}{}", web.url(), wc.token().isEmpty() ? ""
                : " (open " + web.url() + "/?token=… once with web.token)");
    }

    private void onTrigger(Trigger t) {
        LOG.info("trigger: {} {} ({}): {}", t.rule(), t.source() == null ? "system-wide" : t.source(),
                t.expectedSeverity().wireName(), t.reason());
        boolean automatic = config.ai().automaticAnalysis();
        try {
            recorder.record(t, automatic ? AnalysisStatus.PENDING : AnalysisStatus.NOT_DONE,
                    automatic ? null : ANALYSIS_DISABLED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the writer thread, right after the commit: only queues (never waits for the analysis). */
    private void onStored(StoredCandidate c) {
        LOG.debug("stored candidate {} ({})", c.id(), c.trigger().rule());
        storedListeners.forEach(l -> l.accept(c));
        DashboardEvents d = dashboard;
        if (d != null) {
            d.stored(c); // before its analysis starts: the live feed shows them in that order
        }
        if (c.status() == AnalysisStatus.PENDING) {
            analyzer.submit(c.id(), c.trigger());
        }
    }

    /** Called on the writer thread right after each trigger is committed (detection-latency benchmark). */
    public void addStoredListener(java.util.function.Consumer<StoredCandidate> listener) {
        storedListeners.add(listener);
    }

    /**
     * Another receiver of analysed candidates, besides the alert stage (which always gets them first); must return
     * quickly.
     */
    public void setInsightSink(InsightSink sink) {
        this.extraSink = sink == null ? InsightSink.NONE : sink;
    }

    /** Stops sources, drains the loop, writes what is pending, within {@code deadline} in all. */
    public void stop(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        List<Thread> stoppers = new ArrayList<>();
        WebServer w = web;
        if (w != null) {
            stoppers.add(Thread.ofVirtual().start(() -> w.stop(Duration.ofSeconds(1))));
        }
        for (Source s : sources) {
            stoppers.add(Thread.ofVirtual().start(s::stop));
        }
        try {
            for (Thread t : stoppers) {
                t.join(remaining(end, 0.4));
            }
            if (loop != null && !loop.stop(remaining(end, 0.5))) {
                LOG.warn("the event loop did not finish in time");
            }
            if (recorder != null) {
                recorder.stop(remaining(end, 0.7));
            }
            if (analyzer != null) {
                // in-flight analyses are cancelled; their candidates stay pending for the next start
                analyzer.stop(remaining(end, 0.8));
            }
            if (alerts != null) {
                // what is queued stays queued (and what is being delivered, pending) for the next start
                alerts.stop(remaining(end, 0.9));
            }
            if (alertStore != null) {
                alertStore.close();
            }
            if (webStore != null) {
                webStore.close();
            }
            if (backendHealth != null) {
                backendHealth.stop();
            }
            if (timers != null) {
                timers.shutdown();
            }
            if (assessments != null) {
                assessments.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Eyes stopped");
    }

    private static Duration remaining(long end, double share) {
        long left = end - System.nanoTime();
        return Duration.ofNanos(Math.max(1_000_000, (long) (left * share)));
    }

    public List<Source> sources() {
        return sources;
    }

    public EventLoop loop() {
        return loop;
    }

    public Recorder recorder() {
        return recorder;
    }

    public Database database() {
        return database;
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    public AssessmentStore assessments() {
        return assessments;
    }

    /** The alert stage (queue depth and counters for health pages). */
    public AlertManager alerts() {
        return alerts;
    }

    /** The triage API on this observer's database. */
    public SqliteAlertStore alertStore() {
        return alertStore;
    }

    public Options options() {
        return options;
    }

    /** The dashboard, or null when {@code web.enabled} is false (or before {@link #start}). */
    public WebServer web() {
        return web;
    }

    /** What the dashboard's health page and banner show (null while the dashboard is off). */
    public HealthSource health() {
        return activeHealth;
    }

    /** The AI backend's reachability. */
    public BackendHealth backendHealth() {
        return backendHealth;
    }

    /** Mounts a Prometheus handler at the dashboard's {@code /metrics}; call before {@link #start}. */
    public void setMetricsHandler(HttpHandler handler) {
        this.metricsHandler = handler;
    }

    /** Replaces the dashboard's health model (e.g. self-monitoring's); call before {@link #start}. */
    public void setHealthSource(HealthSource source) {
        this.healthSource = source;
    }
}
