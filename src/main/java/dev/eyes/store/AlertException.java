package dev.eyes.store;

/**
 * A request to the alert store that cannot be carried out as asked, with a message fit for the person or agent
 * who asked (the reference's texts: "Alert candidate 7 does not exist", "Alert 7 is already resolved",
 * "Invalid alert grouping: …", "query cannot be empty", "limit must be 1..100" …). The {@link Kind} tells the
 * dashboard which HTTP status to answer (404, 409, 400) and the MCP server that it is a tool error, not a failure.
 * Database failures are plain {@link StoreException}s (HTTP 500).
 */
public class AlertException extends StoreException {
    /** What went wrong, for the HTTP status. */
    public enum Kind {
        /** The alert, rule or silence does not exist (404). */
        NOT_FOUND(404),
        /** Its state does not allow the operation: already resolved, analysis pending … (409). */
        CONFLICT(409),
        /** The request itself is invalid: a parameter out of range, a bad regex … (400). */
        INVALID(400);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public AlertException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static AlertException notFound(String message) {
        return new AlertException(Kind.NOT_FOUND, message);
    }

    public static AlertException conflict(String message) {
        return new AlertException(Kind.CONFLICT, message);
    }

    public static AlertException invalid(String message) {
        return new AlertException(Kind.INVALID, message);
    }

    /** "Alert candidate {id} does not exist". */
    public static AlertException noCandidate(long id) {
        return new CandidateNotFoundException(id);
    }
}
