package dev.eyes.store;

import dev.eyes.rule.Trigger;

/**
 * A trigger as stored: its id (the dashboard's "Signal" number), its evidence, its analysis status and the
 * analysis attempts recorded for its current run.
 */
public record StoredCandidate(long id, Trigger trigger, AnalysisStatus status, int attempts) {
    public StoredCandidate(long id, Trigger trigger, AnalysisStatus status) {
        this(id, trigger, status, 0);
    }
}
