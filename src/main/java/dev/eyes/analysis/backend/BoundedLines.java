package dev.eyes.analysis.backend;

import dev.eyes.analysis.AnalysisException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a response body line by line (LF or CRLF), never holding more than {@code maxLineBytes} of one line nor
 * reading more than {@code maxTotalBytes} in all: a body over either limit is cut off and fails as an invalid
 * response. Bytes that are not valid UTF-8 become U+FFFD, so a broken server cannot make decoding throw.
 */
final class BoundedLines {
    private final InputStream in;
    private final long maxTotalBytes;
    private final int maxLineBytes;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private long total;
    private byte[] line = new byte[256];
    private int lineLen;
    private boolean eof;

    BoundedLines(InputStream in, long maxTotalBytes, int maxLineBytes) {
        this.in = in;
        this.maxTotalBytes = maxTotalBytes;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator, or null at the end of the body. */
    String readLine() throws IOException, AnalysisException {
        if (eof) {
            return null;
        }
        lineLen = 0;
        while (true) {
            if (pos == limit) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    eof = true;
                    return lineLen == 0 ? null : decode();
                }
                total += n;
                if (total > maxTotalBytes) {
                    throw AnalysisException.invalid("the response exceeded " + maxTotalBytes
                            + " bytes and was cut off");
                }
                pos = 0;
                limit = n;
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos);
            if (pos < limit) {
                pos++; // the '\n'
                return decode();
            }
        }
    }

    /** The rest of the body as text (bounded like lines). */
    String readRest() throws IOException, AnalysisException {
        StringBuilder sb = new StringBuilder();
        String l;
        boolean first = true;
        while ((l = readLine()) != null) {
            if (!first) {
                sb.append('\n');
            }
            sb.append(l);
            first = false;
        }
        return sb.toString();
    }

    long bytesRead() {
        return total;
    }

    private void append(int from, int to) throws AnalysisException {
        int n = to - from;
        if (n == 0) {
            return;
        }
        if (lineLen + n > maxLineBytes) {
            throw AnalysisException.invalid("a line of the response exceeded " + maxLineBytes
                    + " bytes and was cut off");
        }
        if (lineLen + n > line.length) {
            byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(line.length * 2, lineLen + n))];
            System.arraycopy(line, 0, bigger, 0, lineLen);
            line = bigger;
        }
        System.arraycopy(buf, from, line, lineLen, n);
        lineLen += n;
    }

    private String decode() {
        int n = lineLen;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return new String(line, 0, n, StandardCharsets.UTF_8); // malformed input → U+FFFD
    }
}
