package dev.eyes.store;

import dev.eyes.event.Severity;
import java.time.Instant;

/**
 * A row of {@link AlertStore#searchAlerts} (reference §2 {@code AlertSummary}, plus the alert's status and its
 * acknowledgement).
 *
 * @param assessedAt the candidate's trigger time (as in the original)
 * @param status     the alert's status, null while there is no alert
 */
public record AlertSummary(long id, Long groupParentId, Instant assessedAt, Instant updatedAt, String summary,
                           Severity severity, String analysisStatus, String resolutionStatus, Instant resolvedAt,
                           String triggeredBy, String triggerSource, int similarAlertCount, int agentReviewCount,
                           String status, Instant acknowledgedAt, String acknowledgedBy) {
}
