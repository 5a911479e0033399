package dev.eyes.store;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link AlertStore#createSilence} and {@link AlertStore#updateSilence} take. Strings as the caller got them
 * (null or blank = not set); the store trims and validates them and answers "Invalid silence: …" for what it
 * refuses.
 *
 * @param startsAt        null = now
 * @param endsAt          the end; or give {@code duration} instead (from {@code startsAt})
 * @param minimumSeverity info | warning | critical
 */
public record SilenceRequest(String createdBy, String comment, Instant startsAt, Instant endsAt, Duration duration,
                             String rule, String source, String process, String subsystem, String minimumSeverity,
                             String messageRegex) {
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /** Parses an RFC 3339 time ({@code 2026-03-01T10:00:00Z}, offsets allowed) for {@code field}. */
    public static Instant parseTime(String field, String text) throws AlertException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw AlertException.invalid("Invalid silence: " + field + " must be an RFC 3339 time such as "
                    + "2026-03-01T10:00:00Z, not '" + text.trim() + "'");
        }
    }

    /** Parses a duration such as {@code 90m}, {@code 2h}, {@code 1d12h}, {@code 30s} (or an ISO-8601 {@code PT2H}). */
    public static Duration parseDuration(String field, String text) throws AlertException {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            Matcher m = DURATION.matcher(t);
            if (m.matches() && !t.isEmpty()) {
                Duration d = Duration.ZERO;
                d = d.plusDays(num(m.group(1))).plusHours(num(m.group(2))).plusMinutes(num(m.group(3)))
                        .plusSeconds(num(m.group(4)));
                return d;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // fall through to the message
        }
        throw AlertException.invalid("Invalid silence: " + field + " must be a duration such as 90m, 2h or 1d12h, not '"
                + text.trim() + "'");
    }

    private static long num(String g) {
        return g == null ? 0 : Long.parseLong(g);
    }
}
