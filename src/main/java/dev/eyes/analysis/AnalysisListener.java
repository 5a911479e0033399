package dev.eyes.analysis;

/**
 * Live progress of analyses, e.g. for the dashboard's stream. Called on analysis threads; implementations must
 * be thread-safe, must not block, and should not throw (exceptions are logged and ignored).
 */
public interface AnalysisListener {
    /** An attempt started (attempt counts from 1 within this analysis run). */
    default void started(long candidateId, int attempt, String backend, String model) {
    }

    /** A piece of the model's answer as it streams in. */
    default void text(long candidateId, String chunk) {
    }

    /** The assessment was stored; the candidate is {@code analyzed}. */
    default void finished(AnalyzedCandidate analyzed) {
    }

    /**
     * An attempt failed.
     *
     * @param willRetry true when another attempt is scheduled (the candidate stays {@code pending});
     *                  false when the candidate is now {@code failed}
     */
    default void failed(long candidateId, int attempt, String reason, boolean willRetry) {
    }

    /** The candidate was not analysed after all: it no longer exists or is no longer pending. */
    default void skipped(long candidateId, String why) {
    }

    /**
     * One request to the backend ended (for the meters): from sending it to the end of the answer, or to the
     * failure.
     *
     * @param failureKind null when the answer was a usable insight, else the lower-case
     *                    {@link AnalysisException.Kind} ({@code timeout}, {@code transport} …)
     * @param redactions  secrets redacted from what was sent
     */
    default void attemptEnded(long candidateId, String backend, long latencyNanos, String failureKind,
                              int redactions) {
    }

    /** A candidate waiting for its retry was dropped because the retry queue was full (it is now failed). */
    default void retryDropped(long candidateId) {
    }
}
