package dev.eyes.mcp;

import dev.eyes.event.Severity;
import dev.eyes.json.JsonTrees;
import dev.eyes.store.AlertJson;
import dev.eyes.store.AlertSearchRequest;
import dev.eyes.store.AlertStatus;
import dev.eyes.store.AlertStore;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.AutoGroupRuleRequest;
import dev.eyes.store.Busy;
import dev.eyes.store.SilenceRequest;
import dev.eyes.store.SqlErrors;
import dev.eyes.store.StoreException;
import dev.eyes.store.Timestamps;
import io.modelcontextprotocol.spec.McpSchema;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tools of {@code eyes mcp}: the nine of the original {@code eyes-mcp} (reference §12, same names, parameters,
 * limits and errors) and six more — acknowledge, silences, observer health and manual analysis. Every result is
 * one JSON object rendered by {@link AlertJson}, so agents see the same shapes as the dashboard's API. Lists that
 * the dashboard returns bare ({@code [AutoGroupRule]}, {@code [Silence]}) are wrapped in an object
 * ({@code {"rules": […]}}, {@code {"silences": […]}}) because MCP's structured content must be an object.
 */
final class AlertTools {
    /** Runs one tool: arguments in, one JSON object out. */
    @FunctionalInterface
    interface Handler {
        ObjectNode call(Args args, Caller caller) throws StoreException, ToolError;
    }

    /** Who calls: the client's name from {@code initialize} ("claude-ai", "mcp-inspector" …), or null. */
    record Caller(String client) {
    }

    /** One tool: what {@code tools/list} shows and what {@code tools/call} runs. */
    record Definition(String name, String title, String description, Schema schema, Hints hints, Handler handler) {
        McpSchema.Tool tool() {
            return McpSchema.Tool.builder(name, schema.toMap())
                    .title(title)
                    .description(description)
                    .annotations(new McpSchema.ToolAnnotations(title, hints.readOnly(),
                            hints.readOnly() ? null : hints.destructive(), hints.readOnly() ? null : hints.idempotent(),
                            false, null))
                    .build();
        }
    }

    /** MCP tool annotations: clients use them to decide what needs the user's confirmation. */
    record Hints(boolean readOnly, boolean destructive, boolean idempotent) {
        static final Hints READ = new Hints(true, false, true);
        static final Hints WRITE = new Hints(false, false, false);
        static final Hints DELETE = new Hints(false, true, false);
    }

    static final String ALERT_ID = "Alert id: the candidate id Eyes shows as \"Signal 0042\" (here 42)";
    private static final List<String> SEVERITIES = Arrays.stream(Severity.values()).map(Severity::wireName).toList();
    private static final List<String> ANALYSIS = Arrays.stream(AnalysisStatus.values()).map(AnalysisStatus::wireName)
            .toList();
    private static final List<String> ALERT_STATUSES = Arrays.stream(AlertStatus.values())
            .map(AlertStatus::wireName).toList();

    private final Stores stores;
    private final List<Definition> all;

    AlertTools(Stores stores) {
        this.stores = stores;
        this.all = List.of(listAlerts(), searchAlerts(), getAlert(), resolveAlert(), attachSimilarAlerts(),
                appendAgentReview(), createAutoGroupRule(), listAutoGroupRules(), deleteAutoGroupRule(),
                acknowledgeAlert(), listSilences(), createSilence(), expireSilence(), getHealth(), analyzeAlert());
    }

    List<Definition> all() {
        return all;
    }

    private AlertStore alerts() throws StoreException {
        return stores.get().alerts();
    }

    // ---- the original nine -----------------------------------------------------------------------------------

    private static Schema filters(Schema s) {
        return s.choice("severity", "Only alerts of this severity", SEVERITIES)
                .choice("resolution_status", "Only open or only resolved alerts", List.of("open", "resolved"))
                .integer("limit", "How many alerts to return, 1..100", 1, (long) AlertSearchRequest.MAX_LIMIT,
                        AlertSearchRequest.DEFAULT_LIMIT)
                .integer("offset", "How many matching alerts to skip (for the next page)", 0, null, 0)
                .choice("analysis_status", "Only alerts whose AI analysis is in this state (failed and not_done "
                        + "ones can be queued with analyze_alert)", ANALYSIS)
                .choice("alert_status", "Only alerts whose notification is in this state", ALERT_STATUSES)
                .string("triggered_by", "Only alerts raised by this rule, exactly (e.g. ErrorFrequencyRule)", false)
                .string("trigger_source", "Only alerts from this source, exactly (e.g. nginx.service/nginx)", false)
                .optionalBool("acknowledged", "Only acknowledged (true) or unacknowledged (false) alerts");
    }

    private static AlertSearchRequest search(String query, Args a) throws ToolError {
        return new AlertSearchRequest(query, a.optionalString("severity"), a.optionalString("resolution_status"),
                a.optionalInt("limit"), a.optionalInt("offset"), a.optionalString("analysis_status"),
                a.optionalString("alert_status"), a.optionalString("triggered_by"), a.optionalString("trigger_source"),
                a.optionalBool("acknowledged"));
    }

    private static final String PAGE_RESULT = " Returns {alerts: [{id, group_parent_id, assessed_at, updated_at, "
            + "summary, severity, analysis_status, resolution_status, resolved_at, triggered_by, trigger_source, "
            + "similar_alert_count, agent_review_count, status, acknowledged, …}], total, limit, offset}. "
            + "Grouped alerts (group_parent_id set) are included.";

    private Definition listAlerts() {
        return new Definition("list_alerts", "List alerts",
                "List alert summaries, newest first, optionally filtered by severity or resolution state."
                        + PAGE_RESULT,
                filters(Schema.object()), Hints.READ,
                (a, c) -> AlertJson.searchPage(alerts().searchAlerts(search(null, a))));
    }

    private Definition searchAlerts() {
        return new Definition("search_alerts", "Search alerts",
                "Search alerts by text (any case) across summaries, root causes, trigger rule, source and reason, "
                        + "and agent reviews and their authors; newest first." + PAGE_RESULT,
                filters(Schema.object().string("query", "Text to look for", true)), Hints.READ,
                (a, c) -> {
                    String q = a.requiredString("query");
                    if (q.isBlank()) {
                        throw new ToolError("query cannot be empty");
                    }
                    return AlertJson.searchPage(alerts().searchAlerts(search(q, a)));
                });
    }

    private Definition getAlert() {
        return new Definition("get_alert", "Get one alert",
                "Get everything stored for one alert: the AI assessment (summary, root cause, recommendations, "
                        + "evidence, limitations, confidences), the raw evidence that triggered it (log lines, metric "
                        + "and disk samples), notification and delivery record, acknowledgement, agent reviews, state "
                        + "history and, for a group's root, its similar alerts. Read this before resolving or "
                        + "grouping.",
                Schema.object().id("alert_id", ALERT_ID), Hints.READ,
                (a, c) -> AlertJson.record(alerts().getAlert(a.requiredLong("alert_id"))));
    }

    private Definition resolveAlert() {
        return new Definition("resolve_alert", "Resolve an alert",
                "Resolve an open alert and, atomically, append the agent's resolution to its history (a review of "
                        + "type resolution). Alerts grouped under it stay as they are. Returns the resolution review "
                        + "{id, alert_id, created_at, agent_name, review_type, body}.",
                Schema.object().id("alert_id", ALERT_ID)
                        .string("agent_name", "Name of the agent recording the resolution", true)
                        .string("resolution", "What was found, what was done and the outcome", true),
                Hints.WRITE,
                (a, c) -> AlertJson.review(alerts().resolveAlert(a.requiredLong("alert_id"),
                        a.requiredString("agent_name"), a.requiredString("resolution"))));
    }

    private Definition attachSimilarAlerts() {
        return new Definition("attach_similar_alerts", "Group similar alerts",
                "Attach similar alerts beneath one root alert; alerts already grouped under them move to the root "
                        + "too, and auto-group rules aimed at them are re-aimed at the root. Groups are one level "
                        + "deep. Returns the root alert as get_alert does.",
                Schema.object().id("primary_alert_id", "Root alert that will represent the group (not itself "
                                + "grouped under another)")
                        .ids("similar_alert_ids", "Alerts to fold under the root alert"),
                Hints.WRITE,
                (a, c) -> AlertJson.record(alerts().attachSimilarAlerts(a.requiredLong("primary_alert_id"),
                        a.longs("similar_alert_ids"))));
    }

    private Definition appendAgentReview() {
        return new Definition("append_agent_review", "Add a review",
                "Append an agent-authored review to an alert's history without resolving it. Returns the review "
                        + "{id, alert_id, created_at, agent_name, review_type, body}.",
                Schema.object().id("alert_id", ALERT_ID)
                        .string("agent_name", "Name of the agent writing the review", true)
                        .string("review", "Review text to append to the alert history", true),
                Hints.WRITE,
                (a, c) -> AlertJson.review(alerts().appendAgentReview(a.requiredLong("alert_id"),
                        a.requiredString("agent_name"), a.requiredString("review"))));
    }

    private Definition createAutoGroupRule() {
        return new Definition("create_auto_group_rule", "Create an auto-group rule",
                "Create a deterministic rule that folds future matching alerts under an existing alert (its group's "
                        + "root). A message regex must be paired with at least one exact process, subsystem, trigger "
                        + "source, or trigger rule selector; an alert matches when its rule and source equal the "
                        + "selectors given and one of its log lines has the process and subsystem given and a message "
                        + "in which the regex is found. The first-created matching rule wins. Existing alerts are not "
                        + "regrouped. Returns the rule {id, created_at, target_alert_id, process, subsystem, "
                        + "trigger_source, triggered_by, message_regex}.",
                Schema.object().id("target_alert_id", "Existing alert that will become the group's root (a "
                                + "grouped alert stands for its root)")
                        .string("process", "Exact, case-sensitive log process name", false)
                        .string("subsystem", "Exact, case-sensitive log subsystem (the systemd unit on Linux)", false)
                        .string("trigger_source", "Exact, case-sensitive trigger source", false)
                        .string("triggered_by", "Exact, case-sensitive trigger rule name", false)
                        .string("message_regex", "Regular expression (Java syntax; (?P<name>…) groups accepted) "
                                + "found in a log message", true),
                Hints.WRITE,
                (a, c) -> AlertJson.rule(alerts().createAutoGroupRule(new AutoGroupRuleRequest(
                        a.requiredLong("target_alert_id"), a.optionalString("process"), a.optionalString("subsystem"),
                        a.optionalString("trigger_source"), a.optionalString("triggered_by"),
                        a.requiredString("message_regex")))));
    }

    private Definition listAutoGroupRules() {
        return new Definition("list_auto_group_rules", "List auto-group rules",
                "List auto-group rules in matching precedence order (oldest first; the first match wins). Returns "
                        + "{rules: [{id, created_at, target_alert_id, process, subsystem, trigger_source, "
                        + "triggered_by, message_regex}]}.",
                Schema.object(), Hints.READ,
                (a, c) -> {
                    ObjectNode n = object();
                    n.set("rules", AlertJson.rules(alerts().listAutoGroupRules()));
                    return n;
                });
    }

    private Definition deleteAutoGroupRule() {
        return new Definition("delete_auto_group_rule", "Delete an auto-group rule",
                "Delete an auto-group rule so it no longer affects future alerts; groups it already made stay. "
                        + "Returns the deleted rule.",
                Schema.object().id("rule_id", "Auto-group rule id"), Hints.DELETE,
                (a, c) -> AlertJson.rule(alerts().deleteAutoGroupRule(a.requiredLong("rule_id"))));
    }

    // ---- beyond the original -------------------------------------------------------------------------------

    private Definition acknowledgeAlert() {
        return new Definition("acknowledge_alert", "Acknowledge an alert",
                "Acknowledge an alert's group (its root, when the alert is grouped under another): Eyes stops "
                        + "notifying about the group until it is resolved or something more severe than anything in "
                        + "it arrives. Records who and the note as an acknowledgement review. Returns the group's "
                        + "root alert as get_alert does.",
                Schema.object().id("alert_id", ALERT_ID)
                        .string("acknowledged_by", "Name of the agent or person taking it on", true)
                        .string("note", "Why, or what is being done", false),
                Hints.WRITE,
                (a, c) -> AlertJson.record(alerts().acknowledgeAlert(a.requiredLong("alert_id"),
                        a.requiredString("acknowledged_by"), a.optionalString("note"))));
    }

    private Definition listSilences() {
        return new Definition("list_silences", "List silences",
                "List silences: active and pending ones first (soonest end first), then, with include_expired, "
                        + "expired ones (newest first). Returns {silences: [{id, created_at, created_by, comment, "
                        + "starts_at, ends_at, expired_at, state, rule, source, process, subsystem, "
                        + "minimum_severity, message_regex, silenced_alerts}]}.",
                Schema.object().bool("include_expired", "Also list expired silences", false), Hints.READ,
                (a, c) -> {
                    ObjectNode n = object();
                    n.set("silences", AlertJson.silences(alerts().listSilences(a.bool("include_expired", false))));
                    return n;
                });
    }

    private Definition createSilence() {
        return new Definition("create_silence", "Create a silence",
                "Mute notifications for future matching alerts for a while (they are still stored, with status "
                        + "silenced). At least one matcher is required: rule and source match the alert's trigger "
                        + "exactly; process, subsystem and message_regex must all hold for one of its log lines; "
                        + "minimum_severity matches alerts at least that severe. Give ends_at or duration. Returns the "
                        + "silence.",
                Schema.object()
                        .string("created_by", "Name of the agent or person creating it", true)
                        .string("comment", "Why", false)
                        .string("starts_at", "RFC 3339 start time, e.g. 2026-03-01T10:00:00Z (default: now)", false)
                        .string("ends_at", "RFC 3339 end time (or give duration)", false)
                        .string("duration", "How long from the start, e.g. 90m, 2h, 1d12h (or give ends_at)", false)
                        .string("rule", "Trigger rule, exactly (e.g. ErrorFrequencyRule)", false)
                        .string("source", "Trigger source, exactly (e.g. nginx.service/nginx)", false)
                        .string("process", "Log process name, exactly", false)
                        .string("subsystem", "Log subsystem, exactly", false)
                        .choice("minimum_severity", "Only alerts at least this severe", SEVERITIES)
                        .string("message_regex", "Regular expression found in a log message", false),
                Hints.WRITE,
                (a, c) -> AlertJson.silence(alerts().createSilence(new SilenceRequest(a.requiredString("created_by"),
                        a.optionalString("comment"),
                        SilenceRequest.parseTime("starts_at", a.optionalString("starts_at")),
                        SilenceRequest.parseTime("ends_at", a.optionalString("ends_at")),
                        SilenceRequest.parseDuration("duration", a.optionalString("duration")),
                        a.optionalString("rule"), a.optionalString("source"), a.optionalString("process"),
                        a.optionalString("subsystem"), a.optionalString("minimum_severity"),
                        a.optionalString("message_regex")))));
    }

    private Definition expireSilence() {
        return new Definition("expire_silence", "Expire a silence",
                "End a silence now: matching alerts are notified again from now on. Returns the silence.",
                Schema.object().id("silence_id", "Silence id"), Hints.WRITE,
                (a, c) -> AlertJson.silence(alerts().expireSilence(a.requiredLong("silence_id"))));
    }

    private Definition getHealth() {
        return new Definition("get_health", "Observer health",
                "Whether the Eyes observer (eyes run) is running on this database, from the heartbeat it writes "
                        + "every 10 s: observer is running, stopped (it stopped cleanly) or not running (no "
                        + "heartbeat for over 30 s, or never). health is its last snapshot: sources and their state, "
                        + "event queues, the store, the AI backend, the process and warnings.",
                Schema.object(), Hints.READ,
                (a, c) -> health(stores.get().heartbeat().read()));
    }

    private ObjectNode health(HeartbeatReader.Status s) {
        ObjectNode n = object();
        n.put("observer", s.observer());
        n.put("summary", s.describe());
        n.put("last_heartbeat", s.lastHeartbeat() == null ? null : Timestamps.format(s.lastHeartbeat()));
        if (s.age() == null) {
            n.putNull("heartbeat_age_seconds");
        } else {
            n.put("heartbeat_age_seconds", s.age().toMillis() / 1000.0);
        }
        n.put("pid", s.pid());
        n.put("stale_after_seconds", HeartbeatReader.STALE_AFTER.toSeconds());
        n.put("database", stores.path().toString());
        n.set("health", s.payload());
        if (s.payloadError() != null) {
            n.put("payload_error", s.payloadError());
        }
        return n;
    }

    private Definition analyzeAlert() {
        return new Definition("analyze_alert", "Analyse an alert",
                "Queue a manual AI analysis of an alert whose analysis failed or was not done (automatic analysis "
                        + "off): it becomes pending and the running observer picks it up within a few seconds; call "
                        + "get_alert later for the assessment. When the observer is not running the request waits "
                        + "until it starts, and the result says so. Returns {alert_id, analysis_status, queued, "
                        + "observer, message}.",
                Schema.object().id("alert_id", ALERT_ID)
                        .string("requested_by", "Name of the agent asking (recorded in the alert's history)", false),
                Hints.WRITE,
                (a, c) -> {
                    long id = a.requiredLong("alert_id");
                    String by = a.optionalString("requested_by");
                    if (by == null || by.isBlank()) {
                        by = c.client() == null ? "an MCP client" : "MCP client " + c.client();
                    }
                    String requester = by.trim();
                    try {
                        Busy.retry(() -> {
                            stores.get().assessments().requestAnalysis(id, requester);
                            return null;
                        });
                    } catch (SQLException e) {
                        throw new StoreException("database error: " + SqlErrors.describe(e), e);
                    }
                    HeartbeatReader.Status s = stores.get().heartbeat().read();
                    ObjectNode n = object();
                    n.put("alert_id", id);
                    n.put("analysis_status", AnalysisStatus.PENDING.wireName());
                    n.put("queued", true);
                    n.put("observer", s.observer());
                    n.put("message", s.running()
                            ? "Queued: the running observer (pid " + s.pid() + ") picks it up within a few seconds. "
                            + "Call get_alert to see the assessment."
                            : "Queued, but the observer is " + s.describe() + ": the alert stays pending until "
                            + "eyes run starts on this database, which analyses pending alerts first.");
                    return n;
                });
    }

    private static ObjectNode object() {
        return JsonTrees.object();
    }
}
