package dev.eyes.source;

import dev.eyes.config.LoggingConfig;
import dev.eyes.source.journald.JournaldDecoder;
import dev.eyes.source.syslog.ErrorInference;
import dev.eyes.source.syslog.PlainDecoder;
import dev.eyes.source.syslog.SyslogDecoder;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The text log formats Eyes can read from files, pipes and recordings. */
public enum LogFormat {
    JOURNALD_JSON("journald-json"),
    SYSLOG("syslog"),
    PLAIN("plain");

    private final String wireName;

    LogFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
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
        };
    }

    /** Guesses the format from the first bytes of a recording: JSON → journald-json, a syslog header → syslog. */
    public static LogFormat detect(byte[] head, int len) {
        String s = new String(head, 0, Math.min(len, 4096), java.nio.charset.StandardCharsets.UTF_8)
                .stripLeading().toLowerCase(Locale.ROOT);
        if (s.startsWith("{") && s.contains("__realtime_timestamp")) {
            return JOURNALD_JSON;
        }
        if (s.matches("(?s)^(<\\d{1,3}>)?((jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) +\\d{1,2} \\d{2}:\\d{2}:\\d{2}"
                + "|\\d{4}-\\d{2}-\\d{2}[t ]\\d{2}:\\d{2}:\\d{2}|1 ).*")) {
            return SYSLOG;
        }
        return PLAIN;
    }
}
