package dev.eyes.source.metrics.mac;

import java.io.ByteArrayOutputStream;

/**
 * Cuts a stream of lines into plist documents: {@code powermetrics -f plist} ends each sample with {@code </plist>}
 * followed by a NUL byte; either one ends a document (captures often lose the NUL). Anything before a document's
 * first {@code <} (a NUL, blank lines, a stray message) is passed over. A document larger than the limit is
 * dropped and counted.
 */
public final class PlistFramer {
    /** Receives each complete document. */
    @FunctionalInterface
    public interface Sink {
        void document(byte[] buf, int len) throws InterruptedException;
    }

    private static final byte[] END = "</plist>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int maxDocument;
    private final ByteArrayOutputStream doc = new ByteArrayOutputStream(64 * 1024);
    private boolean oversized;
    private long dropped;

    public PlistFramer(int maxDocument) {
        this.maxDocument = maxDocument;
    }

    /** Documents dropped for being too large or unfinished. */
    public long dropped() {
        return dropped;
    }

    /** Feeds one line (without its newline). */
    public void feedLine(byte[] buf, int off, int len, Sink sink) throws InterruptedException {
        int i = off;
        int end = off + len;
        int segStart = off;
        while (i < end) {
            byte b = buf[i];
            if (b == 0) {
                append(buf, segStart, i - segStart);
                flush(sink);
                segStart = i + 1;
            } else if (b == '>' && endsWithEnd(buf, segStart, i)) {
                append(buf, segStart, i + 1 - segStart);
                flush(sink);
                segStart = i + 1;
            }
            i++;
        }
        append(buf, segStart, end - segStart);
        if (doc.size() > 0) {
            append(new byte[] {'\n'}, 0, 1);
        }
    }

    /** End of input: an unfinished document is dropped. */
    public void finish(Sink sink) throws InterruptedException {
        if (doc.size() > 0 || oversized) {
            dropped++;
        }
        reset();
    }

    private static boolean endsWithEnd(byte[] buf, int segStart, int gt) {
        int start = gt - END.length + 1;
        if (start < segStart) {
            return false;
        }
        for (int k = 0; k < END.length; k++) {
            if (buf[start + k] != END[k]) {
                return false;
            }
        }
        return true;
    }

    private void append(byte[] buf, int off, int len) {
        if (len <= 0 || oversized) {
            return;
        }
        if (doc.size() == 0) {
            // skip anything before the document's first '<'
            while (len > 0 && buf[off] != '<') {
                off++;
                len--;
            }
            if (len == 0) {
                return;
            }
        }
        if (doc.size() + len > maxDocument) {
            oversized = true;
            return;
        }
        doc.write(buf, off, len);
    }

    private void flush(Sink sink) throws InterruptedException {
        if (oversized) {
            dropped++;
        } else if (doc.size() > 0) {
            byte[] d = doc.toByteArray();
            sink.document(d, d.length);
        }
        reset();
    }

    private void reset() {
        doc.reset();
        oversized = false;
    }
}
