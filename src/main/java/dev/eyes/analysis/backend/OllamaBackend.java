package dev.eyes.analysis.backend;

import dev.eyes.analysis.AnalysisException;
import dev.eyes.analysis.AnalysisException.Kind;
import dev.eyes.json.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama's chat API: {@code POST {endpoint}/api/chat} with {@code stream: true} (NDJSON, one object per line,
 * the text in {@code message.content}, the last with {@code done: true}), {@code format} = the answer's JSON
 * schema, {@code options.temperature} 0.1 and {@code options.num_predict} = {@code ai.max_response_tokens}. A
 * server that answers with one JSON object instead of a stream is understood too. {@link #probe} asks
 * {@code GET /api/tags} whether the model is installed.
 */
public final class OllamaBackend extends HttpBackend {
    public static final double TEMPERATURE = 0.1;

    private final String endpoint;
    private final URI chat;
    private final int maxTokens;
    private final JsonNode schema;

    public OllamaBackend(Supplier<HttpClient> client, String endpoint, String model, Duration timeout, int maxTokens,
                         long maxResponseBytes, JsonNode schema) {
        super(client, model, timeout, maxResponseBytes, null);
        this.endpoint = trimSlash(endpoint);
        this.chat = URI.create(this.endpoint + "/api/chat");
        this.maxTokens = maxTokens;
        this.schema = schema;
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public String target() {
        return endpoint;
    }

    @Override
    String serverName() {
        return "Ollama";
    }

    /** The request body (public for tests and for {@code --verbose} inspection). */
    public ObjectNode body(BackendRequest r) {
        ObjectNode n = JsonTrees.object();
        n.put("model", model);
        ArrayNode messages = n.putArray("messages");
        messages.addObject().put("role", "system").put("content", r.system());
        messages.addObject().put("role", "user").put("content", r.user());
        n.put("stream", true);
        n.set("format", schema);
        ObjectNode options = n.putObject("options");
        options.put("temperature", TEMPERATURE);
        options.put("num_predict", maxTokens);
        return n;
    }

    @Override
    public Reply complete(BackendRequest r, Exchange exchange, Consumer<String> onText)
            throws AnalysisException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(chat)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonTrees.write(body(r))))
                .build();
        HttpResponse<InputStream> response = send(request, exchange);
        checkStatus(response, exchange);
        String contentType = lower(response.headers().firstValue("Content-Type").orElse(""));
        Answer answer = new Answer(maxResponseBytes, onText);
        try (InputStream in = response.body()) {
            BoundedLines lines = new BoundedLines(in, maxWireBytes(), maxLineBytes());
            boolean done;
            boolean cut;
            if (contentType.contains("ndjson") || contentType.isEmpty()) {
                Result res = readStream(lines, answer, null);
                done = res.done;
                cut = res.cut;
            } else {
                // stream: false style (or a server that ignored stream: true): one JSON document
                String whole = lines.readRest();
                JsonNode one = tryParse(whole);
                Result res;
                if (one != null) {
                    res = new Result();
                    res.apply(one, answer);
                } else {
                    res = readStream(null, answer, whole);
                }
                done = res.done;
                cut = res.cut;
            }
            if (!done) {
                throw AnalysisException.invalid("Ollama's stream ended before the answer was complete"
                        + " (no \"done\": true)");
            }
            return new Reply(answer.text(), cut);
        } catch (IOException e) {
            throw readError(e, exchange, chat);
        }
    }

    /** The state of a streamed answer. */
    private static final class Result {
        boolean done;
        boolean cut;

        void apply(JsonNode n, Answer answer) throws AnalysisException {
            if (!n.isObject()) {
                throw AnalysisException.invalid("Ollama sent a line that is not a JSON object");
            }
            JsonNode error = n.get("error");
            if (error != null && !error.isNull()) {
                String msg = error.isString() ? error.asString() : JsonTrees.write(error);
                throw new AnalysisException(Kind.SERVER, "Ollama error: " + oneLine(msg, 300));
            }
            JsonNode content = n.path("message").get("content");
            if (content != null && content.isString()) {
                answer.append(content.asString());
            } else if (n.has("response") && n.get("response").isString()) {
                answer.append(n.get("response").asString()); // /api/generate style
            }
            if (n.path("done").asBoolean(false)) {
                done = true;
                cut = "length".equals(n.path("done_reason").asString(""));
            }
        }
    }

    /** Reads NDJSON from {@code lines}, or from {@code text} when given. */
    private Result readStream(BoundedLines lines, Answer answer, String text)
            throws IOException, AnalysisException {
        Result res = new Result();
        String[] split = text == null ? null : text.split("\n");
        int i = 0;
        while (!res.done) {
            String line;
            if (split != null) {
                line = i < split.length ? split[i++] : null;
            } else {
                line = lines.readLine();
            }
            if (line == null) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = tryParse(line);
            if (n == null) {
                throw AnalysisException.invalid("Ollama sent a line that is not JSON: "
                        + oneLine(line, 120));
            }
            res.apply(n, answer);
        }
        return res;
    }

    private static JsonNode tryParse(String s) {
        try {
            return JsonTrees.parse(s);
        } catch (JacksonException e) {
            return null;
        }
    }

    @Override
    String rejectionHint(int status) {
        return status == 404 ? " (is the model \"" + model + "\" installed? run: ollama pull " + model + ")" : "";
    }

    @Override
    public Probe probe() {
        URI tags = URI.create(endpoint + "/api/tags");
        Duration limit = Duration.ofSeconds(5);
        ProbeReply r;
        try {
            r = get(tags, limit, null);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return Probe.unreachable("the Ollama check was interrupted");
            }
            return Probe.unreachable("Ollama is not reachable at " + endpoint + " (" + probeFailure(e, limit)
                    + "); analyses stay pending and are retried — start it with: ollama serve");
        }
        if (r.status() != 200) {
            return new Probe(false, "Ollama at " + endpoint + " answered GET /api/tags with " + r.status()
                    + describeBody(r.body()) + "; is this an Ollama server?");
        }
        List<String> names = new ArrayList<>();
        try {
            for (JsonNode m : JsonTrees.parse(r.body()).path("models")) {
                String name = m.path("name").asString(m.path("model").asString(""));
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        } catch (JacksonException e) {
            return new Probe(false, "Ollama at " + endpoint + " sent an unreadable model list");
        }
        for (String n : names) {
            if (sameModel(n, model)) {
                return new Probe(true, "Ollama at " + endpoint + " is up and has the model \"" + model + "\"");
            }
        }
        return new Probe(false, "Ollama at " + endpoint + " does not have the model \"" + model + "\" (installed: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + "); run: ollama pull " + model);
    }

    /** "llama3" names "llama3:latest"; a tag given must match exactly. */
    static boolean sameModel(String installed, String wanted) {
        if (installed.equals(wanted)) {
            return true;
        }
        return !wanted.contains(":") && installed.equals(wanted + ":latest");
    }

    static String trimSlash(String s) {
        String t = s.strip();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
