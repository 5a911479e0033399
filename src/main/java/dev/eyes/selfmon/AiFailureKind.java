package dev.eyes.selfmon;

import java.util.Locale;

/**
 * Why an analysis attempt failed: the {@code kind} label of {@code eyes_ai_failures_total}. A fixed set, on purpose;
 * the names follow the analysis stage's own failure kinds, so {@link #of} maps one to the other by name.
 */
public enum AiFailureKind {
    /** Could not connect, or the connection broke. */
    TRANSPORT,
    /** No answer within {@code ai.timeout_seconds}. */
    TIMEOUT,
    /** HTTP 5xx. */
    SERVER,
    /** HTTP 429 (Retry-After honoured). */
    RATE_LIMITED,
    /** An answer that is not the JSON insight asked for. */
    INVALID_RESPONSE,
    /** Any other 4xx: a bad key, an unknown model, a prompt too long. */
    REJECTED,
    /** A fault in Eyes itself. */
    INTERNAL,
    /** Cancelled at shutdown. */
    CANCELLED,
    /** The retry queue was full and its oldest entry was dropped as a recorded failure. */
    RETRY_QUEUE_FULL,
    OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of that name (any case), or {@link #OTHER}. */
    public static AiFailureKind of(String name) {
        if (name != null) {
            for (AiFailureKind k : values()) {
                if (k.name().equalsIgnoreCase(name.trim())) {
                    return k;
                }
            }
        }
        return OTHER;
    }
}
