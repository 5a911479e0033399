package dev.eyes.analysis.backend;

import dev.eyes.analysis.InsightSchema;
import dev.eyes.config.AiConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Builds the backend {@code [ai]} asks for. */
public final class Backends {
    private Backends() {
    }

    public static Backend create(AiConfig ai) {
        Duration timeout = Duration.ofSeconds(ai.timeoutSeconds());
        return switch (ai.backend()) {
            case AiConfig.OPENAI -> new OpenAiBackend(HttpBackend.lazyClient(timeout, target(ai.baseUrl())), ai.baseUrl(), ai.model(),
                    ai.apiKey(), timeout, ai.maxResponseTokens(), ai.maxResponseBytes());
            case AiConfig.MOCK -> new MockBackend(ai.model(), Duration.ofMillis(ai.mockDelayMillis()),
                    ai.mockPattern());
            default -> new OllamaBackend(HttpBackend.lazyClient(timeout, target(ai.endpoint())), ai.endpoint(), ai.model(), timeout,
                    ai.maxResponseTokens(), ai.maxResponseBytes(), InsightSchema.schema());
        };
    }

    /** A client, made on first use, for tests and tools that build backends themselves (TLS available). */
    public static Supplier<HttpClient> httpClient(Duration timeout) {
        return HttpBackend.lazyClient(timeout, null);
    }

    /** The same for one target: without TLS when it is a plain {@code http://} URL (see {@link #tlsOnlyFor}). */
    public static Supplier<HttpClient> httpClient(Duration timeout, URI target) {
        return HttpBackend.lazyClient(timeout, target);
    }

    /**
     * Gives a client for a plain {@code http://} target a TLS context that is never initialised, so building it
     * does not load the JDK's default one — its trust store of ~150 parsed certificates and ~430 classes, ~9 MB of
     * resident memory — for a local Ollama that will never speak TLS. Redirects are not followed, so such a client
     * never meets an {@code https://} URL; {@code https} targets (and a null one) keep the default.
     */
    public static HttpClient.Builder tlsOnlyFor(URI target, HttpClient.Builder builder) {
        if (target != null && "http".equalsIgnoreCase(target.getScheme())) {
            try {
                builder.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
            } catch (NoSuchAlgorithmException e) {
                // every JDK has TLS; keep the default if not
            }
        }
        return builder;
    }

    private static URI target(String url) {
        try {
            return URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return null; // the request itself reports the bad URL
        }
    }
}
