package dev.eyes.alert.notify;

import dev.eyes.event.Severity;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * What a notifier sends.
 *
 * @param candidateId the alert's id as people see it ("Signal 0042")
 * @param groupId     the root of its group (its own id when it is a root): the group is notified once, through
 *                    whichever member is decided first
 * @param title       at most 256 bytes (already cut)
 * @param body        at most 1024 bytes (already cut)
 * @param rule        the trigger rule
 * @param source      the trigger source, or null when system-wide
 * @param alert       the whole alert as JSON (read when a notifier asks; for the {@code json} webhook format)
 */
public record Notification(long alertId, long candidateId, long groupId, Severity severity, String title, String body, String rule,
                           String source, Supplier<JsonNode> alert) {
}
