package dev.eyes.source;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without ever holding more than {@code maxLine} bytes of one line:
 * a longer line is cut, flagged as truncated, and the rest of it is discarded. A trailing {@code \r}
 * is removed. The buffer handed to the handler is reused; handlers must not keep it.
 */
public final class LineReader {
    /** Receives each line; {@code consumed} is the number of input bytes it took, newline included. */
    @FunctionalInterface
    public interface Handler {
        void onLine(byte[] buf, int len, boolean truncated, int consumed) throws InterruptedException;
    }

    public static final int DEFAULT_MAX_LINE = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InputStream in;
    private final int maxLine;
    private final byte[] chunk = new byte[64 * 1024];
    private byte[] line = new byte[8 * 1024];
    private int lineLen;
    private int lineConsumed;
    private boolean truncated;

    public LineReader(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /**
     * Reads until end of stream; a last line without a newline is delivered too when {@code flushPartial}
     * is true (a file being written may hold a half-written last line: then pass false and read again later).
     *
     * @return the number of bytes of a trailing partial line that was not delivered
     */
    public int readAll(Handler handler, boolean flushPartial) throws IOException, InterruptedException {
        int n;
        while ((n = in.read(chunk)) > 0) {
            feed(chunk, n, handler);
        }
        if (lineConsumed > 0 && flushPartial) {
            deliver(handler, lineConsumed);
            return 0;
        }
        return lineConsumed;
    }

    /** Reads what is available now (one read call); returns false at end of stream. */
    public boolean readSome(Handler handler) throws IOException, InterruptedException {
        int n = in.read(chunk);
        if (n <= 0) {
            return false;
        }
        feed(chunk, n, handler);
        return true;
    }

    private void feed(byte[] data, int n, Handler handler) throws InterruptedException {
        int start = 0;
        int nl;
        while ((nl = indexOfNewline(data, start, n)) >= 0) {
            append(data, start, nl - start);
            lineConsumed += nl - start + 1;
            deliver(handler, lineConsumed);
            start = nl + 1;
        }
        if (start < n) {
            append(data, start, n - start);
            lineConsumed += n - start;
        }
    }

    /** The index of the first {@code '\n'} in [from, to), or -1; eight bytes at a time (SWAR). */
    static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(byte[] data, int off, int len) {
        int room = maxLine - lineLen;
        if (len > room) {
            truncated = true;
            len = Math.max(0, room);
        }
        if (len == 0) {
            return;
        }
        if (lineLen + len > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, lineLen + len)));
        }
        System.arraycopy(data, off, line, lineLen, len);
        lineLen += len;
    }

    private void deliver(Handler handler, int consumed) throws InterruptedException {
        int len = lineLen;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        boolean t = truncated;
        lineLen = 0;
        lineConsumed = 0;
        truncated = false;
        handler.onLine(line, len, t, consumed);
        if (line.length > 64 * 1024) {
            line = new byte[8 * 1024];
        }
    }
}
