package dev.eyes.store;

import java.time.Instant;

/**
 * A note on an alert by an agent or a person ({@code alert_agent_reviews}).
 *
 * @param reviewType review | resolution | acknowledgement
 */
public record AgentReview(long id, long alertId, Instant createdAt, String agentName, String reviewType, String body) {
}
