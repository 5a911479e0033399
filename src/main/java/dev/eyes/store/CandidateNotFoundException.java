package dev.eyes.store;

/** The candidate does not exist (the API answers 404). */
public final class CandidateNotFoundException extends AlertException {
    private final long id;

    public CandidateNotFoundException(long id) {
        super(Kind.NOT_FOUND, "Alert candidate " + id + " does not exist");
        this.id = id;
    }

    public long id() {
        return id;
    }
}
