package dev.eyes.store;

import java.util.List;

/**
 * Triage of stored alerts: what the dashboard (issue 6) and the MCP server (issue 7) call, beside the running
 * observer, each through its own connections (writes retry while another process holds the lock, so "database
 * is locked" never reaches the caller). Ids are candidate ids — the dashboard's "Signal 0042".
 *
 * <p>Every method throws {@link AlertException} for a request that cannot be carried out (its {@link
 * AlertException.Kind} gives the HTTP status: not found 404, conflict 409, invalid 400; MCP answers it as a tool
 * error with the message) and a plain {@link StoreException} when the database fails (500). JSON renderings of
 * every result are in {@link AlertJson}.
 */
public interface AlertStore extends AutoCloseable {
    /** How many children {@link #getAlert} hydrates into {@code similar_alerts} (the count is always complete). */
    int SIMILAR_ALERTS_SHOWN = 50;

    /**
     * Group roots for the dashboard: paged, sorted, filtered (reference §10 {@code list_alerts}, plus filters).
     * Resolved roots only with {@code showResolved}. Rows carry no events, recommendations or reviews.
     * Errors: "page must be 1 or more", "severity must be one of info, warning, critical", "status must be one of
     * …", "alert_status must be one of …".
     */
    AlertPage listAlerts(AlertListRequest request) throws StoreException;

    /**
     * Alerts, children included, newest first (reference §10 {@code search_alerts}; MCP {@code list_alerts} is
     * this without a query). Errors: "query cannot be empty", "limit must be 1..100", "offset must be 0 or more",
     * "severity must be one of …", "resolution_status must be open or resolved".
     */
    AlertSearchPage searchAlerts(AlertSearchRequest request) throws StoreException;

    /**
     * One alert with everything: assessment, recommendations, evidence, limitations, notification, delivery
     * attempts per notifier, context events, reviews, history and — for a root — its similar alerts (newest
     * {@link #SIMILAR_ALERTS_SHOWN}). Error: "Alert candidate {id} does not exist".
     */
    AlertRecord getAlert(long id) throws StoreException;

    /**
     * Appends a review ({@code review_type} review); the alert's {@code updated_at} is unchanged. Errors: not
     * found, "agent_name cannot be empty", "review cannot be empty".
     */
    AgentReview appendAgentReview(long id, String agentName, String review) throws StoreException;

    /**
     * open → resolved, atomically with a {@code resolution} review: {@code resolved_at = updated_at = now}.
     * Children are not resolved with their root. Errors: not found, "Alert {id} is already resolved",
     * "agent_name cannot be empty", "resolution cannot be empty".
     */
    AgentReview resolveAlert(long id, String agentName, String resolution) throws StoreException;

    /**
     * Acknowledges the alert's group (its root, when {@code id} is a child): the group is not notified again
     * until it is resolved or something more severe than anything in it arrives. Stores who, when and the note,
     * with an {@code acknowledgement} review. Returns the root. Errors: not found, "Alert {root} is already
     * acknowledged by {who}", "Alert {root} is already resolved", "acknowledged_by cannot be empty".
     */
    AlertRecord acknowledgeAlert(long id, String acknowledgedBy, String note) throws StoreException;

    /**
     * Groups {@code similarIds} under {@code primaryId}, one level deep: each one's children move to the primary,
     * each one goes under the primary, and auto-group rules aimed at any of them are re-targeted to the primary;
     * the primary's {@code updated_at} is touched. Returns the primary, hydrated. Errors: "Invalid alert
     * grouping: …" (empty, duplicates, the primary itself, a primary that is not a root), not found.
     */
    AlertRecord attachSimilarAlerts(long primaryId, List<Long> similarIds) throws StoreException;

    /**
     * A rule that groups future candidates under the target's root (first created wins). Errors: "Invalid
     * auto-group rule: …" (no selector, empty or invalid regex), not found.
     */
    AutoGroupRule createAutoGroupRule(AutoGroupRuleRequest request) throws StoreException;

    /** All rules in precedence (id) order. */
    List<AutoGroupRule> listAutoGroupRules() throws StoreException;

    /** Deletes a rule (groups it made stay). Error: "rule {id} does not exist". */
    AutoGroupRule deleteAutoGroupRule(long ruleId) throws StoreException;

    /**
     * A new silence. Errors: "Invalid silence: …" (no matcher, no creator, end not after start or already past,
     * invalid regex or severity).
     */
    Silence createSilence(SilenceRequest request) throws StoreException;

    /**
     * Replaces a silence's matchers, times and comment (not its creator) — e.g. to extend it. Errors: not found,
     * "Silence {id} is already expired", as {@link #createSilence}.
     */
    Silence updateSilence(long id, SilenceRequest request) throws StoreException;

    /** Errors: "Silence {id} does not exist". */
    Silence getSilence(long id) throws StoreException;

    /**
     * Silences, active and pending first (by end), then — with {@code includeExpired} — expired ones, newest
     * first.
     */
    List<Silence> listSilences(boolean includeExpired) throws StoreException;

    /** Ends a silence now. Errors: "Silence {id} does not exist", "Silence {id} is already expired". */
    Silence expireSilence(long id) throws StoreException;

    /** Closes pooled connections (the store stays usable). */
    @Override
    void close();
}
