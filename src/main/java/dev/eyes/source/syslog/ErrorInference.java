package dev.eyes.source.syslog;

import dev.eyes.event.MessageType;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides that a line without a priority is an error: it is when it contains one of the configured keywords
 * ({@code logging.error_keywords}) as a whole word, case-insensitively — "failed" matches
 * "Connection failed", "error" does not match "errorless" or "terror".
 */
public final class ErrorInference {
    private final Pattern pattern;

    public ErrorInference(List<String> keywords) {
        this.pattern = keywords.isEmpty() ? null : Pattern.compile(keywords.stream()
                .map(k -> Pattern.quote(k.trim()))
                .collect(Collectors.joining("|", "(?<![\\p{Alnum}_])(?:", ")(?![\\p{Alnum}_])")),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    public MessageType infer(String message) {
        return pattern != null && pattern.matcher(message).find() ? MessageType.ERROR : MessageType.INFO;
    }
}
