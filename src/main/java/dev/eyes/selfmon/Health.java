package dev.eyes.selfmon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How Eyes is doing, in one snapshot: the one health model behind {@code /api/health} (dashboard), the heartbeat
 * row the observer writes to SQLite every {@value SelfMonitor#HEARTBEAT_SECONDS} s (read by {@code eyes mcp}'s
 * {@code get_health} and {@code eyes service status}) and the log's warnings. Immutable; {@link HealthJson} is its
 * wire format. {@link #problems()} says, in words that tell a person what to do, what needs attention.
 *
 * @param checkedAt when the snapshot was taken
 * @param pid       the observer's process id (a value, never a metric label)
 * @param state     the observer's life cycle
 * @param sources   every source: running, degraded, and those that could not start
 * @param pipeline  the event loop; null before it runs
 * @param store     the SQLite writer; null before it runs
 * @param ai        the analysis stage; null while there is none (see {@link SelfMonitor#setAiHealth})
 * @param alerts    the alert stage; null while there is none (see {@link SelfMonitor#setAlertHealth})
 * @param sampling  adaptive sampling of the metrics and disk samplers
 * @param warnings  the self-monitoring warnings that hold now (memory, AI latency, notification success)
 */
public record Health(Instant checkedAt, long pid, String version, State state, Instant startedAt,
                     List<SourceHealth> sources, PipelineHealth pipeline, StoreHealth store, AiHealth ai,
                     AlertsHealth alerts, ProcessHealth process, SamplingHealth sampling, List<Warning> warnings) {
    public static final String OK = "ok";
    public static final String DEGRADED = "degraded";
    public static final String FAILING = "failing";
    /** A queue this full is a problem. */
    static final double QUEUE_FULL = 0.9;

    public Health {
        sources = List.copyOf(sources);
        warnings = List.copyOf(warnings);
    }

    /** The observer's life cycle. */
    public enum State {
        STARTING, RUNNING, STOPPING, STOPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String s) {
            for (State x : values()) {
                if (x.wireName().equalsIgnoreCase(s)) {
                    return x;
                }
            }
            return null;
        }
    }

    /**
     * Something that needs attention.
     *
     * @param component {@code source}, {@code pipeline}, {@code store}, {@code ai}, {@code alerts} or {@code self}
     * @param level     {@code warning}, or {@code critical} when nothing is being stored
     */
    public record Problem(String component, String level, String message) {
        public static Problem warning(String component, String message) {
            return new Problem(component, "warning", message);
        }

        public static Problem critical(String component, String message) {
            return new Problem(component, "critical", message);
        }
    }

    /**
     * One source.
     *
     * @param kind           {@code log}, {@code metrics} or {@code disk}
     * @param parser         the decoder of a log source ({@code journald-json}, {@code syslog} …), null for samplers
     * @param state          {@code starting}, {@code running}, {@code degraded}, {@code unavailable}, {@code stopped}
     * @param reason         why it is degraded or unavailable, or which parts of a sampler are unavailable; ""
     * @param restarts       subprocess restarts since Eyes started (kept across a reload)
     * @param eventsIngested events it handed to the pipeline since Eyes started
     * @param recordsSkipped malformed records its parser skipped since Eyes started
     */
    public record SourceHealth(String name, String kind, String parser, String state, String reason, long restarts,
                               Instant since, long eventsIngested, long recordsSkipped) {
        public boolean healthy() {
            return state.equals("running") || state.equals("starting") || state.equals("stopped");
        }
    }

    /**
     * The event loop: log events wait when its queue is full (backpressure), samples are dropped oldest-first and
     * counted.
     */
    public record PipelineHealth(int queueDepth, int queueCapacity, long acceptedEvents, long droppedSamples,
                                 int sampleQueueDepth, int sampleQueueCapacity, long processedEvents,
                                 int maxQueueDepth) {
    }

    /**
     * The SQLite store.
     *
     * @param writing    false while writes fail and are retried
     * @param backlog    writes queued for the single writer
     * @param lastError  the write error while writes are failing, null when they succeed
     * @param candidates stored candidates by analysis status (pending, analyzed, failed, not_done), counted at
     *                   each heartbeat
     */
    public record StoreHealth(String path, boolean writing, int backlog, long storedTriggers, long failedWrites,
                              String lastError, Instant lastErrorAt, Map<String, Long> candidates) {
        public StoreHealth {
            candidates = candidates == null ? Map.of() : Map.copyOf(candidates);
        }
    }

    /**
     * The analysis stage, as the observer's analyzer reports it.
     *
     * @param target    where the backend is (Ollama endpoint or OpenAI-compatible base URL)
     * @param reachable the server answered its last check (or the last analysis)
     * @param ready     reachable and has the model
     * @param message   the last check's outcome, in words
     * @param checkedAt when the backend was last checked, null before the first check
     */
    public record AiHealth(String backend, String model, String target, boolean reachable, boolean ready,
                           String message, Instant checkedAt, boolean automaticAnalysis, int running, int queued,
                           int retrying, int maxConcurrent, long analyzed, long failed) {
    }

    /** The alert stage, as the observer's alert manager reports it. */
    public record AlertsHealth(int queued, int queueSize, int inFlight, int inbox, long delivered,
                               long deliveryFailed, long suppressed, long silenced, long dropped,
                               int deliveredLastMinute, int rateLimitPerMinute, List<String> notifiers) {
        public AlertsHealth {
            notifiers = List.copyOf(notifiers);
        }
    }

    /**
     * Eyes' own process.
     *
     * @param rssBytes   resident set size; -1 when it cannot be read here
     * @param cpuPercent CPU used between the last two heartbeats, percent of one core; null before the second
     * @param threads    native threads (parked virtual threads are not threads); -1 when unknown
     */
    public record ProcessHealth(long rssBytes, long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes,
                                Double cpuPercent, int threads, long uptimeSeconds) {
    }

    /**
     * Adaptive sampling of the metrics and disk samplers.
     *
     * @param pressureReasons why Eyes considers itself under pressure (empty when it does not)
     */
    public record SamplingHealth(boolean adaptive, double baseIntervalSeconds, double intervalSeconds,
                                 boolean underPressure, List<String> pressureReasons) {
        public SamplingHealth {
            pressureReasons = List.copyOf(pressureReasons);
        }
    }

    /**
     * A self-monitoring warning that holds now.
     *
     * @param kind {@code memory}, {@code ai_latency} or {@code notification_success}
     */
    public record Warning(String kind, String message, Instant since) {
    }

    /** {@code ok} without problems, {@code degraded} with warnings, {@code failing} when nothing is being stored. */
    public String status() {
        List<Problem> p = problems();
        if (p.isEmpty()) {
            return OK;
        }
        return p.stream().anyMatch(x -> x.level().equals("critical")) ? FAILING : DEGRADED;
    }

    /** What needs a person, one sentence each, saying what to do where there is something to do. */
    public List<Problem> problems() {
        List<Problem> out = new ArrayList<>();
        for (SourceHealth s : sources) {
            if (!s.healthy()) {
                out.add(Problem.warning("source", s.name() + " is " + s.state()
                        + (s.reason().isBlank() ? "" : ": " + s.reason())));
            }
        }
        if (pipeline != null && pipeline.queueCapacity() > 0
                && pipeline.queueDepth() >= pipeline.queueCapacity() * QUEUE_FULL) {
            out.add(Problem.warning("pipeline", "the event queue is full (" + pipeline.queueDepth() + " of "
                    + pipeline.queueCapacity() + "): log sources are being slowed down"));
        }
        if (store != null && !store.writing()) {
            out.add(Problem.critical("store", "writing to the database " + store.path() + " fails: "
                    + store.lastError() + " — triggers wait in memory and are retried"));
        }
        if (ai != null && ai.checkedAt() != null) {
            if (!ai.reachable()) {
                out.add(Problem.warning("ai", "AI backend not reachable at " + ai.target() + ": "
                        + switch (ai.backend() == null ? "" : ai.backend()) {
                            case "ollama" -> "start Ollama (ollama serve) or configure [ai]";
                            case "openai" -> "start the server or check ai.base_url in [ai]";
                            default -> "check [ai]";
                        } + "; analyses wait and are retried"));
            } else if (!ai.ready()) {
                out.add(Problem.warning("ai", "AI backend not ready: " + ai.message()));
            }
        }
        if (alerts != null && alerts.queueSize() > 0 && alerts.queued() >= alerts.queueSize() * QUEUE_FULL) {
            out.add(Problem.warning("alerts", "the alert queue is nearly full (" + alerts.queued() + " of "
                    + alerts.queueSize() + "): the rate limit (" + alerts.rateLimitPerMinute()
                    + "/min) holds them back; the oldest will be dropped"));
        }
        for (Warning w : warnings) {
            out.add(Problem.warning("self", w.message()));
        }
        return out;
    }

    /** The age of this snapshot at {@code now}. */
    public Duration age(Instant now) {
        return Duration.between(checkedAt, now);
    }
}
