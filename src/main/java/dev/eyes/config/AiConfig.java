package dev.eyes.config;

/**
 * {@code [ai]}: the diagnosis backend.
 *
 * @param backend            ollama | openai | mock
 * @param endpoint           Ollama base URL
 * @param model              model name (default llama3 for Ollama, gpt-4 for OpenAI, "mock" for the mock)
 * @param apiKey             OpenAI-compatible key; may come from env OPENAI_API_KEY; never logged
 * @param baseUrl            OpenAI-compatible base URL (LM Studio, llama.cpp server, vLLM …)
 * @param automaticAnalysis  analyse every stored trigger; false leaves them "not_done" for Analyze now
 * @param maxConcurrent      analyses in flight at once
 * @param timeoutSeconds     limit for one whole exchange, streaming included
 * @param maxAttempts        attempts per trigger before it is marked failed
 * @param retryMaxDelaySeconds cap of the exponential backoff (1 s, 2 s, 4 s …)
 * @param retryQueueSize     bound of the retry queue; overflow fails the oldest entry
 * @param maxResponseTokens  Ollama num_predict / OpenAI max_tokens
 * @param maxResponseBytes   longer answers are cut off and fail as invalid
 * @param redact             replace secrets before anything leaves the process
 * @param redactNetworkIdentities also replace e-mail and IP addresses when the backend is not on loopback
 * @param mockDelayMillis    mock backend: delay before answering
 * @param mockPattern        mock backend: comma-separated outcomes cycled per call: ok | fail | invalid | hang
 */
public record AiConfig(String backend, String endpoint, String model, String apiKey, String baseUrl,
                       boolean automaticAnalysis, int maxConcurrent, int timeoutSeconds, int maxAttempts,
                       int retryMaxDelaySeconds, int retryQueueSize, int maxResponseTokens, long maxResponseBytes,
                       boolean redact, boolean redactNetworkIdentities, long mockDelayMillis, String mockPattern) {

    public static final String OLLAMA = "ollama";
    public static final String OPENAI = "openai";
    public static final String MOCK = "mock";

    public static AiConfig defaults() {
        return new AiConfig(OLLAMA, "http://localhost:11434", "llama3", null, "https://api.openai.com/v1", true, 2, 60,
                4, 60, 100, 1000, 1024 * 1024, true, true, 0, "ok");
    }

    /** The URL the backend talks to (endpoint for Ollama, base_url for OpenAI, "mock" otherwise). */
    public String target() {
        return switch (backend) {
            case OLLAMA -> endpoint;
            case OPENAI -> baseUrl;
            default -> "mock";
        };
    }
}
