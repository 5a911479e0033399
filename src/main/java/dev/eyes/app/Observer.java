package dev.eyes.app;

import dev.eyes.alert.AlertManager;
import dev.eyes.alert.notify.Notifiers;
import dev.eyes.analysis.Analyzer;
import dev.eyes.analysis.BackendHealth;
import dev.eyes.analysis.InsightSink;
import dev.eyes.analysis.Scheduler;
import dev.eyes.app.RunningSources.Running;
import dev.eyes.config.BindAddress;
import dev.eyes.config.ConfigException;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.config.SelfMonitoringConfig;
import dev.eyes.config.WebConfig;
import dev.eyes.pipeline.CheckpointTracker;
import dev.eyes.pipeline.EventLoop;
import dev.eyes.pipeline.EventProcessor;
import dev.eyes.pipeline.RecentBuffers;
import dev.eyes.rule.Trigger;
import dev.eyes.rule.TriggerEngine;
import dev.eyes.selfmon.AdaptiveSampling;
import dev.eyes.selfmon.Health;
import dev.eyes.selfmon.MetricsHandler;
import dev.eyes.selfmon.ProcessStats;
import dev.eyes.selfmon.SelfMonitor;
import dev.eyes.selfmon.Telemetry;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.Source;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.CandidateStore;
import dev.eyes.store.Database;
import dev.eyes.store.Grouping;
import dev.eyes.store.HeartbeatStore;
import dev.eyes.store.Recorder;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.store.StoreException;
import dev.eyes.store.StoredCandidate;
import dev.eyes.web.LiveAnalyses;
import dev.eyes.web.MetricSeries;
import dev.eyes.web.WebServer;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires and runs everything {@code eyes run} does: sources → event loop (buffers, rules) → recorder (SQLite) →
 * analysis → alerts (the {@link AlertManager}), the dashboard ({@link WebServer}) and self-monitoring beside
 * them. Starts in data-flow order from the back (store first, then the dashboard, sources last) and stops in the
 * opposite order, so nothing is handed to a component that has already stopped; the dashboard stops first, so no
 * change made from it lands in the middle of the shutdown.
 *
 * <p>{@link #reload} applies a new configuration while running (SIGHUP), without losing buffered state: the new
 * rule set and {@code [buffer]} are handed to the event loop as a task (so they change between two events, on the
 * thread that owns them); only sources whose settings changed are restarted, after the loop has processed what
 * they read, and they resume at the position the loop reached (journald cursor, file offset).
 */
public final class Observer {
    private static final Logger LOG = LoggerFactory.getLogger(Observer.class);
    static final String ANALYSIS_DISABLED = "Automatic AI analysis is disabled; use Analyze now to run it manually";
    private static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);

    /** Command-line choices that are not configuration. */
    public record Options(boolean enableNotifications) {
    }

    private final Options options;
    private final Platform platform;
    private final RestartPolicy restartPolicy;
    private final Telemetry telemetry;
    private final Object lifecycle = new Object();
    private final List<Consumer<EyesConfig>> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile EyesConfig config;
    private final RunningSources sources;
    private Map<String, String> savedPositions = Map.of();
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
    private BackendHealth backendHealth;
    private SqliteAlertStore webStore;
    private WebServer web;
    private DashboardEvents dashboard;
    private MetricSeries series;
    private SelfMonitor selfMonitor;
    private HeartbeatStore heartbeats;
    private AdaptiveSampling sampling;
    private final MetricsEndpoint metricsEndpoint;
    private boolean stopping;
    private java.util.function.Consumer<dev.eyes.event.Event> eventTap;

    public Observer(EyesConfig config, Options options, Platform platform, RestartPolicy restartPolicy) {
        this.config = config;
        this.options = options;
        this.platform = platform;
        this.restartPolicy = restartPolicy;
        this.telemetry = new Telemetry(Version.current(), ProcessStats.forThisProcess(), System::nanoTime);
        this.sources = new RunningSources(telemetry);
        this.metricsEndpoint = new MetricsEndpoint(telemetry);
    }

    /** Opens the store, restores checkpoints and cooldowns, starts the writer, the loop, the sources and self-monitoring. */
    public void start() {
        synchronized (lifecycle) {
            start0();
        }
    }

    private void start0() {
        EyesConfig config = this.config;
        try {
            database = Database.open(config.storage().databasePath());
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        candidates = new CandidateStore(database,
                new Grouping(Duration.ofHours(config.alerts().groupWindowHours())));
        Map<String, Instant> cooldowns;
        try {
            savedPositions = Map.copyOf(candidates.loadCheckpoints());
            cooldowns = candidates.loadCooldowns();
        } catch (SQLException e) {
            throw new UserError("cannot read the database " + database.path() + ": " + e.getMessage());
        }
        LogSources.Plan plan = LogSources.plan(config, platform, restartPolicy);
        plan.unavailable().forEach(u -> LOG.warn("log source unavailable: {}", u));
        if (plan.specs().isEmpty()) {
            throw new UserError(noLogSource(plan));
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
        startSelfMonitoring(config);
        if (config.web().enabled()) {
            startWeb();
        }
        // candidates left pending by the last run are queued before new ones
        analyzer.start(true, true, false);
        backendHealth.start();
        recorder = new Recorder(candidates, 10_000, this::onStored);
        recorder.setWriteListener(telemetry::storeWrite);
        RecentBuffers buffers = new RecentBuffers(config.buffer());
        TriggerEngine engine = TriggerEngine.of(TriggerEngine.definitionsFor(config), TriggerEngine.cooldownsFor(config),
                buffers, new TriggerEngine.Listener() {
                    @Override
                    public void onTrigger(Trigger trigger) {
                        Observer.this.onTrigger(trigger);
                    }

                    @Override
                    public void onSuppressed(String rule, String source) {
                        telemetry.ruleSuppressed(rule);
                    }
                });
        engine.restoreCooldowns(cooldowns);
        Recorder writer = recorder;
        CheckpointTracker tracker = new CheckpointTracker(config.storage().checkpointBatch(),
                TimeUnit.MILLISECONDS.toNanos(config.storage().checkpointIntervalMillis()), writer::saveCheckpoints,
                () -> !writer.failing(), Duration.ofSeconds(1));
        loop = new EventLoop(new EventProcessor(buffers, engine, tracker, EventLedger.chain(eventTap, series)), 8192, 256);
        recorder.start();
        loop.start();
        List<Running> started = new ArrayList<>();
        for (LogSources.Spec spec : plan.specs()) {
            Running r = sources.startLog(spec, savedPositions.get(spec.id()), loop);
            started.add(r);
            LOG.info("following {}", r.id());
        }
        MetricSources.Plan resources = MetricSources.build(config, platform, restartPolicy);
        resources.unavailable().forEach(reason -> LOG.warn("resource source unavailable: {}", reason));
        started.addAll(sources.startResources(resources, config.metrics(), loop));
        sources.replace(started);
        sources.logsUnavailable(plan);
        sources.resourcesUnavailable(resources);

        metricsEndpoint.start(config);
        selfMonitor.start();
        LOG.info("Eyes {} is watching {} (database {}, {} rule(s))", Version.current(), platform.display(),
                database.path(), engine.rules().size());
    }

    /**
     * Meters and the health model, before the dashboard (which shows them) and the stages they watch start; the
     * self-checks and heartbeats begin once everything runs.
     */
    private void startSelfMonitoring(EyesConfig config) {
        SelfMonitoringConfig sm = config.selfMonitoring();
        sampling = new AdaptiveSampling(Duration.ofSeconds(config.metrics().intervalSeconds()),
                sm.maxIntervalSeconds(), sm.slowdownFactor(), sm.recoveryFactor(), sources::applyInterval);
        heartbeats = new HeartbeatStore(database);
        selfMonitor = new SelfMonitor(ObserverHealth.settings(sm), telemetry, sampling, heartbeats::write, Version.current(),
                Clock.systemUTC(), System::nanoTime);
        telemetry.bind(ObserverHealth.observed(sources, this::loop, this::recorder, candidates, analyzer));
        selfMonitor.setAiHealth(ObserverHealth.ai(this::config, backendHealth, analyzer));
        selfMonitor.setAlertHealth(ObserverHealth.alerts(this::config, alerts));
        analyzer.addListener(StageMeters.ai(telemetry.ai()));
        Analyzer a = analyzer;
        telemetry.ai().bindQueues(() -> a.stats().ready(), () -> a.stats().running(), () -> a.stats().retrying());
        alerts.addListener(StageMeters.alerts(telemetry.alerts()));
        AlertManager al = alerts;
        telemetry.alerts().bindQueue(() -> al.stats().queued(), config.alerts().queueSize());
    }

    private static String noLogSource(LogSources.Plan plan) {
        return "no log source can start" + (plan.unavailable().isEmpty()
                ? " (logging.sources is \"none\" and no [[logging.files]] are set)"
                : ": " + String.join("; ", plan.unavailable().stream().map(Object::toString).toList()));
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
        SqliteAlertStore changes = webStore;
        try {
            // /metrics on the dashboard: its own token and Host checks apply, as to every route
            web = new WebServer(bind, wc.token(), wc.allowedHosts(), new WebServer.Parts(webStore,
                    new InProcessAnalysis(assessments, analyzer), ObserverHealth.dashboard(selfMonitor), series,
                    new LiveAnalyses(), new MetricsHandler(telemetry, null, false), changes::changeMark));
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
        telemetry.ruleTriggered(t.rule());
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

    /**
     * Called with the new configuration after each successful {@link #reload}, on the reloading thread. Later
     * stages register here (issue 4: {@code observer.onReload(c -> analyzer.reconfigure(c.ai()))}; issue 5 the
     * notifiers and {@code [alerts]}).
     */
    public void onReload(Consumer<EyesConfig> listener) {
        reloadListeners.add(listener);
    }

    /**
     * Applies {@code next} while running. Rejected as a whole ({@link UserError}, nothing changed) when it cannot
     * work: no log source could start, or the {@code /metrics} address is refused. Settings that need a restart
     * ({@code [storage]}, {@code [web]}) keep their running values and are named in the log.
     *
     * @return a one-line summary of what changed
     */
    public String reload(EyesConfig next) throws InterruptedException {
        synchronized (lifecycle) {
            if (stopping || loop == null) {
                throw new UserError("the observer is not running");
            }
            return reload0(next);
        }
    }

    private String reload0(EyesConfig requested) throws InterruptedException {
        EyesConfig old = config;
        List<String> restartNeeded = new ArrayList<>();
        EyesConfig next = requested;
        if (!next.storage().equals(old.storage())) {
            restartNeeded.add(next.storage().databasePath().equals(old.storage().databasePath())
                    ? "[storage]" : "storage.database_path");
            next = next.withStorage(old.storage());
        }
        if (!next.web().equals(old.web())) {
            restartNeeded.add("[web]");
            next = next.withWeb(old.web());
        }
        // everything that can refuse the new configuration is checked before anything changes
        LogSources.Plan logPlan = LogSources.plan(next, platform, restartPolicy);
        if (logPlan.specs().isEmpty()) {
            throw new UserError(noLogSource(logPlan));
        }
        String bind = next.selfMonitoring().metricsBindAddress();
        boolean bindChanged = !bind.equals(old.selfMonitoring().metricsBindAddress());
        if (bindChanged) {
            try {
                ConfigLoader.checkMetricsBind(bind, next.web(), "self_monitoring.metrics_bind_address");
            } catch (ConfigException e) {
                throw new UserError(e.getMessage());
            }
        }
        List<String> changes = new ArrayList<>();

        // rules, cooldown and buffers: on the loop thread, between two events
        EyesConfig applied = next;
        TriggerEngine.Reconfigured rules = await(loop.submit(() -> loop.processor().reconfigure(applied.buffer(),
                TriggerEngine.definitionsFor(applied), TriggerEngine.cooldownFor(applied))), "applying the rules");
        if (rules.rulesChanged()) {
            changes.add("rules " + rules.describe());
        }
        if (rules.cooldownChanged()) {
            changes.add("cooldown " + next.triggers().cooldownSeconds() + " s");
        }
        if (!next.buffer().equals(old.buffer())) {
            changes.add("buffers resized");
        }

        // log sources: only the ones whose settings changed, resuming where the loop got to
        List<Running> resourcesNow = sources.all().stream().filter(r -> !r.kind().equals("log")).toList();
        List<Running> next0 = new ArrayList<>(sources.reconcileLogs(logPlan, () -> {
            Map<String, String> positions = new HashMap<>(savedPositions);
            positions.putAll(await(loop.submit(() -> loop.processor().latestPositions()), "reading positions"));
            return positions;
        }, loop, changes));

        // resource samplers: a new interval alone is applied in place; anything else restarts them
        MetricSources.Plan resourcePlan = null;
        boolean samplersChanged = !RunningSources.resourceSettings(next.metrics())
                .equals(RunningSources.resourceSettings(old.metrics()));
        if (samplersChanged) {
            sources.stopAll(resourcesNow, Duration.ofSeconds(5));
            resourcePlan = MetricSources.build(next, platform, restartPolicy);
            resourcesNow = sources.startResources(resourcePlan, next.metrics(), loop);
            changes.add("samplers restarted");
        }
        next0.addAll(resourcesNow);
        sources.replace(next0);
        sources.logsUnavailable(logPlan);
        if (resourcePlan != null) {
            sources.resourcesUnavailable(resourcePlan);
        }

        // self-monitoring, and the samplers' interval (the base of adaptive sampling)
        selfMonitor.reconfigure(ObserverHealth.settings(next.selfMonitoring()), Duration.ofSeconds(next.metrics().intervalSeconds()));
        if (samplersChanged) {
            sources.applyInterval(sampling.current()); // new samplers start at the base; adaptive sampling may be slower
        }
        if (next.metrics().intervalSeconds() != old.metrics().intervalSeconds()) {
            changes.add("sampling every " + next.metrics().intervalSeconds() + " s");
        }
        if (!next.selfMonitoring().equals(old.selfMonitoring())) {
            changes.add("[self_monitoring]");
        }
        if (bindChanged) {
            metricsEndpoint.restart(next);
            changes.add(bind.isBlank() ? "/metrics server stopped" : "/metrics on " + bind);
        }
        config = next;
        for (Consumer<EyesConfig> l : reloadListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.error("applying the reloaded configuration failed in part: {}", e.toString());
            }
        }
        String summary = (changes.isEmpty() ? "nothing changed" : String.join("; ", changes))
                + (restartNeeded.isEmpty() ? "" : "; needs a restart to change: " + String.join(", ", restartNeeded));
        return summary;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) throws InterruptedException {
        try {
            return f.get(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UserError(what + " failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new UserError(what + " timed out: the event loop did not get to it within "
                    + TASK_TIMEOUT.toSeconds() + " s");
        }
    }

    /** Stops sources, drains the loop, writes what is pending, within {@code deadline} in all. */
    public void stop(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (lifecycle) {
            stopping = true;
        }
        if (selfMonitor != null) {
            selfMonitor.stopping();
        }
        metricsEndpoint.close();
        List<Thread> stoppers = new ArrayList<>();
        WebServer w = web;
        if (w != null) {
            stoppers.add(Thread.ofVirtual().start(() -> w.stop(Duration.ofSeconds(1))));
        }
        for (Running r : sources.all()) {
            stoppers.add(Thread.ofVirtual().start(r.source()::stop));
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
        if (selfMonitor != null) {
            selfMonitor.stop(); // the last heartbeat says "stopped"
        }
        if (heartbeats != null) {
            heartbeats.close();
        }
        if (candidates != null) {
            candidates.close();
        }
        LOG.info("Eyes stopped");
    }

    private static Duration remaining(long end, double share) {
        long left = end - System.nanoTime();
        return Duration.ofNanos(Math.max(1_000_000, (long) (left * share)));
    }

    public List<Source> sources() {
        return sources.sources();
    }

    public EyesConfig config() {
        return config;
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

    /** The AI backend's reachability. */
    public BackendHealth backendHealth() {
        return backendHealth;
    }

    /** The meters ({@code /metrics}). */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Health snapshots ({@code selfMonitor().health()} is {@code /api/health} and the heartbeat); null before {@link #start}. */
    public SelfMonitor selfMonitor() {
        return selfMonitor;
    }

    /** Also sees every event the loop processes, before the rules (tests: {@link EventLedger}); call before start. */
    public void setEventTap(java.util.function.Consumer<dev.eyes.event.Event> tap) {
        this.eventTap = tap;
    }
}
