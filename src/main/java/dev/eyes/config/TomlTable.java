package dev.eyes.config;

import dev.eyes.json.JsonTrees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A typed, validating view of one TOML table. Every getter records the key as known, so that
 * {@link #collectUnknown} can name the keys nobody asked for. Errors name the full dotted key
 * and what is allowed.
 */
final class TomlTable {
    private final String path;
    private final JsonNode node;
    private final Set<String> used = new HashSet<>();
    private final List<TomlTable> children = new ArrayList<>();

    TomlTable(String path, JsonNode node) {
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    boolean present() {
        return node.isObject();
    }

    boolean has(String key) {
        return node.has(key);
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private JsonNode value(String name) {
        used.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    TomlTable table(String name) throws ConfigException {
        JsonNode v = value(name);
        if (v != null && !v.isObject()) {
            throw new ConfigException(key(name), key(name) + " must be a table ([" + key(name) + "])");
        }
        TomlTable t = new TomlTable(key(name), v);
        children.add(t);
        return t;
    }

    List<TomlTable> tables(String name) throws ConfigException {
        JsonNode v = value(name);
        List<TomlTable> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException(key(name), key(name) + " must be an array of tables ([[" + key(name) + "]])");
        }
        int i = 0;
        for (JsonNode item : v) {
            String itemPath = key(name) + "[" + i++ + "]";
            if (!item.isObject()) {
                throw new ConfigException(itemPath, itemPath + " must be a table");
            }
            TomlTable t = new TomlTable(itemPath, item);
            children.add(t);
            out.add(t);
        }
        return out;
    }

    String string(String name, String def) throws ConfigException {
        JsonNode v = value(name);
        if (v == null) {
            return def;
        }
        if (!v.isString()) {
            throw new ConfigException(key(name), key(name) + " must be a string, got " + describe(v));
        }
        return v.stringValue();
    }

    String nonEmptyString(String name, String def) throws ConfigException {
        String s = string(name, def);
        if (s == null || s.isBlank()) {
            throw new ConfigException(key(name), key(name) + " must not be empty");
        }
        return s;
    }

    boolean bool(String name, boolean def) throws ConfigException {
        JsonNode v = value(name);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(key(name), key(name) + " must be true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    int integer(String name, int def, int min, int max) throws ConfigException {
        return (int) longValue(name, def, min, max);
    }

    long longValue(String name, long def, long min, long max) throws ConfigException {
        JsonNode v = value(name);
        if (v == null) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ConfigException(key(name), key(name) + " must be an integer from " + min + " to " + max
                    + ", got " + describe(v));
        }
        long l = v.longValue();
        if (l < min || l > max) {
            throw new ConfigException(key(name), key(name) + " must be an integer from " + min + " to " + max
                    + ", got " + l);
        }
        return l;
    }

    double decimal(String name, double def, double min, double max) throws ConfigException {
        JsonNode v = value(name);
        if (v == null) {
            return def;
        }
        if (!v.isNumber()) {
            throw new ConfigException(key(name), key(name) + " must be a number from " + fmt(min) + " to " + fmt(max)
                    + ", got " + describe(v));
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw new ConfigException(key(name), key(name) + " must be a number from " + fmt(min) + " to " + fmt(max)
                    + ", got " + fmt(d));
        }
        return d;
    }

    List<String> strings(String name, List<String> def) throws ConfigException {
        JsonNode v = value(name);
        if (v == null) {
            return def;
        }
        if (!v.isArray()) {
            throw new ConfigException(key(name), key(name) + " must be an array of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isString()) {
                throw new ConfigException(key(name), key(name) + " must be an array of strings, found " + describe(item));
            }
            out.add(item.stringValue());
        }
        return List.copyOf(out);
    }

    Map<String, String> stringMap(String name) throws ConfigException {
        JsonNode v = value(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            throw new ConfigException(key(name), key(name) + " must be a table of strings, e.g. { \"X-Token\" = \"...\" }");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isString()) {
                throw new ConfigException(key(name) + "." + e.getKey(), key(name) + "." + e.getKey()
                        + " must be a string, got " + describe(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return out;
    }

    /** A value from a fixed set, matched case-insensitively; the error lists the allowed names. */
    <E> E choice(String name, E def, Map<String, E> allowed) throws ConfigException {
        String s = string(name, null);
        if (s == null) {
            return def;
        }
        E e = allowed.get(s.trim().toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new ConfigException(key(name), key(name) + " must be one of " + String.join(", ", allowed.keySet())
                    + ", got \"" + s + "\"");
        }
        return e;
    }

    <E extends Enum<E>> E enumChoice(String name, E def, E[] values, Function<E, String> wire) throws ConfigException {
        Map<String, E> allowed = new LinkedHashMap<>();
        for (E e : values) {
            allowed.put(wire.apply(e).toLowerCase(Locale.ROOT), e);
        }
        String s = string(name, null);
        if (s == null) {
            return def;
        }
        E e = allowed.get(s.trim().toLowerCase(Locale.ROOT));
        if (e == null) {
            List<String> names = new ArrayList<>();
            for (E x : values) {
                names.add(wire.apply(x));
            }
            throw new ConfigException(key(name), key(name) + " must be one of " + String.join(", ", names)
                    + ", got \"" + s + "\"");
        }
        return e;
    }

    /** Adds the dotted names of keys present in the file that no getter asked for. */
    void collectUnknown(List<String> out) {
        if (!node.isObject()) {
            return;
        }
        for (String k : node.propertyNames()) {
            if (!used.contains(k)) {
                out.add(key(k));
            }
        }
        for (TomlTable c : children) {
            c.collectUnknown(out);
        }
    }

    private static String describe(JsonNode v) {
        if (v.isString()) {
            return "\"" + v.stringValue() + "\"";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "a table";
        }
        return JsonTrees.write(v);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
