package dev.eyes.analysis;

import dev.eyes.event.Severity;
import java.util.List;
import java.util.Objects;

/**
 * A diagnosis of one trigger, as parsed from the model's answer and made safe by {@link InsightSanitizer}.
 *
 * @param summary               one or two sentences on what happened (never blank)
 * @param rootCause             the cause, only when the evidence supports one; else null
 * @param recommendations       proportional, reversible next steps (may be empty)
 * @param evidence              the observations the diagnosis rests on
 * @param observationConfidence low | medium | high | unknown: how well the evidence shows what happened
 * @param diagnosisConfidence   low | medium | high | unknown: how well it supports the root cause
 * @param limitations           what the analysis could not see or had to drop
 * @param severity              at most the trigger's expected severity
 */
public record Insight(String summary, String rootCause, List<String> recommendations, List<String> evidence,
                      String observationConfidence, String diagnosisConfidence, List<String> limitations,
                      Severity severity) {
    public Insight {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(severity, "severity");
        recommendations = List.copyOf(recommendations);
        evidence = List.copyOf(evidence);
        limitations = List.copyOf(limitations);
        observationConfidence = observationConfidence == null ? "unknown" : observationConfidence;
        diagnosisConfidence = diagnosisConfidence == null ? "unknown" : diagnosisConfidence;
    }

    /** A copy with another severity. */
    public Insight withSeverity(Severity s) {
        return new Insight(summary, rootCause, recommendations, evidence, observationConfidence, diagnosisConfidence,
                limitations, s);
    }
}
