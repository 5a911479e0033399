package dev.eyes.soak;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The accounting oracle of the JSON log decoders: how many records a stream of lines holds, as their documented
 * framing defines them. A record is a line cut at the reader's size limit, a {@code log} banner line (macOS), a
 * complete top-level JSON object, a cut-off object (unterminated string at the end of a line, or open at the end
 * of input), or a piece of non-JSON text outside any object (the rest of its line). journald additionally reads a
 * line that is one whole {@code {…}} directly: it is one record unless a complete object is followed by more
 * text, in which case the line is framed like any other. Blank lines and the layout between objects ({@code [ ] ,}
 * and white space) are not records. Each record must end up parsed, skipped or ignored — exactly once.
 */
final class JsonUnits {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final String[] BANNERS = {"Filtering the log data", "Skipping ", "Timestamp ", "log: "};

    private final boolean wholeLineFastPath;
    private final boolean banners;
    private int depth;
    private boolean inString;
    private boolean escape;
    private long records;

    private JsonUnits(boolean wholeLineFastPath, boolean banners) {
        this.wholeLineFastPath = wholeLineFastPath;
        this.banners = banners;
    }

    static JsonUnits journald() {
        return new JsonUnits(true, false);
    }

    static JsonUnits osLog() {
        return new JsonUnits(false, true);
    }

    long records() {
        return records;
    }

    void line(byte[] b, int len, boolean truncated) {
        if (truncated) {
            records++;
            return;
        }
        if (depth == 0 && banners && isBanner(b, len)) {
            records++;
            return;
        }
        if (depth == 0 && wholeLineFastPath) {
            int s = 0;
            int e = len;
            while (s < e && isSpace(b[s])) {
                s++;
            }
            while (e > s && isSpace(b[e - 1])) {
                e--;
            }
            if (s == e) {
                return;
            }
            if (b[s] == '{' && b[e - 1] == '}' && !completeObjectThenMore(b, s, e - s)) {
                records++;
                return;
            }
        }
        frame(b, len);
    }

    void finish() {
        if (depth > 0) {
            records++;
            depth = 0;
        }
    }

    private void frame(byte[] b, int len) {
        int i = 0;
        while (i < len) {
            if (depth == 0) {
                byte c = b[i];
                if (c == '{') {
                    depth = 1;
                    inString = false;
                    escape = false;
                    i++;
                    continue;
                }
                if (c == ' ' || c == '\t' || c == '\r' || c == '[' || c == ']' || c == ',') {
                    i++;
                    continue;
                }
                records++; // text outside an object: the rest of the line is one piece of junk
                return;
            }
            while (i < len && depth > 0) {
                byte c = b[i++];
                if (inString) {
                    if (escape) {
                        escape = false;
                    } else if (c == '\\') {
                        escape = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            }
            if (depth == 0) {
                records++;
            } else if (inString) {
                records++; // a string cannot span lines: the object was cut off
                depth = 0;
                inString = false;
                escape = false;
            }
        }
    }

    /** True when the bytes start with a syntactically complete JSON object that is followed by more text. */
    private static boolean completeObjectThenMore(byte[] b, int off, int len) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), b, off, len)) {
            try {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return false;
                }
                p.skipChildren();
            } catch (JacksonException e) {
                return false;
            }
            try {
                return p.nextToken() != null;
            } catch (JacksonException e) {
                return true;
            }
        }
    }

    private static boolean isBanner(byte[] b, int len) {
        int s = 0;
        while (s < len && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        for (String prefix : BANNERS) {
            if (len - s >= prefix.length()) {
                boolean same = true;
                for (int i = 0; i < prefix.length() && same; i++) {
                    same = b[s + i] == prefix.charAt(i);
                }
                if (same) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
