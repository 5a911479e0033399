package dev.eyes.alert.notify;

import dev.eyes.analysis.Redactor;
import dev.eyes.analysis.backend.Backends;
import dev.eyes.config.AlertsConfig;
import dev.eyes.event.Severity;
import dev.eyes.store.DeliveryAttempt;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs alerts to a webhook ({@code [[alerts.webhooks]]}) in its format ({@link WebhookPayloads}), with its
 * headers, under its {@code timeout_seconds} per attempt (the whole exchange: connecting, sending, the answer and
 * its body). Up to {@value #TRIES} tries, {@code backoff} then twice that between them, for connection errors,
 * timeouts, 408, 425, 429 and 5xx; any other answer is final. A failure names the last status and an excerpt of
 * the answer's body. Its name shows the format and the host only — webhook URLs (Slack's, ntfy topics) and header
 * values are secrets and are never logged or stored.
 *
 * <p>What leaves the machine is cleaned first: when the webhook is not on loopback, every text it sends — title,
 * body and each string of the {@code json} alert, log lines included — goes through the analysis stage's
 * {@link Redactor} for secrets (private keys, credentials in URLs, JWTs, bearer tokens, API keys, {@code
 * password=…} and the like). Network identities (addresses) are kept: they are what an operator acts on.
 */
public final class WebhookNotifier implements Notifier {
    public static final int TRIES = 3;
    static final int KEEP_BODY = 4096;
    static final int EXCERPT = 200;

    private final String name;
    private final AlertsConfig.Webhook config;
    private final String host;
    private final Duration backoff;
    private final InstantSource clock;
    /** Made by the first delivery: a configured webhook that never fires costs no HTTP client or TLS. */
    private HttpClient client;
    private boolean closed;
    private final String headerProblem;
    private final Redactor redactor;

    /**
     * @param index   1-based position in the configuration (part of the name)
     * @param host    this machine's name, for the payloads
     * @param backoff the first wait between tries (1 s; tests shorten it)
     */
    public WebhookNotifier(int index, AlertsConfig.Webhook config, String host, Duration backoff,
                           InstantSource clock) {
        this.config = config;
        this.host = host;
        this.backoff = backoff;
        this.clock = clock;
        URI u = config.url();
        this.name = "webhook " + index + " (" + config.format() + ", " + u.getHost()
                + (u.getPort() > 0 ? ":" + u.getPort() : "") + ")";
        String problem = null;
        for (String header : config.headers().keySet()) {
            try {
                HttpRequest.newBuilder(u).header(header, config.headers().get(header));
            } catch (IllegalArgumentException e) {
                problem = "header '" + header + "' cannot be sent (a restricted name such as Host or Content-Length, "
                        + "or an invalid value)";
            }
        }
        this.headerProblem = problem;
        this.redactor = Redactor.isLoopback(u.toString()) ? null : new Redactor(true, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean accepts(Severity severity) {
        return severity.atLeast(config.minimumSeverity());
    }

    @Override
    public Duration deadline() {
        Duration perTry = Duration.ofSeconds(config.timeoutSeconds()).plusSeconds(1);
        return perTry.multipliedBy(TRIES).plus(backoff.multipliedBy((1L << (TRIES - 1)) - 1));
    }

    @Override
    public List<DeliveryAttempt> deliver(Notification n) {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        if (headerProblem != null) {
            attempts.add(DeliveryAttempt.failed(name, clock.instant(), headerProblem));
            return attempts;
        }
        WebhookPayloads.Payload payload;
        try {
            payload = WebhookPayloads.build(config.format(), redactor == null ? n : redacted(n, redactor), host);
        } catch (RuntimeException e) {
            attempts.add(DeliveryAttempt.failed(name, clock.instant(), "cannot build the payload: " + e));
            return attempts;
        }
        Duration wait = backoff;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            Instant at = clock.instant();
            Outcome o = post(payload);
            if (o.ok()) {
                attempts.add(DeliveryAttempt.delivered(name, at));
                return attempts;
            }
            attempts.add(DeliveryAttempt.failed(name, at, o.error() + (o.retry() && attempt < TRIES
                    ? " (try " + attempt + " of " + TRIES + ")" : attempt > 1 ? " (after " + attempt + " tries)" : "")));
            if (!o.retry() || attempt == TRIES) {
                break;
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                attempts.add(DeliveryAttempt.failed(name, clock.instant(), "interrupted before try " + (attempt + 1)));
                break;
            }
            wait = wait.multipliedBy(2);
        }
        return attempts;
    }

    /** {@code n} with secrets replaced in its title, its body and every string of its alert. */
    static Notification redacted(Notification n, Redactor r) {
        java.util.function.Supplier<tools.jackson.databind.JsonNode> alert = () -> {
            tools.jackson.databind.JsonNode a = n.alert() == null ? null : n.alert().get();
            return a == null ? null : redactTree(a.deepCopy(), r);
        };
        return new Notification(n.alertId(), n.candidateId(), n.groupId(), n.severity(), r.redact(n.title()).text(),
                r.redact(n.body()).text(), n.rule(), n.source(), alert);
    }

    private static tools.jackson.databind.JsonNode redactTree(tools.jackson.databind.JsonNode node, Redactor r) {
        if (node instanceof tools.jackson.databind.node.ObjectNode o) {
            for (String name : List.copyOf(o.propertyNames())) {
                tools.jackson.databind.JsonNode v = o.get(name);
                if (v.isString()) {
                    o.put(name, r.redact(v.asString()).text());
                } else {
                    redactTree(v, r);
                }
            }
        } else if (node instanceof tools.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isString()) {
                    a.set(i, a.stringNode(r.redact(a.get(i).asString()).text()));
                } else {
                    redactTree(a.get(i), r);
                }
            }
        }
        return node;
    }

    private record Outcome(boolean ok, boolean retry, String error) {
    }

    private Outcome post(WebhookPayloads.Payload payload) {
        HttpRequest.Builder b = HttpRequest.newBuilder(config.url())
                .timeout(Duration.ofSeconds(config.timeoutSeconds()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
        for (Map.Entry<String, String> h : payload.headers().entrySet()) {
            if (config.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase(h.getKey()))) {
                b.header(h.getKey(), h.getValue());
            }
        }
        config.headers().forEach(b::header);
        b.header("User-Agent", "Eyes");
        HttpClient client = client();
        if (client == null) {
            return new Outcome(false, false, "Eyes is stopping");
        }
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(b.build(), info -> limitedBody());
        try {
            HttpResponse<String> r = f.get(config.timeoutSeconds() * 1000L + 500, TimeUnit.MILLISECONDS);
            int s = r.statusCode();
            if (s >= 200 && s < 300) {
                return new Outcome(true, false, null);
            }
            boolean retry = s >= 500 || s == 408 || s == 425 || s == 429;
            return new Outcome(false, retry, "HTTP " + s + excerpt(r.body()));
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome(false, true, "no answer within " + config.timeoutSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof java.net.http.HttpTimeoutException) {
                return new Outcome(false, true, "no answer within " + config.timeoutSeconds() + " s");
            }
            return new Outcome(false, true, "cannot reach the webhook: " + describe(c));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(false, false, "interrupted");
        }
    }

    /** A cause's text without the URL (its path may hold a secret). */
    private String describe(Throwable c) {
        String m = c.getMessage();
        String kind = c.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            return c instanceof java.net.ConnectException ? "connection refused" : kind;
        }
        String url = config.url().toString();
        String path = config.url().getRawPath();
        m = m.replace(url, "<url>");
        if (path != null && path.length() > 1) {
            m = m.replace(path, "/…");
        }
        return kind + ": " + m;
    }

    static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.replaceAll("\\s+", " ").strip();
        if (one.length() > EXCERPT) {
            one = one.substring(0, EXCERPT) + "…";
        }
        return ": " + one;
    }

    /** Keeps the first {@link #KEEP_BODY} bytes of an answer and discards the rest. */
    private static HttpResponse.BodySubscriber<String> limitedBody() {
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<String> result = new CompletableFuture<>();
            private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

            @Override
            public CompletionStage<String> getBody() {
                return result;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                for (ByteBuffer bb : items) {
                    int n = Math.min(bb.remaining(), KEEP_BODY - kept.size());
                    if (n > 0) {
                        byte[] buf = new byte[n];
                        bb.get(buf);
                        kept.write(buf, 0, n);
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                result.complete(kept.toString(StandardCharsets.UTF_8));
            }
        };
    }

    /** The client, made on first use; null once closed. */
    private synchronized HttpClient client() {
        if (closed) {
            return null;
        }
        if (client == null) {
            client = Backends.tlsOnlyFor(config.url(), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(config.timeoutSeconds()))
                    .followRedirects(HttpClient.Redirect.NEVER)).build();
        }
        return client;
    }

    /** Aborts exchanges still running (HttpClient.close() would wait for them, past the stop deadline). */
    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return name + " minimum_severity " + config.minimumSeverity().wireName().toLowerCase(Locale.ROOT);
    }
}
