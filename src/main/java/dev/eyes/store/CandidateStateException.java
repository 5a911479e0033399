package dev.eyes.store;

/** The candidate's analysis status does not allow the operation (the API answers 409). */
public final class CandidateStateException extends AlertException {
    private final long id;
    private final AnalysisStatus status;

    public CandidateStateException(long id, AnalysisStatus status) {
        super(Kind.CONFLICT,
                "Alert candidate " + id + " cannot be analyzed while its status is '" + status.wireName() + "'");
        this.id = id;
        this.status = status;
    }

    /** The status changed between reading and writing it. */
    public CandidateStateException(long id, String message) {
        super(Kind.CONFLICT, message);
        this.id = id;
        this.status = null;
    }

    public long id() {
        return id;
    }

    /** The status that refused it, or null when it changed concurrently. */
    public AnalysisStatus status() {
        return status;
    }
}
