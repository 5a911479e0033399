package dev.eyes.analysis.backend;

import dev.eyes.analysis.InsightSchema;
import dev.eyes.config.AiConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/** Builds the backend {@code [ai]} asks for. */
public final class Backends {
    private Backends() {
    }

    public static Backend create(AiConfig ai) {
        Duration timeout = Duration.ofSeconds(ai.timeoutSeconds());
        return switch (ai.backend()) {
            case AiConfig.OPENAI -> new OpenAiBackend(HttpBackend.lazyClient(timeout), ai.baseUrl(), ai.model(),
                    ai.apiKey(), timeout, ai.maxResponseTokens(), ai.maxResponseBytes());
            case AiConfig.MOCK -> new MockBackend(ai.model(), Duration.ofMillis(ai.mockDelayMillis()),
                    ai.mockPattern());
            default -> new OllamaBackend(HttpBackend.lazyClient(timeout), ai.endpoint(), ai.model(), timeout,
                    ai.maxResponseTokens(), ai.maxResponseBytes(), InsightSchema.schema());
        };
    }

    /** A client, made on first use, for tests and tools that build backends themselves. */
    public static Supplier<HttpClient> httpClient(Duration timeout) {
        return HttpBackend.lazyClient(timeout);
    }
}
