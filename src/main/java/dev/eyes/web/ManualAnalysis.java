package dev.eyes.web;

import dev.eyes.store.StoreException;

/**
 * "Analyze now": queues a new analysis of a {@code failed} or {@code not_done} alert. The observer's
 * implementation moves the candidate back to {@code pending} and hands it to its analyzer.
 */
@FunctionalInterface
public interface ManualAnalysis {
    /**
     * @throws dev.eyes.store.AlertException not found (404) or a status that cannot be analysed (409)
     * @throws Unavailable                   nothing can analyse it now (503); the candidate is back to
     *                                       {@code failed} with the reason
     * @throws StoreException                the database failed (500)
     */
    void request(long candidateId) throws StoreException;

    /** Manual analysis cannot be carried out now (the reference's 503 texts). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    ManualAnalysis NONE = id -> {
        throw new Unavailable("manual analysis is unavailable");
    };
}
