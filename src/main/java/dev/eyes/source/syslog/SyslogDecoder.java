package dev.eyes.source.syslog;

import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.DecodeCounters;
import dev.eyes.source.LogDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes syslog text lines:
 * <ul>
 *   <li>RFC 3164 / BSD: {@code [<PRI>]Mon DD HH:MM:SS host tag[pid]: message} — the year is inferred (the one
 *       that puts the time closest to, and not more than a day after, the reference time), local time zone;</li>
 *   <li>RFC 5424: {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD…] message};</li>
 *   <li>rsyslog's high-precision format: {@code 2024-05-01T10:00:00.123456+02:00 host tag[pid]: message}.</li>
 * </ul>
 * A {@code name:} prefix before a valid header (as {@code grep -H} prints) is tolerated. The level comes from
 * the priority when the line has one; otherwise it is inferred from the message ({@link ErrorInference}).
 * A line that matches no header is kept as a message of its own (process unknown, time of the previous line)
 * so that continuation lines are not lost; blank lines are ignored.
 */
public final class SyslogDecoder implements LogDecoder {
    private static final Pattern PRI = Pattern.compile("^<(\\d{1,3})>");
    private static final Pattern BSD = Pattern.compile(
            "^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)? +(\\S+) +(.*)$");
    private static final Pattern ISO = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?) +(\\S+) +(.*)$");
    private static final Pattern TAG = Pattern.compile("^([^\\s\\[\\]:]{1,128})(?:\\[(\\d{1,10})\\])?: ?(.*)$",
            Pattern.DOTALL);
    private static final Pattern BARE_TAG = Pattern.compile("^([^\\s\\[\\]:]{1,128})\\[(\\d{1,10})\\]: ?(.*)$",
            Pattern.DOTALL);
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
        "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2",
        "local3", "local4", "local5", "local6", "local7"};

    private final DecodeCounters counters = new DecodeCounters();
    private final ErrorInference inference;
    private final ZoneId zone;
    private final Supplier<Instant> reference;
    private Instant lastTime;

    /**
     * @param reference the time a year-less timestamp is inferred against (now when following; the file's
     *                  modification time when replaying)
     */
    public SyslogDecoder(ErrorInference inference, ZoneId zone, Supplier<Instant> reference) {
        this.inference = inference;
        this.zone = zone;
        this.reference = reference;
    }

    @Override
    public DecodeCounters counters() {
        return counters;
    }

    @Override
    public void feedLine(byte[] buf, int off, int len, boolean truncated, RecordHandler out)
            throws InterruptedException {
        String line = new String(buf, off, len, StandardCharsets.UTF_8);
        if (line.isBlank()) {
            return;
        }
        LogEvent e = decode(line);
        if (e == null) {
            counters.recordSkipped();
            return;
        }
        counters.recordRead();
        out.accept(e, null);
    }

    @Override
    public void finish(RecordHandler out) {
        // line-based: nothing pending
    }

    /** Decodes one line; never throws. */
    LogEvent decode(String line) {
        try {
            LogEvent e = decodeHeader(line);
            if (e == null) {
                int colon = line.indexOf(':');
                if (colon > 0 && colon < 256) {
                    e = decodeHeader(line.substring(colon + 1));
                }
            }
            if (e == null) {
                Instant t = lastTime != null ? lastTime : reference.get();
                String text = line.strip();
                Matcher bare = BARE_TAG.matcher(text);
                e = bare.matches()
                        ? new LogEvent(t, inference.infer(bare.group(3)), "", "", bare.group(1),
                                Long.parseLong(bare.group(2)), bare.group(3))
                        : new LogEvent(t, inference.infer(text), "", "", "", 0, text);
            }
            lastTime = e.timestamp();
            return e;
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private LogEvent decodeHeader(String line) {
        int priority = -1;
        String rest = line;
        Matcher pm = PRI.matcher(line);
        if (pm.find()) {
            priority = Integer.parseInt(pm.group(1));
            if (priority > 191) {
                return null;
            }
            rest = line.substring(pm.end());
            if (rest.startsWith("1 ")) {
                return rfc5424(priority, rest.substring(2));
            }
        }
        Instant ts;
        String host;
        String body;
        Matcher m = BSD.matcher(rest);
        if (m.matches()) {
            ts = bsdTime(m);
            if (ts == null) {
                return null;
            }
            host = m.group(6);
            body = m.group(7);
        } else {
            Matcher iso = ISO.matcher(rest);
            if (!iso.matches()) {
                return null;
            }
            ts = isoTime(iso.group(1));
            if (ts == null) {
                return null;
            }
            host = iso.group(2);
            body = iso.group(3);
        }
        String process = "";
        long pid = 0;
        String message = body;
        Matcher tag = TAG.matcher(body);
        if (tag.matches()) {
            process = tag.group(1);
            pid = tag.group(2) == null ? 0 : Long.parseLong(tag.group(2));
            message = tag.group(3);
        } else if (host.endsWith(":")) {
            // "host: message" without a tag is rare; keep the host as process
            process = host.substring(0, host.length() - 1);
        }
        return event(ts, priority, process, pid, "", message);
    }

    private LogEvent rfc5424(int priority, String s) {
        String[] f = s.split(" ", 6);
        if (f.length < 5) {
            return null;
        }
        Instant ts = "-".equals(f[0]) ? (lastTime != null ? lastTime : reference.get()) : isoTime(f[0]);
        if (ts == null) {
            return null;
        }
        String app = "-".equals(f[2]) ? "" : f[2];
        long pid = 0;
        if (!"-".equals(f[3])) {
            try {
                pid = Long.parseLong(f[3]);
            } catch (NumberFormatException ignored) {
                pid = 0;
            }
        }
        String msgId = "-".equals(f[4]) ? "" : f[4];
        String message = f.length > 5 ? skipStructuredData(f[5]) : "";
        if (message.startsWith("\uFEFF")) {
            message = message.substring(1);
        }
        return event(ts, priority, app, pid, msgId, message);
    }

    /** Skips "-" or one or more [id key="value"...] elements (with \] escapes) and the space after them. */
    private static String skipStructuredData(String s) {
        if (s.startsWith("-")) {
            return s.length() > 1 ? s.substring(s.startsWith("- ") ? 2 : 1) : "";
        }
        int i = 0;
        while (i < s.length() && s.charAt(i) == '[') {
            boolean inQuote = false;
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    inQuote = !inQuote;
                } else if (c == ']' && !inQuote) {
                    i++;
                    break;
                }
                i++;
            }
        }
        if (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i >= s.length() ? "" : s.substring(i);
    }

    private LogEvent event(Instant ts, int priority, String process, long pid, String subsystem, String message) {
        MessageType type;
        String category = "";
        if (priority >= 0) {
            type = MessageType.fromPriority(priority & 7);
            int facility = priority >> 3;
            category = facility < FACILITIES.length ? FACILITIES[facility] : "";
        } else {
            type = inference.infer(message);
        }
        return new LogEvent(ts, type, subsystem, category, process, pid, message);
    }

    private Instant bsdTime(Matcher m) {
        int month = 0;
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(m.group(1))) {
                month = i + 1;
            }
        }
        int day = Integer.parseInt(m.group(2));
        int h = Integer.parseInt(m.group(3));
        int min = Integer.parseInt(m.group(4));
        int sec = Integer.parseInt(m.group(5));
        Instant ref = reference.get();
        int year = ZonedDateTime.ofInstant(ref, zone).getYear();
        try {
            ZonedDateTime t = LocalDateTime.of(year, month, day, h, min, sec).atZone(zone);
            if (t.toInstant().isAfter(ref.plusSeconds(86_400))) {
                t = t.minusYears(1);
            }
            return t.toInstant();
        } catch (DateTimeException e) {
            // Feb 29 in a year without one: try the previous leap year's neighbour
            try {
                return LocalDateTime.of(year - 1, month, day, h, min, sec).atZone(zone).toInstant();
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }

    private Instant isoTime(String text) {
        String t = text.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                if (t.matches(".*[+-]\\d{4}$")) {
                    String fixed = t.substring(0, t.length() - 2) + ":" + t.substring(t.length() - 2);
                    return OffsetDateTime.parse(fixed).toInstant();
                }
                return LocalDateTime.parse(t).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
