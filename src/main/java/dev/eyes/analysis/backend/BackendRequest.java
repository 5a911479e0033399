package dev.eyes.analysis.backend;

import dev.eyes.event.Severity;

/**
 * What is sent for one analysis, already redacted.
 *
 * @param system  the system message
 * @param user    the user message (the evidence and the answer format)
 * @param ceiling the trigger's expected severity (the mock answers with it)
 * @param subject a one-line description of the trigger (the mock echoes it)
 */
public record BackendRequest(String system, String user, Severity ceiling, String subject) {
}
