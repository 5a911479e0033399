package dev.eyes.source;

import java.time.Instant;

/**
 * What a source is doing, for the health page, the MCP heartbeat and the log.
 *
 * @param reason   why it is degraded or unavailable; for a running resource source, which of its parts are unavailable
 *                 (e.g. no RAPL in a VM); "" otherwise
 * @param restarts how many times its subprocess has been restarted
 */
public record SourceStatus(String name, State state, String reason, int restarts, Instant since) {

    public enum State {
        STARTING, RUNNING, DEGRADED, UNAVAILABLE, STOPPED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
