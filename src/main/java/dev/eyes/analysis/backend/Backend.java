package dev.eyes.analysis.backend;

import dev.eyes.analysis.AnalysisException;
import java.util.function.Consumer;

/** A language-model server (or the mock). Implementations are thread-safe: several exchanges run at once. */
public interface Backend {
    /** {@code ollama}, {@code openai} or {@code mock}. */
    String name();

    /** The model asked. */
    String model();

    /** Where requests go (a URL; "mock" for the mock). */
    String target();

    /**
     * One exchange: sends the request and returns the whole answer, publishing each piece of text to
     * {@code onText} as it streams in. Honours {@code exchange} cancellation (timeout, shutdown).
     */
    Reply complete(BackendRequest request, Exchange exchange, Consumer<String> onText)
            throws AnalysisException, InterruptedException;

    /** Checks that the server is reachable and has the model. Never throws; takes a few seconds at most. */
    Probe probe();
}
