package dev.eyes.selfmon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The analysis stage's meters. Implemented here; the analysis stage (issue 4) calls them — one line per hook:
 * <ul>
 *   <li>{@link #attempt(String, long, boolean)} after every backend request, with its latency;</li>
 *   <li>{@link #failure(AiFailureKind)} for every failed attempt, and for a retry-queue entry dropped when full;</li>
 *   <li>{@link #redactions(int)} with the number of secrets redacted from a prompt;</li>
 *   <li>{@link #bindQueues(IntSupplier, IntSupplier, IntSupplier)} once at start (ready, in flight, waiting to retry).</li>
 * </ul>
 * Meters appear in {@code /metrics} when first used, so an Eyes without an analysis stage does not advertise one.
 * The last {@value #LATENCY_SAMPLES} latencies feed the mean-latency warning and pressure signal (reference §13).
 */
public final class AiMeters {
    static final int LATENCY_SAMPLES = 100;
    private static final Duration[] BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private final MeterRegistry registry;
    private final LabelGuard backends = new LabelGuard("backend", 8, Set.of("ollama", "openai", "mock"));
    private final RecentWindows.Values latencies = new RecentWindows.Values(LATENCY_SAMPLES);
    private volatile boolean queuesBound;

    AiMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * One request to the AI backend ended.
     *
     * @param backend      {@code ollama}, {@code openai} or {@code mock} (anything else is counted as {@code other})
     * @param latencyNanos from sending the request to the end of the answer (or the failure)
     * @param success      whether it produced a usable answer
     */
    public void attempt(String backend, long latencyNanos, boolean success) {
        String b = backends.apply(backend);
        Timer.builder("eyes.ai.request")
                .description("Requests to the AI backend: latency from request to the end of the answer")
                .tags("backend", b, "outcome", success ? "success" : "failure")
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(latencyNanos, TimeUnit.NANOSECONDS);
        Counter.builder("eyes.ai.attempts").description("Analysis attempts sent to the AI backend")
                .tag("backend", b).register(registry).increment();
        latencies.add(latencyNanos / 1e6);
    }

    /** An attempt failed (or a queued retry was dropped because the retry queue was full). */
    public void failure(AiFailureKind kind) {
        Counter.builder("eyes.ai.failures").description("Failed analysis attempts by kind")
                .tag("kind", kind.wireName()).register(registry).increment();
    }

    /** {@code count} secrets were redacted from a prompt before it was sent. */
    public void redactions(int count) {
        if (count > 0) {
            Counter.builder("eyes.ai.redactions").description("Secrets redacted from prompts before sending")
                    .register(registry).increment(count);
        }
    }

    /**
     * The analysis stage's queues, read at each scrape and heartbeat.
     *
     * @param ready    candidates waiting for a free slot
     * @param inFlight requests running now
     * @param retrying candidates waiting in the retry queue for their backoff to pass
     */
    public void bindQueues(IntSupplier ready, IntSupplier inFlight, IntSupplier retrying) {
        if (queuesBound) {
            return;
        }
        queuesBound = true;
        Gauge.builder("eyes.ai.queue.depth", ready, IntSupplier::getAsInt)
                .description("Candidates waiting for an analysis slot").strongReference(true).register(registry);
        Gauge.builder("eyes.ai.in.flight", inFlight, IntSupplier::getAsInt)
                .description("Analysis requests running now").strongReference(true).register(registry);
        Gauge.builder("eyes.ai.retry.queue.depth", retrying, IntSupplier::getAsInt)
                .description("Candidates waiting in the retry queue").strongReference(true).register(registry);
    }

    /** The mean latency of the last {@value #LATENCY_SAMPLES} attempts in milliseconds, NaN when there are none. */
    public double recentMeanLatencyMillis() {
        return latencies.mean();
    }
}
