package dev.eyes.web;

import dev.eyes.store.EventJson;
import dev.eyes.store.Timestamps;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How Eyes itself is doing, as {@code GET /api/health}, the Health page and the banner show it. {@code problems}
 * are sentences for a person ("AI backend not reachable at http://localhost:11434: start Ollama or configure
 * [ai]"); the status is {@code ok} without problems, {@code degraded} with warnings, {@code failing} with a
 * critical one (nothing is being stored).
 *
 * @param sources  every source, running or not, and those that could not start
 * @param ai       the analysis backend and queues; null when there is no analyzer
 * @param alerts   the alert stage; null when there is none
 * @param store    the store writer; null when there is none
 * @param pipeline the event loop; null when there is none
 */
public record Health(Instant checkedAt, List<Problem> problems, List<SourceHealth> sources, AiHealth ai,
                     AlertsHealth alerts, StoreHealth store, PipelineHealth pipeline) implements HealthReport {
    public static final String OK = "ok";
    public static final String DEGRADED = "degraded";
    public static final String FAILING = "failing";

    public Health {
        problems = List.copyOf(problems);
        sources = List.copyOf(sources);
    }

    /** @param level warning | critical */
    public record Problem(String component, String level, String message) {
        public static Problem warning(String component, String message) {
            return new Problem(component, "warning", message);
        }

        public static Problem critical(String component, String message) {
            return new Problem(component, "critical", message);
        }
    }

    /** @param state starting | running | degraded | unavailable | stopped */
    public record SourceHealth(String name, String state, String reason, int restarts, Instant since) {
    }

    /**
     * @param reachable the server answered its last check (or the last analysis)
     * @param ready     reachable and has the model
     * @param message   the last check's outcome, in words
     */
    public record AiHealth(String backend, String model, String target, boolean reachable, boolean ready,
                           String message, Instant checkedAt, boolean automaticAnalysis, int running, int queued,
                           int retrying, int maxConcurrent, long analyzed, long failed) {
    }

    public record AlertsHealth(int queued, int queueSize, int inFlight, int inbox, long delivered,
                               long deliveryFailed, long suppressed, long silenced, long dropped,
                               int deliveredLastMinute, int rateLimitPerMinute, List<String> notifiers) {
        public AlertsHealth {
            notifiers = List.copyOf(notifiers);
        }
    }

    /** @param backlog writes waiting for the writer thread */
    public record StoreHealth(String path, boolean writing, int backlog, long storedTriggers, long failedWrites,
                              String lastError, Instant lastErrorAt) {
    }

    /** @param maxQueueDepth the most log events that waited in the queue at once since the start */
    public record PipelineHealth(int queueDepth, int maxQueueDepth, int queueCapacity, long acceptedEvents,
                                 long droppedSamples) {
    }

    @Override
    public String status() {
        if (problems.isEmpty()) {
            return OK;
        }
        return problems.stream().anyMatch(p -> p.level().equals("critical")) ? FAILING : DEGRADED;
    }

    private static void time(ObjectNode n, String k, Instant t) {
        if (t == null) {
            n.putNull(k);
        } else {
            n.put(k, Timestamps.format(t));
        }
    }

    /** The status and the problems: what the banner and the {@code health} live event carry. */
    @Override
    public ObjectNode summaryJson() {
        ObjectNode n = EventJson.MAPPER.createObjectNode();
        n.put("status", status());
        time(n, "checked_at", checkedAt);
        ArrayNode a = n.putArray("problems");
        for (Problem p : problems) {
            a.addObject().put("component", p.component()).put("level", p.level()).put("message", p.message());
        }
        return n;
    }

    @Override
    public ObjectNode json() {
        ObjectNode n = summaryJson();
        ArrayNode s = n.putArray("sources");
        for (SourceHealth x : sources) {
            ObjectNode o = s.addObject();
            o.put("name", x.name());
            o.put("state", x.state());
            o.put("reason", x.reason());
            o.put("restarts", x.restarts());
            time(o, "since", x.since());
        }
        if (ai == null) {
            n.putNull("ai");
        } else {
            ObjectNode o = n.putObject("ai");
            o.put("backend", ai.backend());
            o.put("model", ai.model());
            o.put("target", ai.target());
            o.put("reachable", ai.reachable());
            o.put("ready", ai.ready());
            o.put("message", ai.message());
            time(o, "checked_at", ai.checkedAt());
            o.put("automatic_analysis", ai.automaticAnalysis());
            o.put("running", ai.running());
            o.put("queued", ai.queued());
            o.put("retrying", ai.retrying());
            o.put("max_concurrent", ai.maxConcurrent());
            o.put("analyzed", ai.analyzed());
            o.put("failed", ai.failed());
        }
        if (alerts == null) {
            n.putNull("alerts");
        } else {
            ObjectNode o = n.putObject("alerts");
            o.put("queued", alerts.queued());
            o.put("queue_size", alerts.queueSize());
            o.put("in_flight", alerts.inFlight());
            o.put("inbox", alerts.inbox());
            o.put("delivered", alerts.delivered());
            o.put("delivery_failed", alerts.deliveryFailed());
            o.put("suppressed", alerts.suppressed());
            o.put("silenced", alerts.silenced());
            o.put("dropped", alerts.dropped());
            o.put("delivered_last_minute", alerts.deliveredLastMinute());
            o.put("rate_limit_per_minute", alerts.rateLimitPerMinute());
            ArrayNode nn = o.putArray("notifiers");
            alerts.notifiers().forEach(nn::add);
        }
        if (store == null) {
            n.putNull("store");
        } else {
            ObjectNode o = n.putObject("store");
            o.put("path", store.path());
            o.put("writing", store.writing());
            o.put("backlog", store.backlog());
            o.put("stored_triggers", store.storedTriggers());
            o.put("failed_writes", store.failedWrites());
            o.put("last_error", store.lastError());
            time(o, "last_error_at", store.lastErrorAt());
        }
        if (pipeline == null) {
            n.putNull("pipeline");
        } else {
            ObjectNode o = n.putObject("pipeline");
            o.put("queue_depth", pipeline.queueDepth());
            o.put("max_queue_depth", pipeline.maxQueueDepth());
            o.put("queue_capacity", pipeline.queueCapacity());
            o.put("accepted_events", pipeline.acceptedEvents());
            o.put("dropped_samples", pipeline.droppedSamples());
        }
        return n;
    }
}
