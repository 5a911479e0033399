package dev.eyes.analysis;

import java.time.Duration;

/**
 * Why one analysis attempt failed, and whether another attempt may help. Messages use the texts of reference
 * §2: "Backend communication failed: …", "Request timeout …", "Invalid response format: …", "HTTP error: …".
 */
public final class AnalysisException extends Exception {
    /** What went wrong; decides whether the attempt is retried. */
    public enum Kind {
        /** Connection refused or reset, DNS failure, TLS error: retried. */
        TRANSPORT(true),
        /** No complete answer within {@code ai.timeout_seconds}: retried. */
        TIMEOUT(true),
        /** 5xx, or 408: retried. */
        SERVER(true),
        /** 429: retried after {@code Retry-After} when the server gives one. */
        RATE_LIMITED(true),
        /** Unparseable, incomplete, oversized or schema-violating answer: retried. */
        INVALID_RESPONSE(true),
        /** Other 4xx (bad key, unknown model, prompt too long): fails at once. */
        REJECTED(false),
        /** A fault in Eyes itself (a bug): fails at once rather than repeating it. */
        INTERNAL(false),
        /** Eyes is stopping: the candidate stays pending for the next start. */
        CANCELLED(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;

    public AnalysisException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public AnalysisException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public static AnalysisException invalid(String detail) {
        return new AnalysisException(Kind.INVALID_RESPONSE, "Invalid response format: " + detail);
    }

    public static AnalysisException transport(String detail, Throwable cause) {
        return new AnalysisException(Kind.TRANSPORT, "Backend communication failed: " + detail, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The delay the server asked for (HTTP 429/503 {@code Retry-After}), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
