package dev.eyes.web;

import com.sun.net.httpserver.HttpExchange;
import dev.eyes.json.JsonTrees;
import dev.eyes.selfmon.HealthJson;
import dev.eyes.store.AgentReview;
import dev.eyes.store.AlertException;
import dev.eyes.store.AlertJson;
import dev.eyes.store.AlertListRequest;
import dev.eyes.store.AlertPage;
import dev.eyes.store.AlertRecord;
import dev.eyes.store.AlertStore;
import dev.eyes.store.AutoGroupRule;
import dev.eyes.store.AutoGroupRuleRequest;
import dev.eyes.store.Silence;
import dev.eyes.store.SilenceRequest;
import dev.eyes.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON API under {@code /api/} (see the README for every route). */
final class Api {
    /** How far back {@code /api/metrics/series} looks without {@code from}. */
    static final Duration DEFAULT_SERIES_SPAN = Duration.ofHours(1);
    static final String DASHBOARD = "dashboard";

    private final WebServer.Parts parts;
    private final AlertStore alerts;
    private final EventHub hub;
    private final Semaphore storeSlots;
    private final java.util.function.LongSupplier refused;

    Api(WebServer.Parts parts, EventHub hub, Semaphore storeSlots, java.util.function.LongSupplier refused) {
        this.parts = parts;
        this.alerts = parts.alerts();
        this.hub = hub;
        this.storeSlots = storeSlots;
        this.refused = refused;
    }

    void route(Request r) throws IOException, StoreException {
        List<String> s = r.segments;
        String area = s.size() > 1 ? s.get(1) : "";
        switch (area) {
            case "alerts" -> alerts(r, s);
            case "auto-group-rules" -> rules(r, s);
            case "silences" -> silences(r, s);
            case "health" -> {
                only(r, s.size() == 2, "GET");
                ObjectNode n = HealthJson.toNode(parts.health().health());
                ObjectNode web = n.putObject("web");
                web.put("live_clients", hub.clients());
                web.put("dropped_live_clients", hub.droppedClients());
                web.put("refused_requests", refused.getAsLong());
                json(r.exchange, 200, n);
            }
            case "metrics" -> {
                if (s.size() != 3 || !s.get(2).equals("series")) {
                    throw HttpError.notFound("no such API route: " + Request.clip(r.path));
                }
                only(r, true, "GET");
                series(r);
            }
            case "stream" -> {
                only(r, s.size() == 2, "GET");
                String last = r.header("Last-Event-ID");
                hub.serve(r.exchange, last != null ? last : r.param("last_event_id"));
            }
            default -> throw HttpError.notFound("no such API route: " + Request.clip(r.path));
        }
    }

    /** 404 unless the route exists; 405 unless the method is one of {@code allowed}. */
    private static void only(Request r, boolean exists, String allowed) {
        if (!exists) {
            throw HttpError.notFound("no such API route: " + Request.clip(r.path));
        }
        for (String m : allowed.split(", ")) {
            if (m.equals(r.method)) {
                return;
            }
        }
        throw HttpError.methodNotAllowed(r.method, allowed);
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T call() throws StoreException;
    }

    /** A store call, at most {@link WebServer#STORE_CONCURRENCY} at once. */
    private <T> T store(StoreCall<T> c) throws StoreException {
        try {
            storeSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "Eyes is stopping");
        }
        try {
            return c.call();
        } finally {
            storeSlots.release();
        }
    }

    // ---- alerts ---------------------------------------------------------------------------------------------

    private void alerts(Request r, List<String> s) throws IOException, StoreException {
        if (s.size() == 2) {
            only(r, true, "GET");
            list(r);
            return;
        }
        long id = r.id(2, "alert");
        if (s.size() == 3) {
            only(r, true, "GET");
            AlertRecord a = store(() -> alerts.getAlert(id));
            ObjectNode n = AlertJson.record(a);
            ObjectNode live = parts.live().json(id);
            if (live == null) {
                n.putNull("live_analysis");
            } else {
                n.set("live_analysis", live);
            }
            json(r.exchange, 200, n);
            return;
        }
        if (s.size() != 4) {
            throw HttpError.notFound("no such API route: " + Request.clip(r.path));
        }
        switch (s.get(3)) {
            case "analyze" -> {
                only(r, true, "POST");
                r.json();
                store(() -> {
                    parts.analysis().request(id);
                    return null;
                });
                updated(id, "analysis_requested");
                ObjectNode n = JsonTrees.object();
                n.put("candidate_id", id);
                n.put("analysis_status", "pending");
                json(r.exchange, 202, n);
            }
            case "resolve" -> {
                only(r, true, "POST");
                ObjectNode body = r.json();
                String by = orDefault(Request.text(body, "resolved_by"), DASHBOARD);
                String text = orDefault(Request.text(body, "resolution"), "Resolved from the dashboard");
                AgentReview review = store(() -> alerts.resolveAlert(id, by, text));
                updated(id, "resolved");
                ObjectNode n = JsonTrees.object();
                n.set("review", AlertJson.review(review));
                json(r.exchange, 200, n);
            }
            case "acknowledge" -> {
                only(r, true, "POST");
                ObjectNode body = r.json();
                String by = orDefault(Request.text(body, "acknowledged_by"), DASHBOARD);
                String note = Request.text(body, "note");
                AlertRecord root = store(() -> alerts.acknowledgeAlert(id, by, note));
                updated(root.id(), "acknowledged");
                json(r.exchange, 200, AlertJson.record(root));
            }
            default -> throw HttpError.notFound("no such API route: " + Request.clip(r.path));
        }
    }

    private void list(Request r) throws IOException, StoreException {
        Boolean acknowledged = r.param("acknowledged") == null ? null : r.boolParam("acknowledged", false);
        AlertListRequest req = new AlertListRequest(r.intParam("page"), r.intParam("page_size"), r.param("sort"),
                r.param("order"), r.boolParam("show_resolved", false), r.param("severity"), r.param("status"),
                r.param("alert_status"), r.param("rule"), r.param("source"), r.param("q"), acknowledged);
        AlertPage page = store(() -> alerts.listAlerts(req));
        ObjectNode n = AlertJson.page(page);
        for (JsonNode row : (ArrayNode) n.get("alerts")) {
            ((ObjectNode) row).put("analysis_live", parts.live().running(row.get("id").asLong()));
        }
        json(r.exchange, 200, n);
    }

    /** Tells live clients that an alert changed through the API. */
    private void updated(long id, String change) {
        ObjectNode n = JsonTrees.object();
        n.put("id", id);
        n.put("change", change);
        hub.publish("alert_updated", n);
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    // ---- auto-group rules -------------------------------------------------------------------------------------

    private void rules(Request r, List<String> s) throws IOException, StoreException {
        if (s.size() == 2) {
            only(r, true, "GET, POST");
            if (r.method.equals("GET")) {
                json(r.exchange, 200, AlertJson.rules(store(alerts::listAutoGroupRules)));
                return;
            }
            ObjectNode body = r.json();
            Long target = Request.number(body, "target_alert_id");
            if (target == null) {
                throw AlertException.invalid("Invalid auto-group rule: target_alert_id is required");
            }
            AutoGroupRuleRequest req = new AutoGroupRuleRequest(target, Request.text(body, "process"),
                    Request.text(body, "subsystem"), Request.text(body, "trigger_source"),
                    Request.text(body, "triggered_by"), Request.text(body, "message_regex"));
            AutoGroupRule rule = store(() -> alerts.createAutoGroupRule(req));
            hub.publish("rules_changed", AlertJson.rule(rule));
            r.exchange.getResponseHeaders().set("Location", "/api/auto-group-rules/" + rule.id());
            json(r.exchange, 201, AlertJson.rule(rule));
            return;
        }
        only(r, s.size() == 3, "DELETE");
        long id = r.id(2, "rule");
        AutoGroupRule rule = store(() -> alerts.deleteAutoGroupRule(id));
        hub.publish("rules_changed", AlertJson.rule(rule));
        json(r.exchange, 200, AlertJson.rule(rule));
    }

    // ---- silences -------------------------------------------------------------------------------------------

    private void silences(Request r, List<String> s) throws IOException, StoreException {
        if (s.size() == 2) {
            only(r, true, "GET, POST");
            if (r.method.equals("GET")) {
                boolean expired = r.boolParam("include_expired", false);
                json(r.exchange, 200, AlertJson.silences(store(() -> alerts.listSilences(expired))));
                return;
            }
            ObjectNode body = r.json();
            SilenceRequest req = new SilenceRequest(orDefault(Request.text(body, "created_by"), DASHBOARD),
                    Request.text(body, "comment"),
                    SilenceRequest.parseTime("starts_at", Request.text(body, "starts_at")),
                    SilenceRequest.parseTime("ends_at", Request.text(body, "ends_at")),
                    SilenceRequest.parseDuration("duration", Request.text(body, "duration")),
                    Request.text(body, "rule"), Request.text(body, "source"), Request.text(body, "process"),
                    Request.text(body, "subsystem"), Request.text(body, "minimum_severity"),
                    Request.text(body, "message_regex"));
            Silence silence = store(() -> alerts.createSilence(req));
            hub.publish("silences_changed", AlertJson.silence(silence));
            r.exchange.getResponseHeaders().set("Location", "/api/silences/" + silence.id());
            json(r.exchange, 201, AlertJson.silence(silence));
            return;
        }
        only(r, s.size() == 3, "GET, DELETE");
        long id = r.id(2, "silence");
        if (r.method.equals("GET")) {
            json(r.exchange, 200, AlertJson.silence(store(() -> alerts.getSilence(id))));
            return;
        }
        Silence silence = store(() -> alerts.expireSilence(id));
        hub.publish("silences_changed", AlertJson.silence(silence));
        json(r.exchange, 200, AlertJson.silence(silence));
    }

    // ---- metrics series -------------------------------------------------------------------------------------

    private void series(Request r) throws IOException {
        Instant now = Instant.now();
        Instant to = time(r, "to", now);
        Instant from = time(r, "from", to.minus(DEFAULT_SERIES_SPAN));
        if (from.isAfter(to)) {
            throw HttpError.badRequest("from must not be after to");
        }
        json(r.exchange, 200, parts.series().json(from, to));
    }

    /** An RFC 3339 time or epoch milliseconds. */
    static Instant time(Request r, String name, Instant dflt) {
        String v = r.param(name);
        if (v == null) {
            return dflt;
        }
        if (v.matches("-?\\d{1,15}")) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw HttpError.badRequest(name + " must be an RFC 3339 time (2026-03-01T10:00:00Z) or epoch "
                    + "milliseconds, not '" + Request.clip(v) + "'");
        }
    }

    // ---- responses ------------------------------------------------------------------------------------------

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JsonTrees.bytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
