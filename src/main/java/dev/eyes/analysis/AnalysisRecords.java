package dev.eyes.analysis;

import dev.eyes.rule.Trigger;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where the {@link Analyzer} keeps each candidate's analysis state — the SQLite store in {@code eyes run}
 * ({@code store.AssessmentStore}), memory in {@code eyes replay --analyze}. Every method may be called from
 * several analysis threads at once; failures are thrown as exceptions with a message fit for a log.
 */
public interface AnalysisRecords {
    /**
     * A stored candidate.
     *
     * @param pending  its analysis status is {@code pending}
     * @param attempts attempts already recorded for the current analysis run
     */
    record Candidate(long id, Trigger trigger, boolean pending, int attempts) {
    }

    /** The candidate, or null when it does not exist. */
    Candidate load(long id) throws Exception;

    /** Ids of the candidates whose analysis is pending, oldest first (re-queued at start). */
    List<Long> pending() throws Exception;

    /**
     * An attempt failed and another will follow: stores the attempt count and the error on the (still pending)
     * candidate, and records it in its history.
     */
    void attemptFailed(long id, int attempts, String error, String next) throws Exception;

    /**
     * Stores the assessment and marks the candidate {@code analyzed}, in one transaction.
     *
     * @return the assessment's id, or empty when the candidate is no longer pending (nothing was stored)
     */
    OptionalLong analyzed(long id, Insight insight, AnalysisMetadata metadata) throws Exception;

    /** Marks a pending candidate {@code failed} with the reason (and the attempts made). */
    void failed(long id, int attempts, String reason) throws Exception;

    /**
     * Takes the manual analysis requests other processes (dashboard, MCP) left in the database: deletes them and
     * returns the ids of the candidates that are now pending because of them.
     */
    List<Long> takeRequests() throws Exception;

    /**
     * True when {@code failure}, thrown by one of these methods, may heal by itself — another process holds the
     * database's lock, the disk is full: the analyzer then retries the write until it succeeds (or Eyes stops)
     * instead of giving up on a finished analysis.
     */
    default boolean transientFailure(Exception failure) {
        return false;
    }
}
