package dev.eyes.source.journald;

import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.DecodeCounters;
import dev.eyes.source.JsonObjectFramer;
import dev.eyes.source.LogDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes {@code journalctl -o json} output: compact lines (current systemd), the old spaced style
 * ({@code { "KEY" : "value" }}), and pretty-printed objects over several lines ({@code -o json-pretty}).
 *
 * <p>Fields: {@code __REALTIME_TIMESTAMP} (µs since the epoch; required), {@code PRIORITY} (0..7, default 6),
 * {@code SYSLOG_IDENTIFIER} or else {@code _COMM} as process, {@code _PID}, {@code _SYSTEMD_UNIT} as subsystem,
 * {@code SYSLOG_FACILITY} as category (its name), {@code MESSAGE} — a string, an array of bytes (decoded as
 * UTF-8, invalid bytes replaced), or an array of values when the field repeats (the first is used) — and
 * {@code __CURSOR} as the resume position. Only the fields needed are materialised; the rest are skipped
 * by the streaming parser.
 */
public final class JournaldDecoder implements LogDecoder {
    static final JsonFactory JSON = JsonFactory.builder().build();
    private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
        "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2",
        "local3", "local4", "local5", "local6", "local7"};

    private final DecodeCounters counters = new DecodeCounters();
    private final String[] names = new String[512];
    private final JsonObjectFramer framer = new JsonObjectFramer(4 << 20);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private RecordHandler current;
    private final JsonObjectFramer.Sink framed = new JsonObjectFramer.Sink() {
        @Override
        public void object(byte[] buf, int off, int len) throws InterruptedException {
            if (decodeObject(buf, off, len, current) == Outcome.TRAILING) {
                counters.recordSkipped();
            }
        }

        @Override
        public void junk() {
            counters.recordSkipped();
        }
    };

    @Override
    public DecodeCounters counters() {
        return counters;
    }

    @Override
    public void feedLine(byte[] buf, int off, int len, boolean truncated, RecordHandler out)
            throws InterruptedException {
        if (truncated) {
            counters.recordSkipped();
            return;
        }
        if (!framer.inObject()) {
            int s = off;
            int e = off + len;
            while (s < e && isSpace(buf[s])) {
                s++;
            }
            while (e > s && isSpace(buf[e - 1])) {
                e--;
            }
            if (s == e) {
                return;
            }
            if (buf[s] == '{' && buf[e - 1] == '}') {
                // fast path: one whole object on one line (journalctl -o json)
                if (decodeObject(buf, s, e - s, out) != Outcome.TRAILING) {
                    return;
                }
                // several objects on one line: let the framer split them
            }
        }
        current = out;
        framer.feedLine(buf, off, len, framed);
    }

    @Override
    public void finish(RecordHandler out) throws InterruptedException {
        current = out;
        framer.finish(framed);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private enum Outcome { READ, SKIPPED, TRAILING }

    /**
     * Decodes one JSON object. Malformed or incomplete records are counted and skipped; text after a complete
     * object is reported as TRAILING (nothing counted) so the caller can split it.
     */
    private Outcome decodeObject(byte[] buf, int off, int len, RecordHandler out) throws InterruptedException {
        Entry entry;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), buf, off, len)) {
            entry = parse(p);
        } catch (JacksonException | IllegalArgumentException e) {
            // a bad value (invalid UTF-8, a MESSAGE byte array with a non-number…) in the first of several objects
            // on one line: let the caller split the line, or the objects after it would be lost uncounted
            entry = completeObjectThenMore(buf, off, len) ? TRAILING_CONTENT : null;
        }
        if (entry == TRAILING_CONTENT) {
            return Outcome.TRAILING;
        }
        if (entry == null) {
            counters.recordSkipped();
            return Outcome.SKIPPED;
        }
        counters.recordRead();
        out.accept(entry.event, entry.cursor);
        return Outcome.READ;
    }

    /** True when the bytes hold a syntactically complete object followed by more text. */
    private static boolean completeObjectThenMore(byte[] buf, int off, int len) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), buf, off, len)) {
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

    private record Entry(LogEvent event, String cursor) {
    }

    private static final Entry TRAILING_CONTENT = new Entry(null, null);

    private Entry parse(JsonParser p) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String cursor = null;
        long realtime = -1;
        int priority = 6;
        String identifier = null;
        String comm = null;
        long pid = 0;
        String unit = null;
        String facility = "";
        String message = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "__CURSOR" -> cursor = scalar(p, t);
                case "__REALTIME_TIMESTAMP" -> realtime = number(p, t, -1);
                case "PRIORITY" -> priority = (int) number(p, t, 6);
                case "SYSLOG_IDENTIFIER" -> identifier = shared(p, t);
                case "_COMM" -> comm = shared(p, t);
                case "_PID" -> pid = number(p, t, 0);
                case "_SYSTEMD_UNIT" -> unit = shared(p, t);
                case "SYSLOG_FACILITY" -> facility = facility(number(p, t, -1));
                case "MESSAGE" -> message = value(p, t);
                default -> p.skipChildren();
            }
        }
        try {
            if (p.nextToken() != null) {
                return TRAILING_CONTENT;
            }
        } catch (JacksonException e) {
            return TRAILING_CONTENT;
        }
        if (realtime < 0) {
            return null;
        }
        Instant ts = Instant.ofEpochSecond(realtime / 1_000_000, (realtime % 1_000_000) * 1_000);
        String process = identifier != null && !identifier.isEmpty() ? identifier : comm;
        LogEvent event = new LogEvent(ts, MessageType.fromPriority(priority), unit, facility, process, pid,
                message == null ? "" : message);
        return new Entry(event, cursor);
    }

    /** A non-negative decimal (string or number) read without allocating; {@code def} when it is anything else. */
    private static long number(JsonParser p, JsonToken t, long def) {
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            return parseLong(scalar(p, t), def);
        }
        char[] chars = p.getStringCharacters();
        int off = p.getStringOffset();
        int len = p.getStringLength();
        if (len == 0 || len > 18) {
            return def;
        }
        long v = 0;
        for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (c < '0' || c > '9') {
                return def;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * A short value that repeats from line to line (process, unit): looked up in a small cache by its characters, so
     * the same name is one String, not one per line.
     */
    private String shared(JsonParser p, JsonToken t) {
        if (t != JsonToken.VALUE_STRING) {
            return value(p, t);
        }
        char[] chars = p.getStringCharacters();
        int off = p.getStringOffset();
        int len = p.getStringLength();
        if (len > 64) {
            return p.getString();
        }
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + chars[i];
        }
        int slot = (h ^ (h >>> 16)) & (names.length - 1);
        String cached = names[slot];
        if (cached != null && cached.length() == len) {
            boolean same = true;
            for (int i = 0; i < len; i++) {
                if (cached.charAt(i) != chars[off + i]) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return cached;
            }
        }
        String s = new String(chars, off, len);
        names[slot] = s;
        return s;
    }

    /** A scalar as text (string or number); null for arrays, objects and null. */
    private static String scalar(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getString();
        }
        if (t == JsonToken.START_ARRAY) {
            // a repeated field: take the first scalar
            String first = null;
            JsonToken x;
            while ((x = p.nextToken()) != JsonToken.END_ARRAY && x != null) {
                if (first == null && (x == JsonToken.VALUE_STRING || x == JsonToken.VALUE_NUMBER_INT)) {
                    first = p.getString();
                } else {
                    p.skipChildren();
                }
            }
            return first;
        }
        p.skipChildren();
        return null;
    }

    /**
     * A field value: a string; an array of byte values (non-UTF-8 or binary data, decoded with replacement);
     * or an array of values when the field occurs more than once (the first value wins).
     */
    private String value(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getString();
        }
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        JsonToken x = p.nextToken();
        if (x == JsonToken.END_ARRAY) {
            return "";
        }
        if (x == JsonToken.VALUE_NUMBER_INT) {
            byte[] bytes = new byte[64];
            int n = 0;
            do {
                if (x != JsonToken.VALUE_NUMBER_INT) {
                    throw new IllegalArgumentException("byte array with a non-number");
                }
                int v = p.getIntValue();
                if (n == bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, n * 2);
                }
                bytes[n++] = (byte) v;
            } while ((x = p.nextToken()) != JsonToken.END_ARRAY && x != null);
            return decodeUtf8(bytes, n);
        }
        String first = value(p, x);
        while ((x = p.nextToken()) != JsonToken.END_ARRAY && x != null) {
            p.skipChildren();
        }
        return first;
    }

    private String decodeUtf8(byte[] bytes, int n) {
        try {
            CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(bytes, 0, n));
            return cb.toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, 0, n, StandardCharsets.UTF_8);
        }
    }

    private static String facility(long n) {
        return n >= 0 && n < FACILITIES.length ? FACILITIES[(int) n] : "";
    }

    private static long parseLong(String s, long def) {
        if (s == null || s.isEmpty()) {
            return def;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || i > 18) {
                return def;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
