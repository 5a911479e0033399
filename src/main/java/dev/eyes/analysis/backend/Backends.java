package dev.eyes.analysis.backend;

import dev.eyes.analysis.InsightSchema;
import dev.eyes.config.AiConfig;
import java.net.http.HttpClient;
import java.time.Duration;

/** Builds the backend {@code [ai]} asks for. */
public final class Backends {
    private Backends() {
    }

    public static Backend create(AiConfig ai) {
        Duration timeout = Duration.ofSeconds(ai.timeoutSeconds());
        return switch (ai.backend()) {
            case AiConfig.OPENAI -> new OpenAiBackend(HttpBackend.newClient(timeout), ai.baseUrl(), ai.model(),
                    ai.apiKey(), timeout, ai.maxResponseTokens(), ai.maxResponseBytes());
            case AiConfig.MOCK -> new MockBackend(ai.model(), Duration.ofMillis(ai.mockDelayMillis()),
                    ai.mockPattern());
            default -> new OllamaBackend(HttpBackend.newClient(timeout), ai.endpoint(), ai.model(), timeout,
                    ai.maxResponseTokens(), ai.maxResponseBytes(), InsightSchema.schema());
        };
    }

    /** A client for tests and tools that build backends themselves. */
    public static HttpClient httpClient(Duration timeout) {
        return HttpBackend.newClient(timeout);
    }
}
