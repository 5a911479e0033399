package dev.eyes.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * MCP over stdio: one JSON-RPC message per line on stdin, one per line on stdout (MCP "stdio" transport). Used
 * instead of the SDK's {@code StdioServerTransportProvider}, which (in 2.1.0) keeps the process alive after stdin
 * closes, drops the answers to requests still running at that moment, and ends the session on one malformed line.
 * Here:
 * <ul>
 *   <li>stdin closing (the client went away, or a script piped its requests in) lets the requests already read
 *       finish and answer for up to {@link #DRAIN}, then {@link #awaitClosed} returns — the caller exits;</li>
 *   <li>a line that is not JSON gets a JSON-RPC "Parse error" (-32700), one that is JSON but not a JSON-RPC
 *       message an "Invalid Request" (-32600), and the session goes on;</li>
 *   <li>a line longer than {@link #MAX_LINE_BYTES} is skipped with an "Invalid Request" answer, never buffered;</li>
 *   <li>only protocol frames are written to the output stream, each whole and flushed under one lock.</li>
 * </ul>
 * Requests are handed to the session as they arrive and may run concurrently (the SDK runs tool calls on its
 * bounded elastic scheduler); answers carry their request's id, so they may come back in any order.
 */
public final class StdioTransport implements McpServerTransportProvider {
    private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);
    /** Longest accepted line: far above any tool call Eyes takes. */
    public static final int MAX_LINE_BYTES = 4 * 1024 * 1024;
    /** How long requests still running when stdin closes may take to answer before the process exits anyway. */
    public static final Duration DRAIN = Duration.ofMillis(600);

    private static final JsonMapper RAW = JsonMapper.builder().build();

    private final McpJsonMapper json;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final Object drainLock = new Object();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private int inFlight; // guarded by drainLock
    private volatile McpServerSession session;

    public StdioTransport(McpJsonMapper json, InputStream in, OutputStream out) {
        this.json = json;
        this.in = in;
        this.out = out;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory factory) {
        this.session = factory.create(new SessionTransport());
    }

    /** Starts reading stdin (on a daemon thread). The session must exist: build the server first. */
    public void start() {
        if (session == null) {
            throw new IllegalStateException("no session: build the MCP server with this transport first");
        }
        if (started.compareAndSet(false, true)) {
            Thread.ofPlatform().name("eyes-mcp-stdin").daemon().start(this::readLoop);
        }
    }

    /** Waits until stdin has closed and the requests then running have answered (or {@link #DRAIN} passed). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** As {@link #awaitClosed()}, at most {@code timeout}; true when closed. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession s = session;
        return s == null ? Mono.error(new IllegalStateException("no MCP session")) : s.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        closing.set(true);
        closed.countDown();
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private void readLoop() {
        Lines lines = new Lines(in, MAX_LINE_BYTES);
        try {
            while (!closing.get()) {
                String line = lines.next();
                if (line == null) {
                    LOG.debug("stdin closed");
                    break;
                }
                if (line == Lines.TOO_LONG) {
                    LOG.warn("skipped a message longer than {} bytes", MAX_LINE_BYTES);
                    writeError(null, McpSchema.ErrorCodes.INVALID_REQUEST,
                            "Invalid Request: message longer than " + MAX_LINE_BYTES + " bytes");
                    continue;
                }
                if (!line.isBlank()) {
                    dispatch(line);
                }
            }
        } catch (IOException e) {
            if (!closing.get()) {
                LOG.debug("stdin: {}", e.toString());
            }
        } catch (RuntimeException e) {
            LOG.error("MCP stdin reader failed: {}", e.toString());
        } finally {
            drainAndClose();
        }
    }

    private void dispatch(String line) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, line);
        } catch (Exception e) {
            Object id = null;
            try {
                Map<?, ?> m = json.readValue(line, Map.class);
                Object raw = m.get("id");
                id = raw instanceof String || raw instanceof Number ? raw : null;
            } catch (Exception notJson) {
                LOG.warn("ignored a line that is not JSON: {}", abbreviate(line));
                writeError(null, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the line is not JSON");
                return;
            }
            LOG.warn("ignored a message that is not JSON-RPC: {}", abbreviate(line));
            writeError(id, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message");
            return;
        }
        McpServerSession s = session;
        synchronized (drainLock) {
            inFlight++;
        }
        s.handle(message)
                .doFinally(signal -> {
                    synchronized (drainLock) {
                        inFlight--;
                        drainLock.notifyAll();
                    }
                })
                .subscribe(ignored -> {
                }, e -> LOG.warn("MCP message not handled: {}", e.toString()));
    }

    private void drainAndClose() {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        synchronized (drainLock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("stdin closed with {} request(s) still running; they are not answered", inFlight);
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drainLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        McpServerSession s = session;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the MCP session: {}", e.toString());
            }
        }
        close();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    // ---- writing -------------------------------------------------------------------------------------------

    private void writeLine(String frame) throws IOException {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            out.write(bytes);
            out.write('\n');
            out.flush();
        }
    }

    /** A JSON-RPC error answer written by the transport itself ({@code id} null when it cannot be known). */
    private void writeError(Object id, int code, String message) {
        ObjectNode n = RAW.createObjectNode();
        n.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        switch (id) {
            case null -> n.putNull("id");
            case Number num -> n.put("id", num.longValue());
            default -> n.put("id", id.toString());
        }
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        try {
            writeLine(n.toString());
        } catch (IOException ex) {
            outputFailed(ex);
        }
    }

    private void outputFailed(IOException e) {
        if (!closing.get()) {
            LOG.info("stdout closed ({}); stopping", e.getMessage());
        }
        close();
    }

    /** The one session's side of the transport. */
    private final class SessionTransport implements McpServerTransport {
        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> {
                String frame;
                try {
                    // compact JSON: newlines inside strings are escaped, so the frame is one line
                    frame = json.writeValueAsString(message);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot serialise an MCP message: " + e.getMessage(), e);
                }
                try {
                    writeLine(frame);
                } catch (IOException e) {
                    outputFailed(e);
                    throw new IllegalStateException("stdout closed", e);
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public void close() {
            // the process ends when stdin closes; nothing to release here
        }
    }

    /** Newline-delimited lines of UTF-8, each at most {@code max} bytes ("\r\n" accepted). */
    static final class Lines {
        /** Returned (by identity) for a line longer than the limit, which is skipped. */
        static final String TOO_LONG = new String("<too long>");

        private final InputStream in;
        private final int max;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        /** The next line without its terminator, {@link #TOO_LONG}, or null at the end of input. */
        String next() throws IOException {
            line.reset();
            boolean tooLong = false;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf);
                    if (n < 0) {
                        if (tooLong) {
                            return TOO_LONG;
                        }
                        return line.size() == 0 ? null : text();
                    }
                    pos = 0;
                    limit = n;
                }
                int start = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                boolean end = pos < limit;
                if (!tooLong) {
                    if (line.size() + (pos - start) > max) {
                        tooLong = true;
                        line.reset();
                    } else {
                        line.write(buf, start, pos - start);
                    }
                }
                if (end) {
                    pos++; // the '\n'
                    return tooLong ? TOO_LONG : text();
                }
            }
        }

        private String text() {
            byte[] b = line.toByteArray();
            int n = b.length;
            if (n > 0 && b[n - 1] == '\r') {
                n--;
            }
            return new String(b, 0, n, StandardCharsets.UTF_8);
        }
    }
}
