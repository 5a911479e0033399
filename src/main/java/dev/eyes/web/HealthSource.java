package dev.eyes.web;

/**
 * Where the dashboard reads how Eyes is doing: self-monitoring's snapshot ({@link dev.eyes.selfmon.Health}, in the
 * wire format of {@link dev.eyes.selfmon.HealthJson}). Called on request threads and every few seconds while live
 * clients are connected: it must be cheap (in-memory state, no I/O) and thread-safe.
 */
@FunctionalInterface
public interface HealthSource {
    dev.eyes.selfmon.Health health();
}
