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
 * wire format.
 *
 * @param at        when the snapshot was taken
 * @param pid       the observer's process id (a value, never a metric label)
 * @param state     the observer's life cycle
 * @param sources   every source, log and resource
 * @param ai        the analysis stage; null while it is not wired (issue 4 fills it)
 * @param alerts    the alert stage; null while it is not wired (issue 5 fills it)
 * @param warnings  the self-monitoring warnings that hold now (memory, AI latency, notification success)
 */
public record Health(Instant at, long pid, String version, State state, Instant startedAt,
                     List<SourceHealth> sources, EventLoopHealth eventLoop, StoreHealth store, AiHealth ai,
                     AlertHealth alerts, ProcessHealth process, SamplingHealth sampling, List<Warning> warnings) {

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
            return state.equals("running") || state.equals("starting");
        }
    }

    /** The event loop's queues: log events wait (backpressure), samples are dropped oldest-first and counted. */
    public record EventLoopHealth(int queueDepth, int queueCapacity, int sampleQueueDepth, int sampleQueueCapacity,
                                  long eventsAccepted, long eventsProcessed, long samplesDropped) {
    }

    /**
     * The SQLite store.
     *
     * @param backlog    writes queued for the single writer
     * @param lastError  the write error while writes are failing and being retried; null when they succeed
     * @param candidates stored candidates by analysis status (pending, analyzed, failed, not_done)
     */
    public record StoreHealth(String path, int backlog, long storedTriggers, long failedWrites, String lastError,
                              Instant lastErrorAt, Map<String, Long> candidates) {
        public StoreHealth {
            candidates = candidates == null ? Map.of() : Map.copyOf(candidates);
        }
    }

    /**
     * The analysis stage (filled by issue 4 through {@link SelfMonitor#setAiHealth}).
     *
     * @param reachable true/false once the backend was tried, null before
     * @param detail    e.g. "AI backend not reachable at http://localhost:11434: start Ollama or configure [ai]"
     */
    public record AiHealth(String backend, String model, String endpoint, Boolean reachable, String detail, int queued,
                           int running, int retrying) {
    }

    /** The alert stage (filled by issue 5 through {@link SelfMonitor#setAlertHealth}). */
    public record AlertHealth(int queueDepth, int queueCapacity, String detail) {
    }

    /**
     * Eyes' own process.
     *
     * @param rssBytes   resident set size; -1 when it cannot be read here
     * @param cpuPercent CPU used since the previous snapshot, percent of one core; null for the first snapshot
     */
    public record ProcessHealth(long rssBytes, long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes,
                                Double cpuPercent, int threads, long uptimeSeconds) {
    }

    /**
     * Adaptive sampling of the metrics and disk sources.
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

    /** {@code ok} or {@code degraded}: the dashboard's banner shows {@link #problems()} when degraded. */
    public String status() {
        return problems().isEmpty() ? "ok" : "degraded";
    }

    /** One sentence per thing that is wrong, for a banner or an agent. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (state != State.RUNNING) {
            out.add("the observer is " + state.wireName());
        }
        for (SourceHealth s : sources) {
            if (!s.healthy() && !s.state().equals("stopped")) {
                out.add(s.name() + " is " + s.state() + (s.reason().isEmpty() ? "" : ": " + s.reason()));
            }
        }
        if (store != null && store.lastError() != null) {
            out.add("writes to " + store.path() + " are failing: " + store.lastError());
        }
        if (ai != null && Boolean.FALSE.equals(ai.reachable())) {
            out.add(ai.detail() == null || ai.detail().isEmpty() ? "the AI backend is not reachable" : ai.detail());
        }
        for (Warning w : warnings) {
            out.add(w.message());
        }
        return out;
    }

    /** The age of this snapshot at {@code now}. */
    public Duration age(Instant now) {
        return Duration.between(at, now);
    }
}
