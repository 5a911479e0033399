package dev.eyes.selfmon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Eyes' meters, in one Micrometer {@link PrometheusMeterRegistry}, all named {@code eyes_…}, every label
 * low-cardinality (source, kind, parser, rule, status, notifier, backend, operation — never a message, a PID or a
 * URL; {@link LabelGuard} caps each). Almost everything is read when scraped, from counters the components keep
 * anyway (function counters and gauges: nothing on the ingest path); the one per-event cost is a
 * {@link LongAdder} increment per event ingested ({@link #ingestCounter}).
 *
 * <p>Meters (Prometheus names):
 * <ul>
 *   <li>{@code eyes_events_ingested_total{source,kind}} — events each source handed to the pipeline;</li>
 *   <li>{@code eyes_parser_records_total{parser}}, {@code eyes_parser_records_malformed_total{parser}} — records
 *       decoded, and skipped as malformed;</li>
 *   <li>{@code eyes_event_queue_depth}, {@code eyes_event_queue_capacity}, {@code eyes_sample_queue_depth},
 *       {@code eyes_events_processed_total}, {@code eyes_samples_dropped_total} — the event loop (log events are
 *       never dropped: they wait; samples are dropped oldest-first, every drop counted);</li>
 *   <li>{@code eyes_source_state{source,state}} (1 for the current state), {@code eyes_source_restarts_total{source}};</li>
 *   <li>{@code eyes_rule_evaluations_total{rule}}, {@code eyes_rule_triggers_total{rule}},
 *       {@code eyes_rule_cooldown_suppressions_total{rule}}, {@code eyes_candidates{status}};</li>
 *   <li>{@code eyes_store_write_seconds{operation}} (histogram), {@code eyes_store_backlog},
 *       {@code eyes_store_triggers_stored_total}, {@code eyes_store_write_failures_total}, {@code eyes_store_failing};</li>
 *   <li>{@code eyes_process_resident_memory_bytes}, {@code eyes_process_cpu_seconds_total},
 *       {@code eyes_process_threads}, {@code eyes_process_open_fds}, {@code eyes_process_start_time_seconds},
 *       {@code eyes_jvm_heap_used_bytes}, {@code eyes_jvm_heap_committed_bytes}, {@code eyes_jvm_heap_max_bytes};</li>
 *   <li>{@code eyes_sampling_interval_seconds}, {@code eyes_self_pressure}, {@code eyes_self_warning{kind}},
 *       {@code eyes_heartbeat_failures_total}, {@code eyes_build_info{version}};</li>
 *   <li>the analysis and alert stages' meters: {@link AiMeters}, {@link AlertMeters}.</li>
 * </ul>
 */
public final class Telemetry {
    static final Set<String> SOURCE_STATES = Set.of("starting", "running", "degraded", "unavailable", "stopped");
    static final List<String> CANDIDATE_STATUSES = List.of("pending", "analyzed", "failed", "not_done");
    static final List<String> WARNING_KINDS = List.of("memory", "ai_latency", "notification_success");
    private static final Duration[] WRITE_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProcessStats process;
    private final AiMeters ai;
    private final AlertMeters alerts;
    private final LabelGuard sourceNames = new LabelGuard("source", 64);
    private final LabelGuard parserNames = new LabelGuard("parser", 16);
    private final LabelGuard ruleNames = new LabelGuard("rule", 32);
    private final Map<String, LongAdder> ingest = new ConcurrentHashMap<>();
    private final Map<String, Counter> triggers = new ConcurrentHashMap<>();
    private final Map<String, Counter> suppressions = new ConcurrentHashMap<>();
    private final Map<String, Timer> writes = new ConcurrentHashMap<>();
    private final Counter heartbeatFailures;
    private volatile Observed observed = Observed.NONE;
    // refreshed before each scrape and at each heartbeat; meters read these
    private final Map<String, Health.SourceHealth> sources = new ConcurrentHashMap<>();
    private final Map<String, Observed.ParserCounts> parsers = new ConcurrentHashMap<>();
    private final Map<String, Long> evaluations = new ConcurrentHashMap<>();
    private final Map<String, Long> candidates = new ConcurrentHashMap<>();
    private volatile double samplingIntervalSeconds = Double.NaN;
    private volatile boolean pressure;
    private final Map<String, Boolean> warnings = new ConcurrentHashMap<>();

    public Telemetry(String version, ProcessStats process, LongSupplier nanoClock) {
        this.process = process;
        this.ai = new AiMeters(registry);
        this.alerts = new AlertMeters(registry, nanoClock);
        MeterRegistry r = registry;
        Gauge.builder("eyes.build.info", () -> 1).description("Eyes' version (always 1)")
                .tag("version", version).register(r);
        gauge("eyes.process.resident.memory", "bytes", "Resident set size of the Eyes process",
                p -> nonNegative(p.rssBytes()));
        FunctionCounter.builder("eyes.process.cpu", process, p -> p.cpuNanos() < 0 ? Double.NaN : p.cpuNanos() / 1e9)
                .baseUnit("seconds").description("CPU time used by the Eyes process (user + system)").register(r);
        gauge("eyes.process.threads", null, "Native threads of the Eyes process", p -> nonNegative(p.threads()));
        gauge("eyes.process.open.fds", null, "Open file descriptors of the Eyes process",
                p -> nonNegative(p.openFiles()));
        gauge("eyes.process.start.time", "seconds", "Start time of the Eyes process, seconds since the epoch",
                p -> p.startTime().toEpochMilli() / 1000.0);
        gauge("eyes.jvm.heap.used", "bytes", "Java heap in use", ProcessStats::heapUsedBytes);
        gauge("eyes.jvm.heap.committed", "bytes", "Java heap committed", ProcessStats::heapCommittedBytes);
        gauge("eyes.jvm.heap.max", "bytes", "Java heap limit (-Xmx)", ProcessStats::heapMaxBytes);

        Gauge.builder("eyes.event.queue.depth", this, t -> loopValue(t, Health.PipelineHealth::queueDepth))
                .description("Log events waiting in the event loop's queue").register(r);
        Gauge.builder("eyes.event.queue.capacity", this, t -> loopValue(t, Health.PipelineHealth::queueCapacity))
                .description("Capacity of the event loop's queue").register(r);
        Gauge.builder("eyes.sample.queue.depth", this, t -> loopValue(t, Health.PipelineHealth::sampleQueueDepth))
                .description("Metrics and disk samples waiting in the event loop").register(r);
        FunctionCounter.builder("eyes.events.processed", this,
                        t -> loopValue(t, l -> (double) l.processedEvents()))
                .description("Events the event loop has finished with").register(r);
        FunctionCounter.builder("eyes.samples.dropped", this, t -> loopValue(t, l -> (double) l.droppedSamples()))
                .description("Metrics and disk samples dropped because the event loop was behind").register(r);

        Gauge.builder("eyes.store.backlog", this, t -> storeValue(t, s -> s.backlog()))
                .description("Writes queued for the SQLite writer").register(r);
        FunctionCounter.builder("eyes.store.triggers.stored", this, t -> storeValue(t, s -> s.storedTriggers()))
                .description("Triggers committed to SQLite").register(r);
        FunctionCounter.builder("eyes.store.write.failures", this, t -> storeValue(t, s -> s.failedWrites()))
                .description("SQLite writes that failed (and were retried)").register(r);
        Gauge.builder("eyes.store.failing", this, t -> storeValue(t, s -> s.lastError() == null ? 0 : 1))
                .description("1 while SQLite writes are failing and being retried").register(r);
        for (String status : CANDIDATE_STATUSES) {
            Gauge.builder("eyes.candidates", candidates, m -> m.getOrDefault(status, 0L))
                    .description("Stored candidates by analysis status (counted at each heartbeat)")
                    .tag("status", status).register(r);
        }

        Gauge.builder("eyes.sampling.interval", this, t -> t.samplingIntervalSeconds).baseUnit("seconds")
                .description("Current interval of the metrics and disk samplers (adaptive sampling)").register(r);
        Gauge.builder("eyes.self.pressure", this, t -> t.pressure ? 1 : 0)
                .description("1 while Eyes considers itself under resource pressure").register(r);
        for (String kind : WARNING_KINDS) {
            Gauge.builder("eyes.self.warning", warnings, m -> m.getOrDefault(kind, false) ? 1 : 0)
                    .description("1 while a self-monitoring warning holds").tag("kind", kind).register(r);
        }
        heartbeatFailures = Counter.builder("eyes.heartbeat.failures")
                .description("Heartbeat writes to SQLite that failed").register(r);
    }

    private void gauge(String name, String unit, String help, ToDoubleFunction<ProcessStats> f) {
        Gauge.Builder<ProcessStats> b = Gauge.builder(name, process, f).description(help);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }

    private static double nonNegative(long v) {
        return v < 0 ? Double.NaN : v;
    }

    private static double loopValue(Telemetry t, ToDoubleFunction<Health.PipelineHealth> f) {
        Health.PipelineHealth l = t.observed.pipeline();
        return l == null ? 0 : f.applyAsDouble(l);
    }

    private static double storeValue(Telemetry t, ToDoubleFunction<Health.StoreHealth> f) {
        Health.StoreHealth s = t.observed.store();
        return s == null ? 0 : f.applyAsDouble(s);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public ProcessStats process() {
        return process;
    }

    /** The analysis stage's hooks (issue 4). */
    public AiMeters ai() {
        return ai;
    }

    /** The alert stage's hooks (issue 5). */
    public AlertMeters alerts() {
        return alerts;
    }

    /** What the meters read; set once the observer runs. */
    public void bind(Observed observed) {
        this.observed = observed == null ? Observed.NONE : observed;
    }

    public Observed observed() {
        return observed;
    }

    /**
     * The counter of events {@code source} hands to the pipeline; the same counter for the same name, so a
     * source restarted by a reload keeps counting up. One {@link LongAdder#increment()} per event.
     *
     * @param kind {@code log}, {@code metrics} or {@code disk}
     */
    public LongAdder ingestCounter(String source, String kind) {
        String name = sourceNames.apply(source);
        return ingest.computeIfAbsent(name + '\n' + kind, k -> {
            LongAdder adder = new LongAdder();
            FunctionCounter.builder("eyes.events.ingested", adder, LongAdder::sum)
                    .description("Events each source handed to the pipeline")
                    .tags("source", name, "kind", kind).register(registry);
            return adder;
        });
    }

    /** Events {@code source} has handed over so far (0 when unknown). */
    public long ingested(String source, String kind) {
        LongAdder a = ingest.get(sourceNames.apply(source) + '\n' + kind);
        return a == null ? 0 : a.sum();
    }

    /** Events of these kinds handed over by all sources so far. */
    public long ingestedTotal(String... kinds) {
        long n = 0;
        for (Map.Entry<String, LongAdder> e : ingest.entrySet()) {
            String kind = e.getKey().substring(e.getKey().indexOf('\n') + 1);
            for (String k : kinds) {
                if (k.equals(kind)) {
                    n += e.getValue().sum();
                }
            }
        }
        return n;
    }

    /** A rule fired (called once per trigger). */
    public void ruleTriggered(String rule) {
        triggers.computeIfAbsent(ruleNames.apply(rule), r -> Counter.builder("eyes.rule.triggers")
                .description("Triggers fired, per rule").tag("rule", r).register(registry)).increment();
    }

    /** A rule's condition held while its (rule, source) was cooling down. */
    public void ruleSuppressed(String rule) {
        suppressions.computeIfAbsent(ruleNames.apply(rule), r -> Counter.builder("eyes.rule.cooldown.suppressions")
                .description("Firings suppressed by the cooldown, per rule").tag("rule", r).register(registry))
                .increment();
    }

    /** One committed SQLite write ({@code trigger} or {@code checkpoint}) took {@code nanos}. */
    public void storeWrite(String operation, long nanos) {
        writes.computeIfAbsent(operation, op -> Timer.builder("eyes.store.write")
                .description("SQLite write latency (one transaction)").tag("operation", op)
                .serviceLevelObjectives(WRITE_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void heartbeatFailed() {
        heartbeatFailures.increment();
    }

    void sampling(double intervalSeconds, boolean underPressure) {
        samplingIntervalSeconds = intervalSeconds;
        pressure = underPressure;
    }

    void warnings(Set<String> active) {
        for (String k : WARNING_KINDS) {
            warnings.put(k, active.contains(k));
        }
    }

    void candidates(Map<String, Long> counts) {
        candidates.clear();
        candidates.putAll(counts);
    }

    /**
     * Reads sources, parsers and rules from the observer and registers meters for names seen for the first time.
     * Called before each scrape and at each heartbeat; returns the sources it read.
     */
    public synchronized List<Health.SourceHealth> refresh() {
        Observed o = observed;
        List<Health.SourceHealth> list = o.sources();
        for (Health.SourceHealth s : list) {
            String name = sourceNames.apply(s.name());
            if (sources.put(name, s) == null) {
                for (String state : SOURCE_STATES) {
                    Gauge.builder("eyes.source.state", sources, m -> state.equals(stateOf(m.get(name))) ? 1 : 0)
                            .description("1 for the state each source is in").tags("source", name, "state", state)
                            .register(registry);
                }
                FunctionCounter.builder("eyes.source.restarts", sources, m -> restartsOf(m.get(name)))
                        .description("Subprocess restarts per source").tag("source", name).register(registry);
            }
        }
        Map<String, Observed.ParserCounts> ps = new HashMap<>();
        o.parsers().forEach((k, v) -> ps.merge(parserNames.apply(k), v,
                (a, b) -> new Observed.ParserCounts(a.read() + b.read(), a.skipped() + b.skipped())));
        ps.forEach((name, counts) -> {
            if (parsers.put(name, counts) == null) {
                FunctionCounter.builder("eyes.parser.records", parsers, m -> m.get(name).read())
                        .description("Records decoded, per parser").tag("parser", name).register(registry);
                FunctionCounter.builder("eyes.parser.records.malformed", parsers, m -> m.get(name).skipped())
                        .description("Malformed records skipped, per parser").tag("parser", name).register(registry);
            }
        });
        o.ruleEvaluations().forEach((rule, n) -> {
            String name = ruleNames.apply(rule);
            if (evaluations.put(name, n) == null) {
                FunctionCounter.builder("eyes.rule.evaluations", evaluations, m -> m.getOrDefault(name, 0L))
                        .description("Events each rule looked at").tag("rule", name).register(registry);
            }
        });
        return list;
    }

    private static String stateOf(Health.SourceHealth s) {
        return s == null ? "" : s.state();
    }

    private static double restartsOf(Health.SourceHealth s) {
        return s == null ? 0 : s.restarts();
    }

    /**
     * The Prometheus exposition of every meter, after a {@link #refresh()}.
     *
     * @param openMetrics OpenMetrics 1.0 text instead of the Prometheus text format 0.0.4
     */
    public void scrape(OutputStream out, boolean openMetrics) throws IOException {
        refresh();
        registry.scrape(out, openMetrics ? OPENMETRICS : TEXT);
    }

    /** The exposition as a string (tests, {@code eyes} diagnostics). */
    public String scrape() {
        refresh();
        return registry.scrape(TEXT);
    }

    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
}
