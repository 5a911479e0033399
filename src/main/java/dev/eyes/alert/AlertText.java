package dev.eyes.alert;

import dev.eyes.analysis.Insight;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A notification's title and body (reference §10): title {@code System Alert: {summary}} of at most
 * {@value #TITLE_BYTES} bytes; body of at most {@value #BODY_BYTES} bytes with the cause, both confidences, up to
 * two evidence lines, the first limitation and up to three numbered recommendations ({@code ... and N more
 * recommendations}). Longer texts are cut on a UTF-8 character boundary and end with {@code ...}.
 */
public final class AlertText {
    public static final int TITLE_BYTES = 256;
    public static final int BODY_BYTES = 1024;
    static final int EVIDENCE_LINES = 2;
    static final int RECOMMENDATIONS = 3;
    private static final String ELLIPSIS = "...";

    private AlertText() {
    }

    public static String title(Insight insight) {
        return truncate("System Alert: " + insight.summary(), TITLE_BYTES);
    }

    public static String body(Insight insight) {
        StringBuilder b = new StringBuilder();
        if (insight.rootCause() != null && !insight.rootCause().isBlank()) {
            b.append("Cause: ").append(insight.rootCause()).append("\n\n");
        }
        b.append("Observation confidence: ").append(insight.observationConfidence()).append('\n');
        b.append("Diagnosis confidence: ").append(insight.diagnosisConfidence()).append('\n');
        List<String> evidence = insight.evidence();
        for (int i = 0; i < Math.min(EVIDENCE_LINES, evidence.size()); i++) {
            b.append("Evidence: ").append(evidence.get(i)).append('\n');
        }
        if (!insight.limitations().isEmpty()) {
            b.append("Limitation: ").append(insight.limitations().getFirst()).append('\n');
        }
        b.append('\n');
        List<String> recs = insight.recommendations();
        if (recs.isEmpty()) {
            b.append("No specific recommendations available.");
        } else {
            b.append("Recommendations:\n");
            for (int i = 0; i < Math.min(RECOMMENDATIONS, recs.size()); i++) {
                b.append(i + 1).append(". ").append(recs.get(i)).append('\n');
            }
            if (recs.size() > RECOMMENDATIONS) {
                int more = recs.size() - RECOMMENDATIONS;
                b.append("... and ").append(more).append(" more recommendation").append(more == 1 ? "" : "s");
            }
        }
        return truncate(b.toString().strip(), BODY_BYTES);
    }

    /**
     * {@code s} if its UTF-8 form has at most {@code maxBytes} bytes; else its longest prefix of whole characters
     * (code points: a surrogate pair is never split) that fits with {@code ...} appended.
     */
    public static String truncate(String s, int maxBytes) {
        if (utf8Length(s) <= maxBytes) {
            return s;
        }
        int budget = maxBytes - ELLIPSIS.length();
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = utf8Length(cp);
            if (bytes + n > budget) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i) + ELLIPSIS;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int utf8Length(int cp) {
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        // a lone surrogate is encoded as '?' (1 byte); counting 3 only errs on the short side
        return cp < 0x10000 ? 3 : 4;
    }
}
