package dev.eyes.analysis.backend;

import dev.eyes.analysis.AnalysisException;
import dev.eyes.analysis.AnalysisException.Kind;
import dev.eyes.json.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What the HTTP backends share: the client, sending with cancellation, status classification (429 honours
 * {@code Retry-After}; 408 and 5xx are retried; other 4xx fail at once with the server's own message), bounded
 * reading, and error texts that never contain the API key.
 */
abstract class HttpBackend implements Backend {
    /** Error bodies are read up to this much, for the server's message. */
    static final int MAX_ERROR_BODY = 64 * 1024;
    /** A probe's answer (a model list) is read up to this much. */
    static final int MAX_PROBE_BODY = 1024 * 1024;
    /** Streaming adds framing around the text: the body may be this many times the text limit. */
    static final int WIRE_FACTOR = 8;

    /** Made on first use: an idle observer never loads the HTTP client and TLS (~10 MB resident, README "Footprint"). */
    private final Supplier<HttpClient> client;
    protected final String model;
    protected final Duration timeout;
    protected final long maxResponseBytes;
    private final String secret;

    HttpBackend(Supplier<HttpClient> client, String model, Duration timeout, long maxResponseBytes, String secret) {
        this.client = client;
        this.model = model;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
    }

    /** An HTTP/1.1 client (no h2c upgrade surprises with local servers), no proxy, bounded connect time. */
    static HttpClient newClient(Duration timeout, URI target) {
        Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
        return Backends.tlsOnlyFor(target, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER))
                .build();
    }

    /** A client for {@code target} made by the first call of {@code get()}, then shared. */
    static Supplier<HttpClient> lazyClient(Duration timeout, URI target) {
        return new Supplier<>() {
            private HttpClient made;

            @Override
            public synchronized HttpClient get() {
                if (made == null) {
                    made = newClient(timeout, target);
                }
                return made;
            }
        };
    }

    @Override
    public String model() {
        return model;
    }

    /** "Ollama", "OpenAI-compatible server" — for messages. */
    abstract String serverName();

    /** Sends and waits for the response head; cancellable through {@code exchange}. */
    HttpResponse<InputStream> send(HttpRequest request, Exchange exchange)
            throws AnalysisException, InterruptedException {
        exchange.check();
        CompletableFuture<HttpResponse<InputStream>> f = client.get().sendAsync(request,
                HttpResponse.BodyHandlers.ofInputStream());
        exchange.register(() -> f.cancel(true));
        HttpResponse<InputStream> response;
        try {
            response = f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            if (exchange.cancelled()) {
                throw exchange.cancellation();
            }
            throw e;
        } catch (CancellationException e) {
            throw exchange.cancellation();
        } catch (ExecutionException e) {
            if (exchange.cancelled()) {
                throw exchange.cancellation();
            }
            throw transportError(e.getCause() == null ? e : e.getCause(), request.uri());
        }
        exchange.register(response.body());
        return response;
    }

    /** What a probe's GET got back. */
    record ProbeReply(int status, String body) {
    }

    /**
     * A GET for probes, with {@code limit} for connecting and the same for the whole answer. It goes through the
     * JDK's {@link HttpURLConnection} rather than the analysis client: a periodic check of a backend that is down
     * must not load the HTTP/2-capable client and TLS into an otherwise idle observer. No proxy, no redirects, the
     * body read up to {@link #MAX_PROBE_BODY}; the connection is closed afterwards (no keep-alive thread).
     */
    ProbeReply get(URI uri, Duration limit, String bearer) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit.toMillis()));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestProperty("Accept", "application/json");
            if (bearer != null) {
                c.setRequestProperty("Authorization", "Bearer " + bearer);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                return new ProbeReply(status, "");
            }
            try (in) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0 && out.size() < MAX_PROBE_BODY) {
                    out.write(buf, 0, Math.min(n, MAX_PROBE_BODY - out.size()));
                    if (System.nanoTime() - deadline > 0) {
                        throw new SocketTimeoutException("the answer took longer than " + ms + " ms");
                    }
                }
                return new ProbeReply(status, out.toString(StandardCharsets.UTF_8));
            }
        } finally {
            c.disconnect();
        }
    }

    /** Why a probe's GET failed, in a few words ("connection refused", "no answer within 5 s"). */
    static String probeFailure(IOException e, Duration limit) {
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer within " + limit.toSeconds() + " s";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** Maps a transport failure to a retryable error naming the URL (never headers). */
    AnalysisException transportError(Throwable t, URI uri) {
        String where = origin(uri);
        if (t instanceof HttpConnectTimeoutException) {
            return AnalysisException.transport("connecting to " + where + " timed out", t);
        }
        if (t instanceof HttpTimeoutException) {
            return new AnalysisException(Kind.TIMEOUT, "Request timeout: " + where + " did not answer in time",
                    null, t);
        }
        if (t instanceof ConnectException || t.getCause() instanceof ConnectException) {
            return AnalysisException.transport("cannot connect to " + serverName() + " at " + where
                    + " (connection refused)", t);
        }
        if (t instanceof UnresolvedAddressException || t.getCause() instanceof UnresolvedAddressException
                || t instanceof UnknownHostException) {
            return AnalysisException.transport("cannot resolve the host of " + where, t);
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof EOFException || msg.startsWith("fixed content-length")) {
            // the head came and the body was cut short before the client handed the response over: the same break
            // as a read error in the body (which one the client reports depends on when the connection dies)
            return AnalysisException.transport("the connection to " + where + " broke while reading the answer: "
                    + scrub(msg), t);
        }
        return AnalysisException.transport(scrub(msg) + " (" + where + ")", t);
    }

    /** A read error in the middle of a body: the connection was lost (retryable), unless we cancelled it. */
    AnalysisException readError(IOException e, Exchange exchange, URI uri) {
        if (exchange.cancelled()) {
            return exchange.cancellation();
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !msg.contains(c.getMessage())) {
                msg = msg + ": " + c.getMessage(); // "closed" alone says little; the cause says why
                break;
            }
        }
        return AnalysisException.transport("the connection to " + origin(uri) + " broke while reading the answer: "
                + scrub(msg), e);
    }

    /**
     * Throws for any status other than 2xx, with the server's message: 429 → rate limited (with Retry-After),
     * 408 and 5xx → retryable, other statuses → rejected at once.
     */
    void checkStatus(HttpResponse<InputStream> response, Exchange exchange)
            throws AnalysisException, InterruptedException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        if (exchange.cancelled()) {
            throw exchange.cancellation();
        }
        String text = "HTTP error: " + serverName() + " returned " + status + describeBody(body);
        Duration retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
        if (status == 429) {
            throw new AnalysisException(Kind.RATE_LIMITED, text, retryAfter, null);
        }
        if (status == 408 || status >= 500) {
            throw new AnalysisException(Kind.SERVER, text, retryAfter, null);
        }
        throw new AnalysisException(Kind.REJECTED, text + rejectionHint(status));
    }

    /** Extra advice for a rejected request (e.g. an unknown model). */
    String rejectionHint(int status) {
        return "";
    }

    /** ": <the server's message>" from a JSON error body, or an excerpt of the text; "" when empty. */
    String describeBody(String body) {
        String b = body == null ? "" : body.strip();
        if (b.isEmpty()) {
            return "";
        }
        String msg = null;
        try {
            JsonNode n = JsonTrees.parse(b);
            msg = errorMessage(n);
        } catch (JacksonException e) {
            // not JSON: use the text
        }
        if (msg == null) {
            msg = b;
        }
        return ": " + oneLine(scrub(msg), 300);
    }

    /** The message of an error object: {@code error} (string), {@code error.message} (+ type), {@code message}, {@code detail}. */
    static String errorMessage(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode e = n.get("error");
        if (e != null && e.isString()) {
            return e.asString();
        }
        if (e != null && e.isObject()) {
            String m = e.path("message").asString("");
            String type = e.path("type").asString("");
            if (!m.isEmpty()) {
                return type.isEmpty() ? m : m + " (" + type + ")";
            }
            return e.toString();
        }
        JsonNode m = n.get("message");
        if (m != null && m.isString()) {
            return m.asString();
        }
        JsonNode d = n.get("detail");
        if (d != null && !d.isNull()) {
            return d.isString() ? d.asString() : JsonTrees.write(d);
        }
        return null;
    }

    /** Removes the API key from anything a server says (some echo a part of it). */
    String scrub(String s) {
        if (s == null || secret == null) {
            return s;
        }
        return s.replace(secret, "***");
    }

    static String oneLine(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    static String origin(URI uri) {
        String s = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        return s + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** {@code Retry-After}: delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long secs = Long.parseLong(h);
            return secs < 0 ? null : Duration.ofSeconds(secs);
        } catch (NumberFormatException ignored) {
            // try a date
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(now, at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The longest body accepted for a streamed answer of at most {@code maxResponseBytes} of text. */
    long maxWireBytes() {
        long wire = maxResponseBytes * WIRE_FACTOR + 64 * 1024;
        return wire < 0 ? Long.MAX_VALUE : wire;
    }

    int maxLineBytes() {
        long line = maxResponseBytes + 64 * 1024;
        return (int) Math.min(Integer.MAX_VALUE - 16, line);
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
