package dev.eyes.source;

import dev.eyes.config.LoggingConfig;
import dev.eyes.source.journald.JournaldDecoder;
import dev.eyes.source.oslog.OsLogDecoder;
import dev.eyes.source.syslog.ErrorInference;
import dev.eyes.source.syslog.PlainDecoder;
import dev.eyes.source.syslog.SyslogDecoder;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The text log formats Eyes can read from files, pipes and recordings. {@code oslog-json} and {@code oslog-ndjson}
 * are the macOS unified log as {@code log show|stream --style json} and {@code --style ndjson} print it; one decoder
 * reads both (and banners, arrays and concatenated objects), the two names only say what was recorded.
 */
public enum LogFormat {
    JOURNALD_JSON("journald-json"),
    SYSLOG("syslog"),
    PLAIN("plain"),
    OSLOG_JSON("oslog-json"),
    OSLOG_NDJSON("oslog-ndjson");

    private final String wireName;

    LogFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The decoder's name for self-monitoring: both unified-log styles share one decoder, {@code oslog}. */
    public String parserName() {
        return this == OSLOG_JSON || this == OSLOG_NDJSON ? "oslog" : wireName;
    }

    public static LogFormat parse(String text) {
        for (LogFormat f : values()) {
            if (f.wireName.equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown log format \"" + text + "\"; use one of " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(LogFormat::wireName).collect(Collectors.joining(", "));
    }

    /**
     * A new decoder for this format.
     *
     * @param name      the file's name, used as process name for plain lines
     * @param reference the time year-less syslog stamps are inferred against, and the time of plain lines
     */
    public LogDecoder newDecoder(LoggingConfig logging, String name, Supplier<Instant> reference) {
        ErrorInference inference = new ErrorInference(logging.errorKeywords());
        return switch (this) {
            case JOURNALD_JSON -> new JournaldDecoder();
            case SYSLOG -> new SyslogDecoder(inference, ZoneId.systemDefault(), reference);
            case PLAIN -> new PlainDecoder(inference, name, reference);
            case OSLOG_JSON, OSLOG_NDJSON -> new OsLogDecoder();
        };
    }

    /**
     * Guesses the format from the first bytes of a recording: journald JSON (has {@code __REALTIME_TIMESTAMP});
     * the macOS unified log (a {@code log} banner, or JSON with {@code eventMessage}/{@code messageType}: an array
     * or pretty-printed objects → oslog-json, one object per line → oslog-ndjson); a syslog header → syslog;
     * anything else plain.
     */
    public static LogFormat detect(byte[] head, int len) {
        String raw = new String(head, 0, Math.min(len, 4096), java.nio.charset.StandardCharsets.UTF_8)
                .stripLeading();
        String s = raw.toLowerCase(Locale.ROOT);
        if (s.startsWith("{") && s.contains("__realtime_timestamp")) {
            return JOURNALD_JSON;
        }
        boolean osBanner = raw.startsWith("Filtering the log data") || raw.startsWith("Skipping info and debug");
        if (osBanner || ((s.startsWith("{") || s.startsWith("[")) && (raw.contains("\"eventMessage\"")
                || raw.contains("\"messageType\"") || raw.contains("\"processImagePath\"")))) {
            if (osBanner || s.startsWith("[")) {
                return OSLOG_JSON;
            }
            int nl = raw.indexOf('\n');
            String first = (nl < 0 ? raw : raw.substring(0, nl)).strip();
            return first.endsWith("}") ? OSLOG_NDJSON : OSLOG_JSON;
        }
        if (s.matches("(?s)^(<\\d{1,3}>)?((jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) +\\d{1,2} \\d{2}:\\d{2}:\\d{2}"
                + "|\\d{4}-\\d{2}-\\d{2}[t ]\\d{2}:\\d{2}:\\d{2}|1 ).*")) {
            return SYSLOG;
        }
        return PLAIN;
    }
}
