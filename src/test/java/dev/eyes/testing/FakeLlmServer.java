package dev.eyes.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local language-model server on 127.0.0.1 speaking the real wire formats: Ollama's {@code /api/chat}
 * (NDJSON stream or one JSON object) and {@code /api/tags}, and OpenAI's {@code /chat/completions} (server-sent
 * events ending with {@code [DONE]}, or one {@code chat.completion} object) and {@code /models}. Each POST is
 * answered by the next scripted responder (or the default one); it records every request and the most requests
 * it ever had in progress at once.
 */
public final class FakeLlmServer implements AutoCloseable {
    public static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // like real servers (Go's net/http, Node's http): no Nagle delay on the small streamed writes
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A request as received. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }
    }

    @FunctionalInterface
    public interface Responder {
        void respond(HttpExchange ex, Request request, FakeLlmServer server) throws Exception;
    }

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Responder> script = new ConcurrentLinkedDeque<>();
    private volatile Responder fallback;
    private volatile Responder getResponder;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger maxInProgress = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    public FakeLlmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        fallback = ollamaStream("{\"summary\":\"default\",\"recommendations\":[],\"severity\":\"info\"}");
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next POSTs, in order, with these; then with the default. */
    public FakeLlmServer then(Responder... rs) {
        script.addAll(List.of(rs));
        return this;
    }

    /** Answers every POST not scripted with this. */
    public FakeLlmServer always(Responder r) {
        fallback = r;
        return this;
    }

    /** Answers GET requests (/api/tags, /models) with this. */
    public FakeLlmServer onGet(Responder r) {
        getResponder = r;
        return this;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> posts() {
        return requests().stream().filter(r -> r.method().equals("POST")).toList();
    }

    public int maxInProgress() {
        return maxInProgress.get();
    }

    public int inProgress() {
        return inProgress.get();
    }

    /** True once {@link #close} ran: hanging responders use it to give up. */
    public boolean awaitClose(Duration d) throws InterruptedException {
        return closed.await(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inProgress.incrementAndGet();
        maxInProgress.accumulateAndGet(now, Math::max);
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    Map.copyOf(ex.getRequestHeaders()), body);
            requests.add(r);
            Responder responder;
            if (r.method().equals("GET")) {
                responder = getResponder != null ? getResponder : status(404, "{\"error\":\"not found\"}");
            } else {
                responder = script.pollFirst();
                if (responder == null) {
                    responder = fallback;
                }
            }
            responder.respond(ex, r, this);
        } catch (IOException e) {
            // the client went away (a cancelled exchange): fine
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            inProgress.decrementAndGet();
            ex.close();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }

    // ---- responders --------------------------------------------------------------------------------------

    /** Ollama streaming: one NDJSON line per piece, then the {@code done} line. */
    public static Responder ollamaStream(String... pieces) {
        return ollamaStream(Duration.ZERO, "stop", pieces);
    }

    public static Responder ollamaStream(Duration between, String doneReason, String... pieces) {
        return (ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            String model = r.json().path("model").asString("m");
            for (String p : pieces) {
                ObjectNode line = JSON.createObjectNode();
                line.put("model", model);
                line.put("created_at", "2026-01-01T00:00:00.000000Z");
                line.putObject("message").put("role", "assistant").put("content", p);
                line.put("done", false);
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!between.isZero()) {
                    Thread.sleep(between);
                }
            }
            ObjectNode done = JSON.createObjectNode();
            done.put("model", model);
            done.put("created_at", "2026-01-01T00:00:01.000000Z");
            done.putObject("message").put("role", "assistant").put("content", "");
            done.put("done", true);
            done.put("done_reason", doneReason);
            done.put("total_duration", 1234567);
            done.put("eval_count", pieces.length);
            out.write((done + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        };
    }

    /** Ollama with {@code stream: false}: one JSON object. */
    public static Responder ollamaJson(String content) {
        return (ex, r, s) -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("model", r.json().path("model").asString("m"));
            n.put("created_at", "2026-01-01T00:00:00.000000Z");
            n.putObject("message").put("role", "assistant").put("content", content);
            n.put("done", true);
            n.put("done_reason", "stop");
            send(ex, 200, "application/json; charset=utf-8", n.toPrettyString());
        };
    }

    /** OpenAI streaming: a role chunk, one chunk per piece, a finish chunk, {@code [DONE]}. */
    public static Responder openAiStream(String... pieces) {
        return (ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            String model = r.json().path("model").asString("m");
            out.write((": keep-alive\n\n").getBytes(StandardCharsets.UTF_8));
            out.write(("data: " + chunk(model, null, null, "assistant") + "\n\n").getBytes(StandardCharsets.UTF_8));
            for (String p : pieces) {
                out.write(("data: " + chunk(model, p, null, null) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write(("data: " + chunk(model, null, "stop", null) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        };
    }

    private static String chunk(String model, String content, String finish, String role) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", "chatcmpl-test");
        n.put("object", "chat.completion.chunk");
        n.put("created", 1767225600);
        n.put("model", model);
        ObjectNode choice = n.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
            delta.put("content", "");
        }
        if (content != null) {
            delta.put("content", content);
        }
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return n.toString();
    }

    /** OpenAI without streaming: one {@code chat.completion} object. */
    public static Responder openAiJson(String content) {
        return (ex, r, s) -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", "chatcmpl-test");
            n.put("object", "chat.completion");
            n.put("created", 1767225600);
            n.put("model", r.json().path("model").asString("m"));
            ObjectNode choice = n.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            n.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
            send(ex, 200, "application/json", n.toString());
        };
    }

    public static Responder status(int code, String body) {
        return status(code, body, Map.of());
    }

    public static Responder status(int code, String body, Map<String, String> headers) {
        return (ex, r, s) -> {
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            send(ex, code, "application/json", body);
        };
    }

    /** Raw bytes with a status and content type. */
    public static Responder raw(int code, String contentType, byte[] body) {
        return (ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
        };
    }

    /** Never answers (no status line) until the server is closed. */
    public static Responder hang() {
        return (ex, r, s) -> s.awaitClose(Duration.ofMinutes(5));
    }

    /** Sends the headers, then one byte of {@code body} per {@code interval}. */
    public static Responder drip(String contentType, byte[] body, Duration interval) {
        return (ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (byte b : body) {
                out.write(b);
                out.flush();
                if (s.awaitClose(interval)) {
                    return;
                }
            }
        };
    }

    /** A streamed body of {@code size} bytes made of repeated NDJSON lines (or one endless line). */
    public static Responder huge(long size, boolean oneLine) {
        return (ex, r, s) -> {
            ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            byte[] piece;
            if (oneLine) {
                piece = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            } else {
                ObjectNode line = JSON.createObjectNode();
                line.put("model", "m");
                line.putObject("message").put("role", "assistant").put("content", "y".repeat(4000));
                line.put("done", false);
                piece = (line + "\n").getBytes(StandardCharsets.UTF_8);
            }
            long sent = 0;
            while (sent < size) {
                out.write(piece);
                sent += piece.length;
            }
            out.flush();
        };
    }

    static void send(HttpExchange ex, int code, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }
}
