package dev.eyes.analysis.backend;

import dev.eyes.analysis.AnalysisException;
import java.util.function.Consumer;

/**
 * The answer text as it streams in: appends each piece, publishes it, and stops with an invalid-response error
 * once the text passes {@code ai.max_response_bytes} (counted in UTF-8).
 */
final class Answer {
    private final StringBuilder text = new StringBuilder();
    private final long maxBytes;
    private final Consumer<String> onText;
    private long bytes;

    Answer(long maxBytes, Consumer<String> onText) {
        this.maxBytes = maxBytes;
        this.onText = onText;
    }

    void append(String piece) throws AnalysisException {
        if (piece == null || piece.isEmpty()) {
            return;
        }
        bytes += utf8Length(piece);
        if (bytes > maxBytes) {
            throw AnalysisException.invalid("the answer exceeded ai.max_response_bytes (" + maxBytes
                    + " bytes) and was cut off");
        }
        text.append(piece);
        onText.accept(piece);
    }

    String text() {
        return text.toString();
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
