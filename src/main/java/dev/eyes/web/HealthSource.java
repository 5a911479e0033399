package dev.eyes.web;

/**
 * Where the dashboard reads how Eyes is doing. Called on request threads and every few seconds while live
 * clients are connected: it must be cheap (in-memory state, no I/O) and thread-safe. The observer supplies one
 * built from its parts; the self-monitoring model can replace it without the dashboard noticing.
 */
@FunctionalInterface
public interface HealthSource {
    HealthReport health();
}
