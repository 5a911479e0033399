package dev.eyes.app;

import dev.eyes.alert.AlertManager;
import dev.eyes.analysis.AnalysisListener;
import dev.eyes.analysis.AnalyzedCandidate;
import dev.eyes.json.JsonTrees;
import dev.eyes.store.AlertStatus;
import dev.eyes.store.StoredCandidate;
import dev.eyes.store.Timestamps;
import dev.eyes.web.EventHub;
import dev.eyes.web.LiveAnalyses;
import dev.eyes.web.WebServer;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the observer tells the dashboard as it happens, turned into live events (in the order they happen):
 * {@code candidate} (a trigger was stored), {@code analysis_started}, {@code analysis_text} (each piece the model
 * streams), {@code analysis_finished}, {@code analysis_failed}, {@code analysis_skipped}, {@code alert_status}
 * (the alert stage stored a status). Every method only publishes: it never blocks its caller (the store writer,
 * an analysis thread, the alert stage).
 */
final class DashboardEvents implements AnalysisListener, AlertManager.Listener {
    /** Longer trigger reasons are cut in the live event (the API has them whole). */
    static final int REASON_CHARS = 500;

    private final EventHub hub;
    private final LiveAnalyses live;

    DashboardEvents(WebServer server) {
        this.hub = server.events();
        this.live = server.live();
    }

    private static ObjectNode node(long id) {
        ObjectNode n = JsonTrees.object();
        n.put("id", id);
        return n;
    }

    /** A trigger was stored (on the writer thread, right after the commit). */
    void stored(StoredCandidate c) {
        ObjectNode n = node(c.id());
        n.put("triggered_at", Timestamps.format(c.trigger().timestamp()));
        n.put("triggered_by", c.trigger().rule());
        n.put("trigger_source", c.trigger().source());
        n.put("expected_severity", c.trigger().expectedSeverity().wireName());
        String reason = c.trigger().reason();
        n.put("trigger_reason", reason.length() > REASON_CHARS ? reason.substring(0, REASON_CHARS) + "…" : reason);
        n.put("analysis_status", c.status().wireName());
        hub.publish("candidate", n);
    }

    @Override
    public void started(long candidateId, int attempt, String backend, String model) {
        live.started(candidateId, attempt, backend, model);
        ObjectNode n = node(candidateId);
        n.put("attempt", attempt);
        n.put("backend", backend);
        n.put("model", model);
        hub.publish("analysis_started", n);
    }

    @Override
    public void text(long candidateId, String chunk) {
        live.text(candidateId, chunk);
        ObjectNode n = node(candidateId);
        n.put("text", chunk);
        hub.publish("analysis_text", n);
    }

    @Override
    public void finished(AnalyzedCandidate a) {
        live.ended(a.candidateId());
        ObjectNode n = node(a.candidateId());
        n.put("summary", a.insight().summary());
        n.put("severity", a.insight().severity().wireName());
        n.put("backend", a.metadata().backend());
        n.put("model", a.metadata().model());
        n.put("latency_ms", a.metadata().latencyMillis());
        hub.publish("analysis_finished", n);
    }

    @Override
    public void failed(long candidateId, int attempt, String reason, boolean willRetry) {
        if (willRetry) {
            live.retrying(candidateId, reason);
        } else {
            live.ended(candidateId);
        }
        ObjectNode n = node(candidateId);
        n.put("attempt", attempt);
        n.put("reason", reason);
        n.put("will_retry", willRetry);
        hub.publish("analysis_failed", n);
    }

    @Override
    public void skipped(long candidateId, String why) {
        live.ended(candidateId);
        ObjectNode n = node(candidateId);
        n.put("reason", why);
        hub.publish("analysis_skipped", n);
    }

    @Override
    public void changed(long candidateId, AlertStatus status, String reason) {
        ObjectNode n = node(candidateId);
        n.put("status", status.wireName());
        n.put("reason", reason);
        hub.publish("alert_status", n);
    }
}
