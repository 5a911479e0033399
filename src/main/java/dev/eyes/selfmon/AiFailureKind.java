package dev.eyes.selfmon;

import java.util.Locale;

/** Why an analysis attempt failed: the {@code kind} label of {@code eyes_ai_failures_total}. A fixed set, on purpose. */
public enum AiFailureKind {
    /** No answer within {@code ai.timeout_seconds}. */
    TIMEOUT,
    /** Could not connect, or the connection broke. */
    CONNECTION,
    /** HTTP 429 (Retry-After honoured). */
    RATE_LIMITED,
    /** Any other HTTP error status. */
    HTTP_ERROR,
    /** An answer that is not the JSON insight asked for. */
    INVALID_RESPONSE,
    /** The retry queue was full and its oldest entry was dropped as a recorded failure. */
    RETRY_QUEUE_FULL,
    /** Cancelled at shutdown. */
    CANCELLED,
    OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
