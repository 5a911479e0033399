package dev.eyes.analysis.backend;

/**
 * The outcome of checking a backend at start.
 *
 * @param ok      the server answered and (where it can tell) has the model
 * @param message one sentence for the log
 */
public record Probe(boolean ok, String message) {
}
