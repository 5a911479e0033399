package dev.eyes.store;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.json.JsonTrees;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of the alert store's results — one place, so the dashboard API and the MCP server answer with
 * the same objects: snake_case keys as in the original (reference §2), times as UTC RFC 3339 with microseconds,
 * severities and statuses lowercase. Absent scalars are {@code null}; lists are omitted when empty (as the
 * original's serde {@code skip_serializing_if = "Vec::is_empty"}). Events use {@link EventJson}'s shapes.
 */
public final class AlertJson {
    private AlertJson() {
    }

    private static void time(ObjectNode n, String key, Instant t) {
        if (t == null) {
            n.putNull(key);
        } else {
            n.put(key, Timestamps.format(t));
        }
    }

    private static void strings(ObjectNode n, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = n.putArray(key);
            values.forEach(a::add);
        }
    }

    /** An alert: every field of {@link AlertRecord}. */
    public static ObjectNode record(AlertRecord r) {
        ObjectNode n = JsonTrees.object();
        n.put("id", r.id());
        time(n, "assessed_at", r.assessedAt());
        time(n, "created_at", r.createdAt());
        time(n, "updated_at", r.updatedAt());
        n.put("summary", r.summary());
        n.put("root_cause", r.rootCause());
        n.put("severity", r.severity().wireName());
        n.put("observation_confidence", r.observationConfidence());
        n.put("diagnosis_confidence", r.diagnosisConfidence());
        strings(n, "recommendations", r.recommendations());
        strings(n, "evidence", r.evidence());
        strings(n, "limitations", r.limitations());
        n.put("notification_title", r.notificationTitle());
        n.put("notification_body", r.notificationBody());
        n.put("status", r.status());
        n.put("status_reason", r.statusReason());
        n.put("silence_id", r.silenceId());
        time(n, "delivery_attempted_at", r.deliveryAttemptedAt());
        time(n, "delivered_at", r.deliveredAt());
        n.put("failure_message", r.failureMessage());
        n.put("analysis_status", r.analysisStatus());
        n.put("analysis_failure", r.analysisFailure());
        if (r.analysis() == null) {
            n.putNull("analysis");
        } else {
            ObjectNode a = n.putObject("analysis");
            time(a, "assessed_at", r.analysis().assessedAt());
            a.put("backend", r.analysis().backend());
            a.put("model", r.analysis().model());
            a.put("latency_ms", r.analysis().latencyMs());
            a.put("attempts", r.analysis().attempts());
            a.put("redaction_count", r.analysis().redactionCount());
        }
        n.put("triggered_by", r.triggeredBy());
        n.put("trigger_source", r.triggerSource());
        n.put("trigger_reason", r.triggerReason());
        n.put("expected_severity", r.expectedSeverity().wireName());
        n.put("log_event_count", r.logEventCount());
        n.put("metrics_event_count", r.metricsEventCount());
        n.put("disk_event_count", r.diskEventCount());
        if (!r.logEvents().isEmpty()) {
            ArrayNode a = n.putArray("log_events");
            for (LogEvent e : r.logEvents()) {
                a.add(EventJson.log(e));
            }
        }
        if (!r.metricsEvents().isEmpty()) {
            ArrayNode a = n.putArray("metrics_events");
            for (MetricsEvent e : r.metricsEvents()) {
                a.add(EventJson.metrics(e));
            }
        }
        if (!r.diskEvents().isEmpty()) {
            ArrayNode a = n.putArray("disk_events");
            for (DiskEvent e : r.diskEvents()) {
                a.add(EventJson.disk(e));
            }
        }
        n.put("group_parent_id", r.groupParentId());
        n.put("resolution_status", r.resolutionStatus());
        time(n, "resolved_at", r.resolvedAt());
        n.put("acknowledged", r.acknowledgedAt() != null);
        time(n, "acknowledged_at", r.acknowledgedAt());
        n.put("acknowledged_by", r.acknowledgedBy());
        n.put("acknowledgement_note", r.acknowledgementNote());
        n.put("similar_alert_count", r.similarAlertCount());
        n.put("agent_review_count", r.agentReviewCount());
        if (!r.agentReviews().isEmpty()) {
            ArrayNode a = n.putArray("agent_reviews");
            r.agentReviews().forEach(x -> a.add(review(x)));
        }
        if (!r.similarAlerts().isEmpty()) {
            ArrayNode a = n.putArray("similar_alerts");
            r.similarAlerts().forEach(x -> a.add(record(x)));
        }
        if (!r.deliveries().isEmpty()) {
            ArrayNode a = n.putArray("deliveries");
            r.deliveries().forEach(x -> a.add(delivery(x)));
        }
        if (!r.transitions().isEmpty()) {
            ArrayNode a = n.putArray("transitions");
            r.transitions().forEach(x -> a.add(transition(x)));
        }
        return n;
    }

    public static ObjectNode summary(AlertSummary s) {
        ObjectNode n = JsonTrees.object();
        n.put("id", s.id());
        n.put("group_parent_id", s.groupParentId());
        time(n, "assessed_at", s.assessedAt());
        time(n, "updated_at", s.updatedAt());
        n.put("summary", s.summary());
        n.put("severity", s.severity().wireName());
        n.put("analysis_status", s.analysisStatus());
        n.put("resolution_status", s.resolutionStatus());
        time(n, "resolved_at", s.resolvedAt());
        n.put("triggered_by", s.triggeredBy());
        n.put("trigger_source", s.triggerSource());
        n.put("similar_alert_count", s.similarAlertCount());
        n.put("agent_review_count", s.agentReviewCount());
        n.put("status", s.status());
        n.put("acknowledged", s.acknowledgedAt() != null);
        time(n, "acknowledged_at", s.acknowledgedAt());
        n.put("acknowledged_by", s.acknowledgedBy());
        return n;
    }

    public static ObjectNode page(AlertPage p) {
        ObjectNode n = JsonTrees.object();
        ArrayNode a = n.putArray("alerts");
        p.alerts().forEach(x -> a.add(record(x)));
        ObjectNode counts = n.putObject("counts");
        counts.put("total", p.counts().total());
        counts.put("critical", p.counts().critical());
        counts.put("warning", p.counts().warning());
        counts.put("info", p.counts().info());
        n.put("groups_total", p.groupsTotal());
        n.put("page", p.page());
        n.put("page_size", p.pageSize());
        n.put("total_pages", p.totalPages());
        return n;
    }

    public static ObjectNode searchPage(AlertSearchPage p) {
        ObjectNode n = JsonTrees.object();
        ArrayNode a = n.putArray("alerts");
        p.alerts().forEach(x -> a.add(summary(x)));
        n.put("total", p.total());
        n.put("limit", p.limit());
        n.put("offset", p.offset());
        return n;
    }

    public static ObjectNode review(AgentReview r) {
        ObjectNode n = JsonTrees.object();
        n.put("id", r.id());
        n.put("alert_id", r.alertId());
        time(n, "created_at", r.createdAt());
        n.put("agent_name", r.agentName());
        n.put("review_type", r.reviewType());
        n.put("body", r.body());
        return n;
    }

    public static ObjectNode rule(AutoGroupRule r) {
        ObjectNode n = JsonTrees.object();
        n.put("id", r.id());
        time(n, "created_at", r.createdAt());
        n.put("target_alert_id", r.targetAlertId());
        n.put("process", r.process());
        n.put("subsystem", r.subsystem());
        n.put("trigger_source", r.triggerSource());
        n.put("triggered_by", r.triggeredBy());
        n.put("message_regex", r.messageRegex());
        return n;
    }

    public static ArrayNode rules(List<AutoGroupRule> rules) {
        ArrayNode a = JsonTrees.array();
        rules.forEach(r -> a.add(rule(r)));
        return a;
    }

    public static ObjectNode silence(Silence s) {
        ObjectNode n = JsonTrees.object();
        n.put("id", s.id());
        time(n, "created_at", s.createdAt());
        n.put("created_by", s.createdBy());
        n.put("comment", s.comment());
        time(n, "starts_at", s.startsAt());
        time(n, "ends_at", s.endsAt());
        time(n, "expired_at", s.expiredAt());
        n.put("state", s.state());
        n.put("rule", s.rule());
        n.put("source", s.source());
        n.put("process", s.process());
        n.put("subsystem", s.subsystem());
        n.put("minimum_severity", s.minimumSeverity() == null ? null : s.minimumSeverity().wireName());
        n.put("message_regex", s.messageRegex());
        n.put("silenced_alerts", s.silencedAlerts());
        return n;
    }

    public static ArrayNode silences(List<Silence> silences) {
        ArrayNode a = JsonTrees.array();
        silences.forEach(s -> a.add(silence(s)));
        return a;
    }

    public static ObjectNode delivery(DeliveryAttempt d) {
        ObjectNode n = JsonTrees.object();
        n.put("notifier", d.notifier());
        time(n, "attempted_at", d.attemptedAt());
        n.put("status", d.status());
        n.put("error", d.error());
        return n;
    }

    public static ObjectNode transition(StateChange t) {
        ObjectNode n = JsonTrees.object();
        time(n, "at", t.at());
        n.put("aspect", t.aspect());
        n.put("from", t.from());
        n.put("to", t.to());
        n.put("reason", t.reason());
        return n;
    }

    /** The dashboard's error body: {@code {"message": …}}. */
    public static ObjectNode error(String message) {
        ObjectNode n = JsonTrees.object();
        n.put("message", message);
        return n;
    }
}
