package dev.eyes.selfmon;

import dev.eyes.json.JsonTrees;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Health} as JSON, snake_case, timestamps UTC RFC 3339 with microseconds: the payload of the heartbeat row
 * and the body of {@code /api/health}. {@link #parse} reads what {@link #write} wrote and ignores fields it does
 * not know, so an older reader survives a newer writer.
 *
 * <pre>{@code
 * {"status": "ok", "checked_at": "...", "problems": [{"component": "source", "level": "warning", "message": "..."}],
 *  "state": "running", "pid": 123, "version": "0.1.0", "started_at": "...",
 *  "sources": [{"name": "journald", "kind": "log", "parser": "journald-json", "state": "running", "reason": "",
 *               "restarts": 0, "since": "...", "events_ingested": 42, "records_skipped": 0}],
 *  "pipeline": {"queue_depth": 0, "queue_capacity": 8192, "accepted_events": 42, "dropped_samples": 0,
 *               "sample_queue_depth": 0, "sample_queue_capacity": 256, "processed_events": 60,
 *               "max_queue_depth": 12},
 *  "store": {"path": "...", "writing": true, "backlog": 0, "stored_triggers": 1, "failed_writes": 0,
 *            "last_error": null, "last_error_at": null, "candidates": {"pending": 1}},
 *  "ai": null | {"backend", "model", "target", "reachable", "ready", "message", "checked_at", "automatic_analysis",
 *                "running", "queued", "retrying", "max_concurrent", "analyzed", "failed"},
 *  "alerts": null | {"queued", "queue_size", "in_flight", "inbox", "delivered", "delivery_failed", "suppressed",
 *                    "silenced", "dropped", "delivered_last_minute", "rate_limit_per_minute", "notifiers": []},
 *  "process": {"rss_bytes": 52000000, "heap_used_bytes": ..., "heap_committed_bytes": ..., "heap_max_bytes": ...,
 *              "cpu_percent": 0.2, "threads": 19, "uptime_seconds": 600},
 *  "sampling": {"adaptive": true, "base_interval_seconds": 5.0, "interval_seconds": 5.0, "under_pressure": false,
 *               "pressure_reasons": []},
 *  "warnings": [{"kind": "memory", "message": "...", "since": "..."}]}
 * }</pre>
 */
public final class HealthJson {
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private HealthJson() {
    }

    public static String write(Health h) {
        return JsonTrees.write(toNode(h));
    }

    /** The status and the problems only: what a banner (or a live event) needs. */
    public static ObjectNode summary(Health h) {
        ObjectNode n = JsonTrees.object();
        n.put("status", h.status());
        n.put("checked_at", time(h.checkedAt()));
        ArrayNode problems = n.putArray("problems");
        for (Health.Problem p : h.problems()) {
            problems.addObject().put("component", p.component()).put("level", p.level()).put("message", p.message());
        }
        return n;
    }

    public static ObjectNode toNode(Health h) {
        ObjectNode n = summary(h);
        n.put("state", h.state().wireName());
        n.put("pid", h.pid());
        n.put("version", h.version());
        n.put("started_at", time(h.startedAt()));
        ArrayNode sources = n.putArray("sources");
        for (Health.SourceHealth s : h.sources()) {
            ObjectNode x = sources.addObject();
            x.put("name", s.name());
            x.put("kind", s.kind());
            x.put("parser", s.parser());
            x.put("state", s.state());
            x.put("reason", s.reason());
            x.put("restarts", s.restarts());
            x.put("since", time(s.since()));
            x.put("events_ingested", s.eventsIngested());
            x.put("records_skipped", s.recordsSkipped());
        }
        Health.PipelineHealth l = h.pipeline();
        if (l == null) {
            n.putNull("pipeline");
        } else {
            ObjectNode x = n.putObject("pipeline");
            x.put("queue_depth", l.queueDepth());
            x.put("queue_capacity", l.queueCapacity());
            x.put("accepted_events", l.acceptedEvents());
            x.put("dropped_samples", l.droppedSamples());
            x.put("sample_queue_depth", l.sampleQueueDepth());
            x.put("sample_queue_capacity", l.sampleQueueCapacity());
            x.put("processed_events", l.processedEvents());
            x.put("max_queue_depth", l.maxQueueDepth());
        }
        Health.StoreHealth s = h.store();
        if (s == null) {
            n.putNull("store");
        } else {
            ObjectNode x = n.putObject("store");
            x.put("path", s.path());
            x.put("writing", s.writing());
            x.put("backlog", s.backlog());
            x.put("stored_triggers", s.storedTriggers());
            x.put("failed_writes", s.failedWrites());
            x.put("last_error", s.lastError());
            x.put("last_error_at", time(s.lastErrorAt()));
            ObjectNode c = x.putObject("candidates");
            s.candidates().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> c.put(e.getKey(), e.getValue()));
        }
        Health.AiHealth ai = h.ai();
        if (ai == null) {
            n.putNull("ai");
        } else {
            ObjectNode x = n.putObject("ai");
            x.put("backend", ai.backend());
            x.put("model", ai.model());
            x.put("target", ai.target());
            x.put("reachable", ai.reachable());
            x.put("ready", ai.ready());
            x.put("message", ai.message());
            x.put("checked_at", time(ai.checkedAt()));
            x.put("automatic_analysis", ai.automaticAnalysis());
            x.put("running", ai.running());
            x.put("queued", ai.queued());
            x.put("retrying", ai.retrying());
            x.put("max_concurrent", ai.maxConcurrent());
            x.put("analyzed", ai.analyzed());
            x.put("failed", ai.failed());
        }
        Health.AlertsHealth al = h.alerts();
        if (al == null) {
            n.putNull("alerts");
        } else {
            ObjectNode x = n.putObject("alerts");
            x.put("queued", al.queued());
            x.put("queue_size", al.queueSize());
            x.put("in_flight", al.inFlight());
            x.put("inbox", al.inbox());
            x.put("delivered", al.delivered());
            x.put("delivery_failed", al.deliveryFailed());
            x.put("suppressed", al.suppressed());
            x.put("silenced", al.silenced());
            x.put("dropped", al.dropped());
            x.put("delivered_last_minute", al.deliveredLastMinute());
            x.put("rate_limit_per_minute", al.rateLimitPerMinute());
            ArrayNode notifiers = x.putArray("notifiers");
            al.notifiers().forEach(notifiers::add);
        }
        Health.ProcessHealth p = h.process();
        if (p == null) {
            n.putNull("process");
        } else {
            ObjectNode x = n.putObject("process");
            x.put("rss_bytes", p.rssBytes());
            x.put("heap_used_bytes", p.heapUsedBytes());
            x.put("heap_committed_bytes", p.heapCommittedBytes());
            x.put("heap_max_bytes", p.heapMaxBytes());
            if (p.cpuPercent() == null) {
                x.putNull("cpu_percent");
            } else {
                x.put("cpu_percent", Math.round(p.cpuPercent() * 1000) / 1000.0);
            }
            x.put("threads", p.threads());
            x.put("uptime_seconds", p.uptimeSeconds());
        }
        Health.SamplingHealth sm = h.sampling();
        if (sm == null) {
            n.putNull("sampling");
        } else {
            ObjectNode x = n.putObject("sampling");
            x.put("adaptive", sm.adaptive());
            x.put("base_interval_seconds", sm.baseIntervalSeconds());
            x.put("interval_seconds", sm.intervalSeconds());
            x.put("under_pressure", sm.underPressure());
            ArrayNode r = x.putArray("pressure_reasons");
            sm.pressureReasons().forEach(r::add);
        }
        ArrayNode warnings = n.putArray("warnings");
        for (Health.Warning w : h.warnings()) {
            ObjectNode x = warnings.addObject();
            x.put("kind", w.kind());
            x.put("message", w.message());
            x.put("since", time(w.since()));
        }
        return n;
    }

    /** Reads a payload written by {@link #write}; throws {@link IllegalArgumentException} when it is not one. */
    public static Health parse(String json) {
        JsonNode n;
        try {
            n = JsonTrees.parse(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a health document: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject() || !n.has("checked_at") || !n.has("state")) {
            throw new IllegalArgumentException("not a health document: no \"checked_at\" or \"state\"");
        }
        Health.State state = Health.State.parse(n.path("state").asString(""));
        if (state == null) {
            throw new IllegalArgumentException("not a health document: unknown state \"" + n.path("state").asString("")
                    + "\"");
        }
        List<Health.SourceHealth> sources = new ArrayList<>();
        for (JsonNode x : n.path("sources")) {
            sources.add(new Health.SourceHealth(x.path("name").asString(""), x.path("kind").asString(""),
                    text(x, "parser"), x.path("state").asString(""), x.path("reason").asString(""),
                    x.path("restarts").asLong(0), instant(x, "since"), x.path("events_ingested").asLong(0),
                    x.path("records_skipped").asLong(0)));
        }
        JsonNode l = n.path("pipeline");
        Health.PipelineHealth pipeline = l.isObject() ? new Health.PipelineHealth(l.path("queue_depth").asInt(0),
                l.path("queue_capacity").asInt(0), l.path("accepted_events").asLong(0),
                l.path("dropped_samples").asLong(0), l.path("sample_queue_depth").asInt(0),
                l.path("sample_queue_capacity").asInt(0), l.path("processed_events").asLong(0),
                l.path("max_queue_depth").asInt(0)) : null;
        JsonNode s = n.path("store");
        Health.StoreHealth store = null;
        if (s.isObject()) {
            Map<String, Long> candidates = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : s.path("candidates").properties()) {
                candidates.put(e.getKey(), e.getValue().asLong(0));
            }
            store = new Health.StoreHealth(s.path("path").asString(""), s.path("writing").asBoolean(true),
                    s.path("backlog").asInt(0), s.path("stored_triggers").asLong(0), s.path("failed_writes").asLong(0),
                    text(s, "last_error"), instant(s, "last_error_at"), candidates);
        }
        JsonNode a = n.path("ai");
        Health.AiHealth ai = a.isObject() ? new Health.AiHealth(text(a, "backend"), text(a, "model"),
                text(a, "target"), a.path("reachable").asBoolean(false), a.path("ready").asBoolean(false),
                text(a, "message"), instant(a, "checked_at"), a.path("automatic_analysis").asBoolean(false),
                a.path("running").asInt(0), a.path("queued").asInt(0), a.path("retrying").asInt(0),
                a.path("max_concurrent").asInt(0), a.path("analyzed").asLong(0), a.path("failed").asLong(0)) : null;
        JsonNode al = n.path("alerts");
        Health.AlertsHealth alerts = null;
        if (al.isObject()) {
            List<String> notifiers = new ArrayList<>();
            al.path("notifiers").forEach(x -> notifiers.add(x.asString("")));
            alerts = new Health.AlertsHealth(al.path("queued").asInt(0), al.path("queue_size").asInt(0),
                    al.path("in_flight").asInt(0), al.path("inbox").asInt(0), al.path("delivered").asLong(0),
                    al.path("delivery_failed").asLong(0), al.path("suppressed").asLong(0),
                    al.path("silenced").asLong(0), al.path("dropped").asLong(0),
                    al.path("delivered_last_minute").asInt(0), al.path("rate_limit_per_minute").asInt(0), notifiers);
        }
        JsonNode p = n.path("process");
        Health.ProcessHealth process = p.isObject() ? new Health.ProcessHealth(p.path("rss_bytes").asLong(-1),
                p.path("heap_used_bytes").asLong(0), p.path("heap_committed_bytes").asLong(0),
                p.path("heap_max_bytes").asLong(0),
                p.path("cpu_percent").isNumber() ? p.path("cpu_percent").asDouble() : null,
                p.path("threads").asInt(0), p.path("uptime_seconds").asLong(0)) : null;
        JsonNode sm = n.path("sampling");
        Health.SamplingHealth sampling = null;
        if (sm.isObject()) {
            List<String> reasons = new ArrayList<>();
            sm.path("pressure_reasons").forEach(r -> reasons.add(r.asString("")));
            sampling = new Health.SamplingHealth(sm.path("adaptive").asBoolean(false),
                    sm.path("base_interval_seconds").asDouble(0), sm.path("interval_seconds").asDouble(0),
                    sm.path("under_pressure").asBoolean(false), reasons);
        }
        List<Health.Warning> warnings = new ArrayList<>();
        for (JsonNode w : n.path("warnings")) {
            warnings.add(new Health.Warning(w.path("kind").asString(""), w.path("message").asString(""),
                    instant(w, "since")));
        }
        return new Health(instant(n, "checked_at"), n.path("pid").asLong(0), n.path("version").asString(""), state,
                instant(n, "started_at"), sources, pipeline, store, ai, alerts, process, sampling, warnings);
    }

    static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }

    private static Instant instant(JsonNode n, String key) {
        String s = text(n, key);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a health document: " + key + " is not a time: \"" + s + "\"");
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asString();
    }
}
