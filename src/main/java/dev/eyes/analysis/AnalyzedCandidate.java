package dev.eyes.analysis;

import dev.eyes.rule.Trigger;

/**
 * A candidate whose assessment has been stored: what the alert stage receives.
 *
 * @param assessmentId the stored assessment's id (0 when no database is used, e.g. {@code eyes replay --analyze})
 */
public record AnalyzedCandidate(long candidateId, long assessmentId, Trigger trigger, Insight insight,
                                AnalysisMetadata metadata) {
}
