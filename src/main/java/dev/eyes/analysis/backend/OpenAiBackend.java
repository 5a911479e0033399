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
 * Any OpenAI-compatible chat-completions server (OpenAI, LM Studio, llama.cpp's server, vLLM …):
 * {@code POST {base_url}/chat/completions} with {@code Authorization: Bearer <api_key>} (when a key is set), a
 * system and a user message, {@code temperature} 0.1, {@code max_tokens} = {@code ai.max_response_tokens} and
 * {@code stream: true}: server-sent events whose {@code data:} lines carry {@code choices[0].delta.content},
 * ending with {@code data: [DONE]}. A server that ignores {@code stream} and sends one
 * {@code chat.completion} object is understood too. The key never appears in logs or error texts.
 */
public final class OpenAiBackend extends HttpBackend {
    public static final double TEMPERATURE = 0.1;

    private final String baseUrl;
    private final URI completions;
    private final String apiKey;
    private final int maxTokens;

    public OpenAiBackend(Supplier<HttpClient> client, String baseUrl, String model, String apiKey, Duration timeout,
                         int maxTokens, long maxResponseBytes) {
        super(client, model, timeout, maxResponseBytes, apiKey);
        this.baseUrl = OllamaBackend.trimSlash(baseUrl);
        this.completions = URI.create(this.baseUrl + "/chat/completions");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.maxTokens = maxTokens;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String target() {
        return baseUrl;
    }

    @Override
    String serverName() {
        return "the OpenAI-compatible server";
    }

    public ObjectNode body(BackendRequest r) {
        ObjectNode n = JsonTrees.object();
        n.put("model", model);
        ArrayNode messages = n.putArray("messages");
        messages.addObject().put("role", "system").put("content", r.system());
        messages.addObject().put("role", "user").put("content", r.user());
        n.put("temperature", TEMPERATURE);
        n.put("max_tokens", maxTokens);
        n.put("stream", true);
        return n;
    }

    @Override
    public Reply complete(BackendRequest r, Exchange exchange, Consumer<String> onText)
            throws AnalysisException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(completions)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonTrees.write(body(r))));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<InputStream> response = send(b.build(), exchange);
        checkStatus(response, exchange);
        String contentType = lower(response.headers().firstValue("Content-Type").orElse(""));
        Answer answer = new Answer(maxResponseBytes, onText);
        try (InputStream in = response.body()) {
            BoundedLines lines = new BoundedLines(in, maxWireBytes(), maxLineBytes());
            if (contentType.contains("text/event-stream")) {
                return readEvents(lines, answer);
            }
            String whole = lines.readRest();
            JsonNode n;
            try {
                n = JsonTrees.parse(whole);
            } catch (JacksonException e) {
                if (whole.stripLeading().startsWith("data:")) {
                    // an event stream without its content type
                    return readEvents(new BoundedLines(new java.io.ByteArrayInputStream(
                            whole.getBytes(java.nio.charset.StandardCharsets.UTF_8)), maxWireBytes(),
                            maxLineBytes()), answer);
                }
                throw AnalysisException.invalid("the server's answer is not JSON: " + oneLine(whole, 120));
            }
            checkError(n);
            JsonNode choice = n.path("choices").path(0);
            if (choice.isMissingNode()) {
                throw AnalysisException.invalid("the server's answer has no choices");
            }
            JsonNode content = choice.path("message").get("content");
            if (content != null && content.isString()) {
                answer.append(content.asString());
            }
            return new Reply(answer.text(), "length".equals(choice.path("finish_reason").asString("")));
        } catch (IOException e) {
            throw readError(e, exchange, completions);
        }
    }

    /** Server-sent events: {@code data:} lines (joined within an event), blank line ends an event. */
    private Reply readEvents(BoundedLines lines, Answer answer) throws IOException, AnalysisException {
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        boolean finished = false;
        boolean cut = false;
        while (true) {
            String line = lines.readLine();
            if (line == null || line.isEmpty()) {
                if (hasData) {
                    String payload = data.toString();
                    data.setLength(0);
                    hasData = false;
                    if (payload.strip().equals("[DONE]")) {
                        return new Reply(answer.text(), cut);
                    }
                    JsonNode n;
                    try {
                        n = JsonTrees.parse(payload);
                    } catch (JacksonException e) {
                        throw AnalysisException.invalid("an event from the server is not JSON: "
                                + oneLine(payload, 120));
                    }
                    checkError(n);
                    for (JsonNode choice : n.path("choices")) {
                        if (choice.path("index").asInt(0) != 0) {
                            continue;
                        }
                        JsonNode content = choice.path("delta").get("content");
                        if (content != null && content.isString()) {
                            answer.append(content.asString());
                        }
                        String reason = choice.path("finish_reason").asString("");
                        if (!reason.isEmpty() && !"null".equals(reason)) {
                            finished = true;
                            cut = "length".equals(reason);
                        }
                    }
                }
                if (line == null) {
                    break;
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue; // comment / keep-alive
            }
            if (line.startsWith("data:")) {
                String v = line.substring(5);
                if (v.startsWith(" ")) {
                    v = v.substring(1);
                }
                if (hasData) {
                    data.append('\n');
                }
                data.append(v);
                hasData = true;
            }
            // event:, id:, retry: carry nothing we need
        }
        if (finished) {
            return new Reply(answer.text(), cut); // some servers close without [DONE]
        }
        throw AnalysisException.invalid("the event stream ended before the answer was complete (no [DONE])");
    }

    private void checkError(JsonNode n) throws AnalysisException {
        JsonNode e = n.get("error");
        if (e == null || e.isNull()) {
            return;
        }
        String type = e.path("type").asString("");
        String msg = e.isString() ? e.asString() : e.path("message").asString(JsonTrees.write(e));
        throw new AnalysisException(Kind.SERVER, "OpenAI API error" + (type.isEmpty() ? "" : " (" + type + ")")
                + ": " + oneLine(scrub(msg), 300));
    }

    @Override
    String rejectionHint(int status) {
        return switch (status) {
            case 401, 403 -> " (check ai.api_key or OPENAI_API_KEY)";
            case 404 -> " (check ai.base_url and ai.model \"" + model + "\")";
            default -> "";
        };
    }

    @Override
    public Probe probe() {
        URI models = URI.create(baseUrl + "/models");
        Duration limit = Duration.ofSeconds(5);
        ProbeReply r;
        try {
            r = get(models, limit, apiKey);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return Probe.unreachable("the check of " + baseUrl + " was interrupted");
            }
            return Probe.unreachable("the OpenAI-compatible server at " + baseUrl + " is not reachable ("
                    + scrub(probeFailure(e, limit)) + "); analyses stay pending and are retried");
        }
        if (r.status() == 401 || r.status() == 403) {
            return new Probe(false, "the OpenAI-compatible server at " + baseUrl + " refused the API key ("
                    + r.status() + describeBody(r.body()) + "); check ai.api_key or OPENAI_API_KEY");
        }
        if (r.status() != 200) {
            return new Probe(true, "the OpenAI-compatible server at " + baseUrl + " answers, but cannot list its"
                    + " models (GET /models: " + r.status() + ")");
        }
        List<String> ids = new ArrayList<>();
        try {
            for (JsonNode m : JsonTrees.parse(r.body()).path("data")) {
                String id = m.path("id").asString("");
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        } catch (JacksonException e) {
            return new Probe(true, "the OpenAI-compatible server at " + baseUrl + " answers (unreadable model list)");
        }
        if (ids.isEmpty() || ids.contains(model)) {
            return new Probe(true, "the OpenAI-compatible server at " + baseUrl + " is up"
                    + (ids.isEmpty() ? "" : " and has the model \"" + model + "\""));
        }
        return new Probe(false, "the OpenAI-compatible server at " + baseUrl + " does not list the model \"" + model
                + "\" (available: " + String.join(", ", ids.size() > 20 ? ids.subList(0, 20) : ids) + ")");
    }
}
