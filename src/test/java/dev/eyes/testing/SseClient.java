package dev.eyes.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A Server-Sent Events client on a plain socket (HTTP/1.1, chunked), reading on a virtual thread and keeping
 * every event it gets, in order — as a browser's EventSource sees them.
 */
public final class SseClient implements AutoCloseable {
    /** One event. */
    public record Event(long id, String type, String data) {
        public JsonNode json() {
            return WebClient.JSON.readTree(data);
        }
    }

    private final Socket socket;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile int status;
    private volatile String contentType;
    private volatile boolean ended;

    /** Connects to {@code /api/stream}; {@code extraHeaders} are whole header lines. */
    public SseClient(int port, String... extraHeaders) throws IOException {
        socket = new Socket("127.0.0.1", port);
        StringBuilder req = new StringBuilder("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n");
        for (String h : extraHeaders) {
            req.append(h).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        try {
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String head = headerBlock(in);
            String[] lines = head.split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            boolean chunked = false;
            for (String line : lines) {
                String l = line.toLowerCase(java.util.Locale.ROOT);
                if (l.startsWith("content-type:")) {
                    contentType = line.substring(13).trim();
                }
                if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                    chunked = true;
                }
            }
            BufferedReader body = new BufferedReader(new InputStreamReader(chunked ? new Chunked(in) : in,
                    StandardCharsets.UTF_8));
            long id = -1;
            String type = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = body.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() || !type.equals("message")) {
                        events.add(new Event(id, type, data.toString()));
                    }
                    id = -1;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    private static String headerBlock(java.io.InputStream in) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** An HTTP/1.1 chunked body, as bytes. */
    private static final class Chunked extends java.io.InputStream {
        private final java.io.InputStream in;
        private long left;
        private boolean done;

        Chunked(java.io.InputStream in) {
            this.in = in;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    break;
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return c == -1 && b.isEmpty() ? null : b.toString();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line();
                if (size != null && size.isEmpty()) {
                    size = line();
                }
                if (size == null) {
                    done = true;
                    return -1;
                }
                left = Long.parseLong(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** True once the server closed the stream. */
    public boolean ended() {
        return ended;
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    public List<Event> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Waits for an event of {@code type} matching {@code match}; returns it. */
    public Event await(String type, Predicate<Event> match, Duration limit) {
        Event[] found = new Event[1];
        Await.until("a live event '" + type + "' (got " + events.stream().map(Event::type).toList() + ")", limit,
                () -> {
                    for (Event e : events) {
                        if (e.type().equals(type) && match.test(e)) {
                            found[0] = e;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    public void awaitCount(String type, int n, Duration limit) {
        Await.until(n + " live events '" + type + "'", limit, () -> events(type).size() >= n);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
