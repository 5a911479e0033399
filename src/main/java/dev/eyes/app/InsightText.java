package dev.eyes.app;

import dev.eyes.analysis.AnalysisMetadata;
import dev.eyes.analysis.Insight;
import dev.eyes.json.JsonTrees;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** How {@code eyes analyze} and {@code eyes replay --analyze} print an insight. */
final class InsightText {
    private InsightText() {
    }

    /** Indented lines, ending with how it was obtained (the mock says so). */
    static String text(Insight i, AnalysisMetadata m, String indent) {
        StringBuilder sb = new StringBuilder();
        sb.append(indent).append("Summary: ").append(i.summary()).append('\n');
        sb.append(indent).append("Severity: ").append(i.severity().wireName()).append('\n');
        sb.append(indent).append("Root cause: ").append(i.rootCause() == null ? "not determined" : i.rootCause())
                .append('\n');
        sb.append(indent).append("Confidence: observation ").append(i.observationConfidence()).append(", diagnosis ")
                .append(i.diagnosisConfidence()).append('\n');
        list(sb, indent, "Recommendations", i.recommendations(), true);
        list(sb, indent, "Evidence", i.evidence(), false);
        list(sb, indent, "Limitations", i.limitations(), false);
        sb.append(indent).append("Analysed by: ").append(m.backend())
                .append("mock".equals(m.backend()) ? " (mock backend: canned answer, no model was asked)"
                        : " model " + m.model())
                .append(", ").append(m.latencyMillis()).append(" ms, ").append(m.attempts())
                .append(m.attempts() == 1 ? " attempt" : " attempts").append(", ").append(m.redactionCount())
                .append(m.redactionCount() == 1 ? " redaction" : " redactions").append('\n');
        return sb.toString();
    }

    private static void list(StringBuilder sb, String indent, String title, List<String> items, boolean numbered) {
        sb.append(indent).append(title).append(':');
        if (items.isEmpty()) {
            sb.append(" none\n");
            return;
        }
        sb.append('\n');
        for (int k = 0; k < items.size(); k++) {
            sb.append(indent).append("  ").append(numbered ? (k + 1) + ". " : "- ").append(items.get(k)).append('\n');
        }
    }

    /** The insight and its metadata as JSON (the original's field names). */
    static ObjectNode json(Insight i, AnalysisMetadata m) {
        ObjectNode n = JsonTrees.object();
        n.put("summary", i.summary());
        n.put("root_cause", i.rootCause());
        ArrayNode recs = n.putArray("recommendations");
        i.recommendations().forEach(recs::add);
        ArrayNode ev = n.putArray("evidence");
        i.evidence().forEach(ev::add);
        n.put("observation_confidence", i.observationConfidence());
        n.put("diagnosis_confidence", i.diagnosisConfidence());
        ArrayNode lim = n.putArray("limitations");
        i.limitations().forEach(lim::add);
        n.put("severity", i.severity().wireName());
        n.put("backend", m.backend());
        n.put("model", m.model());
        n.put("latency_ms", m.latencyMillis());
        n.put("attempts", m.attempts());
        n.put("redaction_count", m.redactionCount());
        return n;
    }
}
