package dev.eyes.analysis;

/**
 * Receives every candidate once its assessment is stored: the hand-off to the alert stage. Called on the
 * analysis thread that produced it; implementations must return quickly (queue the work, do not deliver here).
 */
@FunctionalInterface
public interface InsightSink {
    void accept(AnalyzedCandidate analyzed);

    InsightSink NONE = a -> {
    };
}
