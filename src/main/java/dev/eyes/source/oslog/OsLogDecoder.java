package dev.eyes.source.oslog;

import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.DecodeCounters;
import dev.eyes.source.JsonObjectFramer;
import dev.eyes.source.LogDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes the macOS unified log as {@code log stream|show --style ndjson} (one object per line) or
 * {@code --style json} (a pretty-printed array, or objects pasted one after another) prints it. Text outside the
 * objects is passed over: the {@code Filtering the log data using …} and {@code Skipping info and debug messages…}
 * banners are recognised and not counted; the array's brackets and commas are layout; the
 * {@code {"count":N,"finished":1}} trailer that ends a {@code log show} is not a record.
 *
 * <p>Fields: {@code timestamp} ({@code 2024-12-09 10:30:45.123456-0800}; required), {@code messageType} (Error,
 * Fault, Info, Debug, and {@code Default} — the level of plain {@code os_log()} calls — which becomes info),
 * {@code eventMessage} (or {@code message}), {@code process} or else the last component of
 * {@code processImagePath}, {@code processID}, {@code subsystem}, {@code category}. Entries whose
 * {@code eventType} is not {@code logEvent} (activities, signposts, state and loss events) are passed over
 * and counted as ignored, not as malformed.
 */
public final class OsLogDecoder implements LogDecoder {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** {@code yyyy-MM-dd HH:mm:ss[.fraction]Z} with a {@code -0800} style offset (also {@code -08:00}, {@code Z}). */
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();

    private final DecodeCounters counters = new DecodeCounters();
    private final JsonObjectFramer framer = new JsonObjectFramer(4 << 20);
    private long ignored;
    private RecordHandler current;
    private final JsonObjectFramer.Sink framed = new JsonObjectFramer.Sink() {
        @Override
        public void object(byte[] buf, int off, int len) throws InterruptedException {
            decodeObject(buf, off, len, current);
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

    /** Entries passed over on purpose (banners, trailers, non-log events). */
    public long ignored() {
        return ignored;
    }

    @Override
    public void feedLine(byte[] buf, int off, int len, boolean truncated, RecordHandler out)
            throws InterruptedException {
        if (truncated) {
            counters.recordSkipped();
            return;
        }
        if (!framer.inObject() && isBanner(buf, off, len)) {
            ignored++;
            return;
        }
        current = out;
        framer.feedLine(buf, off, len, framed);
    }

    @Override
    public void finish(RecordHandler out) throws InterruptedException {
        current = out;
        framer.finish(framed);
    }

    private static boolean isBanner(byte[] buf, int off, int len) {
        int s = off;
        int e = off + len;
        while (s < e && (buf[s] == ' ' || buf[s] == '\t')) {
            s++;
        }
        return startsWith(buf, s, e, "Filtering the log data") || startsWith(buf, s, e, "Skipping ")
                || startsWith(buf, s, e, "Timestamp ") || startsWith(buf, s, e, "log: ");
    }

    private static boolean startsWith(byte[] buf, int s, int e, String prefix) {
        if (e - s < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf[s + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void decodeObject(byte[] buf, int off, int len, RecordHandler out) throws InterruptedException {
        Result r;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), buf, off, len)) {
            r = parse(p);
        } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
            r = Result.MALFORMED;
        }
        if (r.event != null) {
            counters.recordRead();
            out.accept(r.event, null);
        } else if (r == Result.IGNORED) {
            ignored++;
        } else {
            counters.recordSkipped();
        }
    }

    private record Result(LogEvent event) {
        static final Result MALFORMED = new Result(null);
        static final Result IGNORED = new Result(null);
    }

    private static Result parse(JsonParser p) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return Result.MALFORMED;
        }
        String timestamp = null;
        String type = null;
        String eventType = null;
        String message = null;
        String eventMessage = null;
        String process = null;
        String imagePath = null;
        long pid = 0;
        String subsystem = "";
        String category = "";
        boolean finished = false;
        boolean count = false;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "timestamp" -> timestamp = text(p, t);
                case "messageType" -> type = text(p, t);
                case "eventType" -> eventType = text(p, t);
                case "eventMessage" -> eventMessage = text(p, t);
                case "message" -> message = text(p, t);
                case "process" -> process = text(p, t);
                case "processImagePath" -> imagePath = text(p, t);
                case "processID" -> pid = t == JsonToken.VALUE_NUMBER_INT ? Math.max(0, p.getLongValue()) : 0;
                case "subsystem" -> subsystem = nonNull(text(p, t));
                case "category" -> category = nonNull(text(p, t));
                case "finished" -> {
                    finished = true;
                    p.skipChildren();
                }
                case "count" -> {
                    count = true;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            return Result.MALFORMED;
        }
        if (timestamp == null && finished && count) {
            return Result.IGNORED; // {"count":N,"finished":1}
        }
        if (eventType != null && !eventType.equals("logEvent")) {
            return Result.IGNORED;
        }
        if (timestamp == null) {
            return Result.MALFORMED;
        }
        Instant ts = OffsetDateTime.parse(timestamp.strip(), TIMESTAMP).toInstant();
        MessageType level = type == null ? MessageType.INFO : MessageType.parse(type);
        if (level == null) {
            return Result.MALFORMED;
        }
        String text = eventMessage != null ? eventMessage : message;
        if (process == null || process.isEmpty()) {
            process = basename(imagePath);
        }
        return new Result(new LogEvent(ts, level, subsystem, category, process, pid, text == null ? "" : text));
    }

    private static String text(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** {@code /System/Library/…/UnmountAssistantAgent} → {@code UnmountAssistantAgent}; "" for null. */
    static String basename(String path) {
        if (path == null) {
            return "";
        }
        String p = path;
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    /** For tests: decodes one line of text. */
    void feedText(String line, RecordHandler out) throws InterruptedException {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        feedLine(b, 0, b.length, false, out);
    }
}
