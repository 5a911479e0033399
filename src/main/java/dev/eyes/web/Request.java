package dev.eyes.web;

import com.sun.net.httpserver.HttpExchange;
import dev.eyes.json.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One HTTP request as the handlers see it: method, decoded path segments, query parameters, a bounded body. */
final class Request {
    /** Request bodies are small JSON objects; anything bigger is refused (413). */
    static final int MAX_BODY_BYTES = 64 * 1024;

    final HttpExchange exchange;
    final String method;
    final String path;
    final List<String> segments;
    private final Map<String, List<String>> query;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        this.path = exchange.getRequestURI().getRawPath();
        this.segments = segments(path);
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                        .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("the query string is not valid URL encoding");
            }
        }
        return out;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The first value of a query parameter; null when absent or empty. */
    String param(String name) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        String s = v.getFirst().trim();
        return s.isEmpty() ? null : s;
    }

    boolean has(String name) {
        return query.containsKey(name);
    }

    Integer intParam(String name) {
        String v = param(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a whole number, not '" + clip(v) + "'");
        }
    }

    /** true for {@code true}/{@code 1}/{@code yes}/{@code on}, false for their opposites, else {@code dflt}. */
    boolean boolParam(String name, boolean dflt) {
        String v = param(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw HttpError.badRequest(name + " must be true or false, not '" + clip(v) + "'");
        };
    }

    /** The path segment at {@code i} as an id (a positive whole number), else 404. */
    long id(int i, String what) {
        String s = segments.get(i);
        try {
            long v = Long.parseLong(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw HttpError.notFound(what + " '" + clip(s) + "' does not exist: ids are positive whole numbers");
    }

    /**
     * The body as a JSON object (an empty body is an empty object). At most {@link #MAX_BODY_BYTES} are read;
     * more is refused with 413, something that is not a JSON object with 400.
     */
    ObjectNode json() throws IOException {
        byte[] body = readBody();
        if (body.length == 0) {
            return JsonTrees.object();
        }
        JsonNode n;
        try {
            n = JsonTrees.parse(body);
        } catch (JacksonException e) {
            throw HttpError.badRequest("the body is not valid JSON");
        }
        if (n instanceof ObjectNode o) {
            return o;
        }
        throw HttpError.badRequest("the body must be a JSON object");
    }

    byte[] readBody() throws IOException {
        String length = header("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    throw new HttpError(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
                }
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("Content-Length is not a number");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw new HttpError(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return b;
        }
    }

    static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    /** A string field of a body: trimmed, null when absent, null or blank; 400 when not a string. */
    static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw HttpError.badRequest(field + " must be a string");
        }
        String s = n.asString().trim();
        return s.isEmpty() ? null : s;
    }

    /** A whole-number field of a body, null when absent; 400 when it is something else. */
    static Long number(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isString()) {
            try {
                return Long.parseLong(n.asString().trim());
            } catch (NumberFormatException ignored) {
                // below
            }
        }
        throw HttpError.badRequest(field + " must be a whole number");
    }
}
