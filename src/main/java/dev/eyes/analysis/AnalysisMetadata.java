package dev.eyes.analysis;

/**
 * How an insight was obtained.
 *
 * @param backend        ollama | openai | mock
 * @param model          the model name as configured
 * @param latencyMillis  how long the successful exchange took (request sent → last byte)
 * @param attempts       attempts made in this analysis run, the successful one included
 * @param redactionCount secrets (and, off loopback, network identities) replaced before sending
 */
public record AnalysisMetadata(String backend, String model, long latencyMillis, int attempts, int redactionCount) {
}
