package dev.eyes.analysis;

import dev.eyes.event.Severity;
import dev.eyes.json.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a model's answer text into an {@link Insight} (reference §9), before sanitising.
 * <ol>
 *   <li>Find the JSON: the body of a {@code ```json} fence; else any {@code ```} fence whose body is an object;
 *       else the text from the first {@code {} to the last {@code }}; else the raw text. (The original's first
 *       step matched its own opening fence; this one does not.)</li>
 *   <li>Read the fields: {@code summary} (required, non-blank), {@code recommendations} (required; a single
 *       string counts as one), {@code severity} (required; "critical"/"warning", any case, else info),
 *       {@code root_cause} (optional; blank or "null"/"none" → none), {@code evidence} and {@code limitations}
 *       (default empty), {@code observation_confidence} (alias {@code confidence}) and
 *       {@code diagnosis_confidence} (default "unknown"). Numbers and booleans where text is expected are taken
 *       as their text; list items that are objects are taken by their text-like field.</li>
 * </ol>
 * Anything else — no JSON, not an object, a required field missing or of a type that cannot be read — is an
 * invalid response ({@link AnalysisException.Kind#INVALID_RESPONSE}), which is retried.
 */
public final class InsightParser {
    private static final Pattern JSON_FENCE = Pattern.compile("```[ \\t]*(?i:json)[ \\t]*\\r?\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern ANY_FENCE = Pattern.compile("```[^\\n`]*\\r?\\n(.*?)```", Pattern.DOTALL);

    private final long maxBytes;

    /** @param maxBytes {@code ai.max_response_bytes}: a longer text is refused as invalid */
    public InsightParser(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Insight parse(String text) throws AnalysisException {
        if (text == null || text.isBlank()) {
            throw AnalysisException.invalid("the answer is empty");
        }
        if (text.length() > maxBytes || (text.length() * 3L > maxBytes
                && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes)) {
            throw AnalysisException.invalid("the answer exceeded ai.max_response_bytes (" + maxBytes + " bytes)");
        }
        String json = extractJson(text);
        JsonNode n;
        try {
            n = JsonTrees.parse(json);
        } catch (JacksonException e) {
            throw AnalysisException.invalid("the answer is not JSON (" + firstLine(e.getOriginalMessage())
                    + "): " + excerpt(text));
        }
        if (n == null || !n.isObject()) {
            throw AnalysisException.invalid("the answer is not a JSON object: " + excerpt(text));
        }
        String summary = text(n.get("summary"), "summary");
        if (summary == null || summary.isBlank()) {
            throw AnalysisException.invalid("the answer has no \"summary\"");
        }
        JsonNode recs = n.get("recommendations");
        if (recs == null) {
            throw AnalysisException.invalid("the answer has no \"recommendations\"");
        }
        JsonNode sev = n.get("severity");
        if (sev == null || sev.isNull()) {
            throw AnalysisException.invalid("the answer has no \"severity\"");
        }
        String severityText = text(sev, "severity");
        String root = text(n.get("root_cause"), "root_cause");
        if (root != null && (root.isBlank() || List.of("null", "none", "n/a", "unknown")
                .contains(root.strip().toLowerCase(Locale.ROOT)))) {
            root = null;
        }
        String observation = confidence(n.has("observation_confidence") ? n.get("observation_confidence")
                : n.get("confidence"), "observation_confidence");
        String diagnosis = confidence(n.get("diagnosis_confidence"), "diagnosis_confidence");
        return new Insight(summary.strip(), root == null ? null : root.strip(), list(recs, "recommendations"),
                list(n.get("evidence"), "evidence"), observation, diagnosis, list(n.get("limitations"), "limitations"),
                severity(severityText));
    }

    /** Fenced ```json body, else a fenced object, else first '{' to last '}', else the text. */
    static String extractJson(String text) {
        Matcher m = JSON_FENCE.matcher(text);
        if (m.find()) {
            return m.group(1).strip();
        }
        m = ANY_FENCE.matcher(text);
        while (m.find()) {
            String body = m.group(1).strip();
            if (body.startsWith("{") && body.endsWith("}")) {
                return body;
            }
        }
        int first = text.indexOf('{');
        int last = text.lastIndexOf('}');
        if (first >= 0 && last > first) {
            return text.substring(first, last + 1);
        }
        return text.strip();
    }

    static Severity severity(String s) {
        if (s == null) {
            return Severity.INFO;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.CRITICAL;
            case "warning", "warn" -> Severity.WARNING;
            default -> Severity.INFO;
        };
    }

    /** A scalar as text; null for null/missing; an invalid response for objects and arrays. */
    private static String text(JsonNode v, String field) throws AnalysisException {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asString();
        }
        throw AnalysisException.invalid("\"" + field + "\" should be text, got " + kind(v));
    }

    /** Confidence as given (normalised later): text, or a number kept as its text. */
    private static String confidence(JsonNode v, String field) throws AnalysisException {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "unknown";
        }
        if (v.isObject() || v.isArray()) {
            return "unknown"; // unreadable confidence: not worth failing a diagnosis over
        }
        return text(v, field);
    }

    /** An array of texts; a single text is a list of one; null/missing is empty. */
    private static List<String> list(JsonNode v, String field) throws AnalysisException {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull() || v.isMissingNode()) {
            return out;
        }
        if (v.isString() || v.isNumber() || v.isBoolean()) {
            String s = v.asString().strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
            return out;
        }
        if (!v.isArray()) {
            throw AnalysisException.invalid("\"" + field + "\" should be a list, got " + kind(v));
        }
        for (JsonNode item : v) {
            String s = item(item);
            if (s != null && !s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static String item(JsonNode item) {
        if (item == null || item.isNull()) {
            return null;
        }
        if (item.isString() || item.isNumber() || item.isBoolean()) {
            return item.asString();
        }
        if (item.isObject()) {
            for (String k : List.of("text", "recommendation", "action", "description", "step", "detail", "summary")) {
                JsonNode v = item.get(k);
                if (v != null && v.isString()) {
                    return v.asString();
                }
            }
        }
        return JsonTrees.write(item);
    }

    private static String kind(JsonNode v) {
        return v.isObject() ? "an object" : v.isArray() ? "a list" : "a " + v.getNodeType().name().toLowerCase(
                Locale.ROOT);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String excerpt(String text) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= 120 ? "\"" + one + "\"" : "\"" + one.substring(0, 119) + "…\"";
    }
}
