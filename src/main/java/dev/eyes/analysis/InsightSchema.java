package dev.eyes.analysis;

import dev.eyes.json.JsonTrees;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shape of an answer: shown in the prompt, and sent to Ollama as {@code format} so the model's output
 * is constrained to it. Field names are the original's.
 */
public final class InsightSchema {
    public static final String[] FIELDS = {"summary", "root_cause", "recommendations", "evidence",
        "observation_confidence", "diagnosis_confidence", "limitations", "severity"};

    private InsightSchema() {
    }

    /** A fresh copy of the JSON schema. */
    public static ObjectNode schema() {
        ObjectNode s = JsonTrees.object();
        s.put("type", "object");
        ObjectNode p = s.putObject("properties");
        p.putObject("summary").put("type", "string");
        p.putObject("root_cause").putArray("type").add("string").add("null");
        stringArray(p, "recommendations");
        stringArray(p, "evidence");
        confidence(p, "observation_confidence");
        confidence(p, "diagnosis_confidence");
        stringArray(p, "limitations");
        p.putObject("severity").put("type", "string").putArray("enum").add("info").add("warning").add("critical");
        ArrayNode required = s.putArray("required");
        for (String f : FIELDS) {
            required.add(f);
        }
        return s;
    }

    /** An example answer, for the prompt. */
    public static ObjectNode example() {
        ObjectNode e = JsonTrees.object();
        e.put("summary", "nginx.service logged 12 distinct upstream connection errors within 10 seconds.");
        e.putNull("root_cause");
        e.putArray("recommendations")
                .add("Check whether the upstream service is running and listening on the configured port.");
        e.putArray("evidence").add("12 distinct 'connect() failed (111: Connection refused)' errors from nginx");
        e.put("observation_confidence", "high");
        e.put("diagnosis_confidence", "low");
        e.putArray("limitations").add("The upstream service's own logs were not supplied.");
        e.put("severity", "warning");
        return e;
    }

    private static void stringArray(ObjectNode p, String name) {
        ObjectNode a = p.putObject(name);
        a.put("type", "array");
        a.putObject("items").put("type", "string");
    }

    private static void confidence(ObjectNode p, String name) {
        p.putObject(name).put("type", "string").putArray("enum").add("low").add("medium").add("high");
    }
}
