package dev.eyes.store;

/**
 * The parameters of {@link AlertStore#listAlerts}, as the dashboard gets them (null = default). The store
 * validates them and answers with the texts of {@link AlertException}.
 *
 * @param page         1 or more (default 1)
 * @param pageSize     clamped to 5..50 (default 10)
 * @param sort         updated_at (default; also any unknown value) | severity | status (analysis status) | summary
 * @param order        asc | desc (default; also any unknown value)
 * @param showResolved include resolved groups
 * @param severity     only roots of this severity: info | warning | critical
 * @param status       only roots with this analysis status: pending | analyzed | failed | not_done
 * @param alertStatus  only roots whose alert has this status: pending | suppressed | silenced | queued |
 *                     delivered | delivery_failed | dropped
 * @param rule         only roots of this trigger rule (exact)
 * @param source       only roots of this trigger source (exact)
 * @param q            only roots whose summary, root cause, reason, rule, source or reviews contain it (any case)
 * @param acknowledged only acknowledged (true) or unacknowledged (false) roots
 */
public record AlertListRequest(Integer page, Integer pageSize, String sort, String order, boolean showResolved,
                               String severity, String status, String alertStatus, String rule, String source,
                               String q, Boolean acknowledged) {
    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MIN_PAGE_SIZE = 5;
    public static final int MAX_PAGE_SIZE = 50;

    /** Page 1, 10 rows, newest activity first, open groups only. */
    public static AlertListRequest defaults() {
        return new AlertListRequest(null, null, null, null, false, null, null, null, null, null, null, null);
    }

    public AlertListRequest withPage(int p, int size) {
        return new AlertListRequest(p, size, sort, order, showResolved, severity, status, alertStatus, rule, source,
                q, acknowledged);
    }

    public AlertListRequest withSort(String s, String o) {
        return new AlertListRequest(page, pageSize, s, o, showResolved, severity, status, alertStatus, rule, source,
                q, acknowledged);
    }

    public AlertListRequest withShowResolved(boolean show) {
        return new AlertListRequest(page, pageSize, sort, order, show, severity, status, alertStatus, rule, source,
                q, acknowledged);
    }

    public AlertListRequest withFilters(String sev, String st, String alertSt, String r, String src, String query,
                                        Boolean ack) {
        return new AlertListRequest(page, pageSize, sort, order, showResolved, sev, st, alertSt, r, src, query, ack);
    }
}
