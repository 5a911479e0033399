package dev.eyes.store;

/**
 * The parameters of {@link AlertStore#searchAlerts} (MCP {@code list_alerts} / {@code search_alerts}); null =
 * not set. Children are included; newest first.
 *
 * @param query            text to find (any case) in summary, root cause, reason, rule, source, review bodies
 *                         and reviewers; null = no text filter, blank = "query cannot be empty"
 * @param severity         info | warning | critical
 * @param resolutionStatus open | resolved
 * @param limit            1..100 (default 25)
 * @param offset           0 or more (default 0)
 * @param status           analysis status; alertStatus, rule, source, acknowledged as in {@link AlertListRequest}
 */
public record AlertSearchRequest(String query, String severity, String resolutionStatus, Integer limit,
                                 Integer offset, String status, String alertStatus, String rule, String source,
                                 Boolean acknowledged) {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;

    /** No text, no filters: the newest 25. */
    public static AlertSearchRequest all() {
        return new AlertSearchRequest(null, null, null, null, null, null, null, null, null, null);
    }

    public static AlertSearchRequest of(String query, String severity, String resolution, Integer limit,
                                        Integer offset) {
        return new AlertSearchRequest(query, severity, resolution, limit, offset, null, null, null, null, null);
    }
}
