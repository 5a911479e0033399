package dev.eyes.source;

import java.util.Arrays;

/**
 * Finds complete top-level JSON objects in a stream of lines, whatever the layout: one compact object per
 * line, pretty-printed objects over many lines, objects inside a top-level array ({@code [ {...}, {...} ]}),
 * or objects simply concatenated. Text outside any object (banners, array brackets, commas) is passed over;
 * a stray non-JSON line is reported as {@link Sink#junk()}. An object larger than the limit is dropped whole, and
 * so is one cut off inside a string at the end of a line (a raw newline cannot occur in a JSON string).
 */
public final class JsonObjectFramer {
    /** Receives each complete object's bytes (reused buffer) and each dropped piece of junk. */
    public interface Sink {
        void object(byte[] buf, int off, int len) throws InterruptedException;

        void junk() throws InterruptedException;
    }

    private final int maxObject;
    private byte[] obj = new byte[4096];
    private int objLen;
    private int depth;
    private boolean inString;
    private boolean escape;
    private boolean oversized;

    public JsonObjectFramer(int maxObject) {
        this.maxObject = maxObject;
    }

    /** True while an object has started but not yet ended. */
    public boolean inObject() {
        return depth > 0;
    }

    /** Feeds one line (the newline is implied). */
    public void feedLine(byte[] buf, int off, int len, Sink sink) throws InterruptedException {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (depth == 0) {
                byte b = buf[i];
                if (b == '{') {
                    depth = 1;
                    objLen = 0;
                    oversized = false;
                    inString = false;
                    escape = false;
                    put(b);
                    i++;
                    continue;
                }
                if (b == ' ' || b == '\t' || b == '\r' || b == '[' || b == ']' || b == ',') {
                    i++;
                    continue;
                }
                // Anything else outside an object: a banner or a broken line. Drop the rest of the line.
                sink.junk();
                return;
            }
            int start = i;
            while (i < end && depth > 0) {
                byte b = buf[i++];
                if (inString) {
                    if (escape) {
                        escape = false;
                    } else if (b == '\\') {
                        escape = true;
                    } else if (b == '"') {
                        inString = false;
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                }
            }
            putAll(buf, start, i - start);
            if (depth == 0) {
                if (oversized) {
                    sink.junk();
                } else {
                    sink.object(obj, 0, objLen);
                }
                objLen = 0;
            } else if (inString) {
                // JSON strings cannot hold a raw newline: this record was cut off (e.g. a writer killed
                // mid-line). Drop it and resynchronise on the next line.
                depth = 0;
                objLen = 0;
                inString = false;
                escape = false;
                sink.junk();
            } else {
                put((byte) '\n');
            }
        }
    }

    /** End of input: an unfinished object is reported as junk. */
    public void finish(Sink sink) throws InterruptedException {
        if (depth > 0) {
            depth = 0;
            objLen = 0;
            sink.junk();
        }
    }

    private void put(byte b) {
        if (objLen >= maxObject) {
            oversized = true;
            return;
        }
        if (objLen == obj.length) {
            obj = Arrays.copyOf(obj, Math.min(maxObject, obj.length * 2));
        }
        obj[objLen++] = b;
    }

    private void putAll(byte[] buf, int off, int len) {
        if (objLen + len > maxObject) {
            oversized = true;
            return;
        }
        if (objLen + len > obj.length) {
            obj = Arrays.copyOf(obj, Math.min(maxObject, Math.max(obj.length * 2, objLen + len)));
        }
        System.arraycopy(buf, off, obj, objLen, len);
        objLen += len;
    }
}
