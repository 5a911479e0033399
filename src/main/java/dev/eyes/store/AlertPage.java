package dev.eyes.store;

import java.util.List;

/**
 * A page of {@link AlertStore#listAlerts}: group roots (without their lists), the severity counts, how many
 * groups match, and the paging.
 *
 * @param counts      every candidate (roots and children, resolved or not) matching the filters other than
 *                    severity, by severity
 * @param groupsTotal roots matching all the filters
 * @param totalPages  ceil(groupsTotal / pageSize); 0 when nothing matches
 */
public record AlertPage(List<AlertRecord> alerts, Counts counts, long groupsTotal, int page, int pageSize,
                        int totalPages) {
    public record Counts(long total, long critical, long warning, long info) {
    }

    public AlertPage {
        alerts = List.copyOf(alerts);
    }
}
