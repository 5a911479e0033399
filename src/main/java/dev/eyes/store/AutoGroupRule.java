package dev.eyes.store;

import java.time.Instant;

/**
 * Groups future candidates under {@code targetAlertId} (always a root). Rules are tried in id order and the
 * first match wins. A candidate matches when its rule and source equal {@code triggeredBy} and
 * {@code triggerSource} (where set) and one of its log events has the {@code process} and {@code subsystem}
 * (where set) and a message in which {@code messageRegex} is found. Unset selectors are null.
 */
public record AutoGroupRule(long id, Instant createdAt, long targetAlertId, String process, String subsystem,
                            String triggerSource, String triggeredBy, String messageRegex) {
}
