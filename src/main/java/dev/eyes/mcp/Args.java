package dev.eyes.mcp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool call's arguments, read by type with plain messages for what is wrong ("alert_id is required",
 * "alert_id must be an integer, not the string \"abc\"", "unknown argument 'resolution_state'; list_alerts takes
 * severity, …"). Clients send what the model wrote, so nothing is taken on trust: the SDK's own schema validation
 * is off and this is the only check. A JSON {@code null} counts as absent. Integers may come as JSON numbers with
 * no fraction ({@code 42.0}), as JSON Schema allows; numeric strings are refused, as the schema says integer.
 */
final class Args {
    private final Map<String, Object> raw;

    Args(String tool, Map<String, Object> raw, Schema schema) throws ToolError {
        this.raw = raw == null ? Map.of() : raw;
        for (String key : this.raw.keySet()) {
            if (!schema.names().contains(key)) {
                throw new ToolError("unknown argument '" + key + "'; " + tool + " takes "
                        + (schema.names().isEmpty() ? "no arguments" : String.join(", ", schema.names())));
            }
        }
    }

    private Object value(String name) {
        return raw.get(name);
    }

    long requiredLong(String name) throws ToolError {
        Object v = value(name);
        if (v == null) {
            throw new ToolError(name + " is required");
        }
        return toLong(name, v);
    }

    /** An int argument; values beyond the int range become the nearest int bound, so range checks still fail. */
    Integer optionalInt(String name) throws ToolError {
        Object v = value(name);
        if (v == null) {
            return null;
        }
        long l = toLong(name, v);
        return Math.clamp(l, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    String requiredString(String name) throws ToolError {
        Object v = value(name);
        if (v == null) {
            throw new ToolError(name + " is required");
        }
        return toText(name, v);
    }

    String optionalString(String name) throws ToolError {
        Object v = value(name);
        return v == null ? null : toText(name, v);
    }

    boolean bool(String name, boolean defaultValue) throws ToolError {
        Object v = value(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ToolError(name + " must be true or false, not " + describe(v));
    }

    Boolean optionalBool(String name) throws ToolError {
        return value(name) == null ? null : bool(name, false);
    }

    List<Long> longs(String name) throws ToolError {
        Object v = value(name);
        if (v == null) {
            throw new ToolError(name + " is required");
        }
        if (!(v instanceof List<?> list)) {
            throw new ToolError(name + " must be an array of integers, not " + describe(v));
        }
        List<Long> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item == null) {
                throw new ToolError(name + "[" + i + "] must be an integer, not null");
            }
            out.add(toLong(name + "[" + i + "]", item));
        }
        return out;
    }

    private static long toLong(String name, Object v) throws ToolError {
        switch (v) {
            case Integer i -> {
                return i;
            }
            case Long l -> {
                return l;
            }
            case Short s -> {
                return s;
            }
            case BigInteger b -> {
                if (b.bitLength() < 64) {
                    return b.longValue();
                }
                throw new ToolError(name + " is out of range: " + b);
            }
            case Number n -> {
                BigDecimal d;
                try {
                    d = new BigDecimal(n.toString());
                } catch (NumberFormatException e) {
                    throw new ToolError(name + " must be an integer, not " + n);
                }
                try {
                    return d.longValueExact();
                } catch (ArithmeticException e) {
                    throw new ToolError(d.stripTrailingZeros().scale() > 0
                            ? name + " must be an integer, not " + n
                            : name + " is out of range: " + n);
                }
            }
            default -> throw new ToolError(name + " must be an integer, not " + describe(v));
        }
    }

    private static String toText(String name, Object v) throws ToolError {
        if (v instanceof String s) {
            return s;
        }
        throw new ToolError(name + " must be a string, not " + describe(v));
    }

    /** What the value is, for a message: "the string \"abc\"", "an array", "true" … */
    static String describe(Object v) {
        return switch (v) {
            case String s -> "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
            case Boolean b -> b.toString();
            case Number n -> "the number " + n;
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a " + v.getClass().getSimpleName();
        };
    }
}
