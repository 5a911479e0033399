package dev.eyes.store;

import java.util.List;

/** A page of {@link AlertStore#searchAlerts}: matching alerts (children included), newest first. */
public record AlertSearchPage(List<AlertSummary> alerts, long total, int limit, int offset) {
    public AlertSearchPage {
        alerts = List.copyOf(alerts);
    }
}
