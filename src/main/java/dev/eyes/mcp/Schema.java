package dev.eyes.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tool's input schema (a JSON Schema object with named, typed properties), built in declaration order. Extra
 * properties are not allowed: {@link Args} refuses an argument the schema does not name, so a misspelt filter is
 * an error instead of being ignored.
 */
final class Schema {
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    static Schema object() {
        return new Schema();
    }

    private Schema add(String name, boolean isRequired, Map<String, Object> property) {
        properties.put(name, property);
        if (isRequired) {
            required.add(name);
        }
        return this;
    }

    private static Map<String, Object> property(String type, String description) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type);
        p.put("description", description);
        return p;
    }

    /** A required integer id. */
    Schema id(String name, String description) {
        return add(name, true, property("integer", description));
    }

    /** An optional integer in {@code [min, max]} (max null = unbounded) with a default. */
    Schema integer(String name, String description, long min, Long max, long defaultValue) {
        Map<String, Object> p = property("integer", description);
        p.put("minimum", min);
        if (max != null) {
            p.put("maximum", max);
        }
        p.put("default", defaultValue);
        return add(name, false, p);
    }

    Schema string(String name, String description, boolean isRequired) {
        Map<String, Object> p = property("string", description);
        if (isRequired) {
            p.put("minLength", 1);
        }
        return add(name, isRequired, p);
    }

    /** An optional string, one of {@code values}. */
    Schema choice(String name, String description, List<String> values) {
        Map<String, Object> p = property("string", description);
        p.put("enum", List.copyOf(values));
        return add(name, false, p);
    }

    Schema bool(String name, String description, boolean defaultValue) {
        Map<String, Object> p = property("boolean", description);
        p.put("default", defaultValue);
        return add(name, false, p);
    }

    /** An optional boolean without a default (absent = no filter). */
    Schema optionalBool(String name, String description) {
        return add(name, false, property("boolean", description));
    }

    /** A required, non-empty array of integer ids. */
    Schema ids(String name, String description) {
        Map<String, Object> p = property("array", description);
        p.put("items", Map.of("type", "integer"));
        p.put("minItems", 1);
        p.put("uniqueItems", true);
        return add(name, true, p);
    }

    Set<String> names() {
        return properties.keySet();
    }

    boolean isRequired(String name) {
        return required.contains(name);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "object");
        m.put("properties", properties);
        if (!required.isEmpty()) {
            m.put("required", List.copyOf(required));
        }
        m.put("additionalProperties", false);
        return m;
    }
}
