package dev.eyes.analysis.backend;

/**
 * The model's whole answer.
 *
 * @param text         the concatenated answer text
 * @param cutAtLimit   the server stopped because of the token limit ({@code ai.max_response_tokens})
 */
public record Reply(String text, boolean cutAtLimit) {
}
