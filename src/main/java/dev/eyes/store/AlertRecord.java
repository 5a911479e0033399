package dev.eyes.store;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.Severity;
import java.time.Instant;
import java.util.List;

/**
 * One alert — a stored candidate with its assessment, its notification and its triage state — as the dashboard
 * and the MCP server show it (reference §2 {@code AlertRecord}, plus delivery, silence, acknowledgement and history
 * fields). The id is the candidate's ("Signal 0042"). In list pages the lists are empty (only counts are
 * filled); {@link AlertStore#getAlert} fills everything, and for a root also {@code similarAlerts}.
 *
 * @param assessedAt            the candidate's trigger time (as in the original; the analysis time is in
 *                              {@link Analysis#assessedAt})
 * @param createdAt             the candidate's trigger time
 * @param updatedAt             the last change to the candidate, its analysis, its alert or its group
 * @param summary               the assessment's summary, or the trigger's reason when not analysed
 * @param severity              the assessment's severity, or the trigger's expected severity
 * @param observationConfidence "not analyzed" when there is no assessment
 * @param status                the alert's status ({@link AlertStatus}), null while there is no alert
 * @param statusReason          why it has that status
 * @param silenceId             the silence that silenced it
 * @param analysis              how it was analysed, null when not analysed
 * @param similarAlertCount     how many alerts are grouped under this one
 * @param agentReviewCount      how many reviews it has (also when {@code agentReviews} is not loaded)
 * @param similarAlerts         for a root in {@link AlertStore#getAlert}: the newest
 *                              {@link AlertStore#SIMILAR_ALERTS_SHOWN} children, newest first (without their
 *                              events, deliveries and history)
 */
public record AlertRecord(
        long id, Instant assessedAt, Instant createdAt, Instant updatedAt,
        String summary, String rootCause, Severity severity,
        String observationConfidence, String diagnosisConfidence,
        List<String> recommendations, List<String> evidence, List<String> limitations,
        String notificationTitle, String notificationBody,
        String status, String statusReason, Long silenceId,
        Instant deliveryAttemptedAt, Instant deliveredAt, String failureMessage,
        String analysisStatus, String analysisFailure, Analysis analysis,
        String triggeredBy, String triggerSource, String triggerReason, Severity expectedSeverity,
        int logEventCount, int metricsEventCount, int diskEventCount,
        List<LogEvent> logEvents, List<MetricsEvent> metricsEvents, List<DiskEvent> diskEvents,
        Long groupParentId, String resolutionStatus, Instant resolvedAt,
        Instant acknowledgedAt, String acknowledgedBy, String acknowledgementNote,
        int similarAlertCount, int agentReviewCount,
        List<AgentReview> agentReviews, List<AlertRecord> similarAlerts,
        List<DeliveryAttempt> deliveries, List<StateChange> transitions) {

    /** How the assessment was obtained. */
    public record Analysis(Instant assessedAt, String backend, String model, long latencyMs, int attempts,
                           int redactionCount) {
    }

    public AlertRecord {
        recommendations = List.copyOf(recommendations);
        evidence = List.copyOf(evidence);
        limitations = List.copyOf(limitations);
        logEvents = List.copyOf(logEvents);
        metricsEvents = List.copyOf(metricsEvents);
        diskEvents = List.copyOf(diskEvents);
        agentReviews = List.copyOf(agentReviews);
        similarAlerts = List.copyOf(similarAlerts);
        deliveries = List.copyOf(deliveries);
        transitions = List.copyOf(transitions);
    }

    public boolean resolved() {
        return "resolved".equals(resolutionStatus);
    }

    public boolean root() {
        return groupParentId == null;
    }

    /** This record with its details filled in. */
    public AlertRecord withDetails(List<String> recommendations, List<String> evidence, List<String> limitations,
                                   List<LogEvent> logEvents, List<MetricsEvent> metricsEvents,
                                   List<DiskEvent> diskEvents, List<AgentReview> agentReviews,
                                   List<DeliveryAttempt> deliveries, List<StateChange> transitions) {
        return new AlertRecord(id, assessedAt, createdAt, updatedAt, summary, rootCause, severity,
                observationConfidence, diagnosisConfidence, recommendations, evidence, limitations,
                notificationTitle, notificationBody, status, statusReason, silenceId, deliveryAttemptedAt,
                deliveredAt, failureMessage, analysisStatus, analysisFailure, analysis, triggeredBy, triggerSource,
                triggerReason, expectedSeverity, logEventCount, metricsEventCount, diskEventCount, logEvents,
                metricsEvents, diskEvents, groupParentId, resolutionStatus, resolvedAt, acknowledgedAt,
                acknowledgedBy, acknowledgementNote, similarAlertCount, agentReviewCount, agentReviews,
                similarAlerts, deliveries, transitions);
    }

    /** This record with its similar alerts. */
    public AlertRecord withSimilarAlerts(List<AlertRecord> similar) {
        return new AlertRecord(id, assessedAt, createdAt, updatedAt, summary, rootCause, severity,
                observationConfidence, diagnosisConfidence, recommendations, evidence, limitations,
                notificationTitle, notificationBody, status, statusReason, silenceId, deliveryAttemptedAt,
                deliveredAt, failureMessage, analysisStatus, analysisFailure, analysis, triggeredBy, triggerSource,
                triggerReason, expectedSeverity, logEventCount, metricsEventCount, diskEventCount, logEvents,
                metricsEvents, diskEvents, groupParentId, resolutionStatus, resolvedAt, acknowledgedAt,
                acknowledgedBy, acknowledgementNote, similarAlertCount, agentReviewCount, agentReviews,
                similar, deliveries, transitions);
    }
}
