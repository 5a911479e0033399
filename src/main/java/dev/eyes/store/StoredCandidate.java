package dev.eyes.store;

import dev.eyes.rule.Trigger;

/** A trigger as stored: its id (the dashboard's "Signal" number) and its evidence. */
public record StoredCandidate(long id, Trigger trigger, AnalysisStatus status) {
}
