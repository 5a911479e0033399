package dev.eyes.analysis;

import dev.eyes.analysis.AnalysisException.Kind;
import dev.eyes.analysis.backend.Backend;
import dev.eyes.analysis.backend.BackendRequest;
import dev.eyes.analysis.backend.Exchange;
import dev.eyes.analysis.backend.Reply;
import dev.eyes.rule.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One attempt at a diagnosis, up to the insight: redact the trigger, build the prompt, redact once more what is
 * sent, ask the backend under a watchdog (its text streamed to the listeners), parse and sanitise the answer.
 * Storing the assessment and what follows stay with the {@link Analyzer}. Thread-safe: each call runs on the
 * analysis thread of its candidate.
 */
final class Consultation {
    /**
     * A usable insight and how it was obtained.
     *
     * @param preparedNanos {@code System.nanoTime()} before redaction began
     * @param sentNanos     when the request was sent
     * @param receivedNanos when the whole answer had arrived
     */
    record Answer(Insight insight, AnalysisMetadata metadata, long preparedNanos, long sentNanos, long receivedNanos) {
    }

    private final Backend backend;
    private final Redactor redactor;
    private final PromptBuilder prompts;
    private final InsightParser parser;
    private final InsightSanitizer sanitizer = new InsightSanitizer();
    private final Scheduler realTime;
    private final Duration timeout;
    private final List<AnalysisListener> listeners;
    private final Consumer<Runnable> safely;

    /**
     * @param listeners the analyzer's live list (read at each call)
     * @param safely    runs a listener call, logging and swallowing what it throws
     */
    Consultation(Backend backend, Redactor redactor, PromptBuilder prompts, InsightParser parser, Scheduler realTime,
                 Duration timeout, List<AnalysisListener> listeners, Consumer<Runnable> safely) {
        this.backend = backend;
        this.redactor = redactor;
        this.prompts = prompts;
        this.parser = parser;
        this.realTime = realTime;
        this.timeout = timeout;
        this.listeners = listeners;
        this.safely = safely;
    }

    /** Attempt number {@code attempt} for candidate {@code id}; a failure of any kind is an AnalysisException. */
    Answer ask(long id, Trigger trigger, int attempt, Exchange exchange) throws AnalysisException, InterruptedException {
        long prepared = System.nanoTime();
        Redactor.RedactedTrigger red = redactor.redact(trigger);
        PromptBuilder.Prompt prompt = prompts.build(red.trigger());
        // a last pass over everything that is sent: nothing unredacted may leave, whatever the prompt contains
        Redactor.Result system = redactor.redact(prompt.system());
        Redactor.Result user = redactor.redact(prompt.user());
        int redactions = red.count() + system.total() + user.total();
        BackendRequest request = new BackendRequest(system.text(), user.text(), trigger.expectedSeverity(),
                PromptBuilder.clean(red.trigger().reason(), 200));
        for (AnalysisListener l : listeners) {
            safely.accept(() -> l.started(id, attempt, backend.name(), backend.model()));
        }
        long sent = System.nanoTime();
        long received;
        Insight parsed;
        try {
            Reply reply = exchange(id, request, exchange);
            received = System.nanoTime();
            parsed = parse(reply);
        } catch (AnalysisException e) {
            ended(id, System.nanoTime() - sent, e.kind(), redactions);
            throw e;
        }
        ended(id, received - sent, null, redactions);
        Insight insight = sanitizer.sanitize(parsed, trigger.expectedSeverity());
        AnalysisMetadata meta = new AnalysisMetadata(backend.name(), backend.model(), (received - sent) / 1_000_000,
                attempt, redactions);
        return new Answer(insight, meta, prepared, sent, received);
    }

    private Reply exchange(long id, BackendRequest request, Exchange ex) throws AnalysisException,
            InterruptedException {
        Scheduler.Cancellable watchdog = realTime.schedule(timeout, () -> ex.cancel(Kind.TIMEOUT));
        ex.begin();
        try {
            return backend.complete(request, ex, chunk -> {
                for (AnalysisListener l : listeners) {
                    safely.accept(() -> l.text(id, chunk));
                }
            });
        } catch (AnalysisException e) {
            // an I/O error caused by our own cancel is the cancel
            throw ex.cancelled() && e.kind() != Kind.TIMEOUT && e.kind() != Kind.CANCELLED ? ex.cancellation() : e;
        } finally {
            watchdog.cancel();
            ex.end();
        }
    }

    private Insight parse(Reply reply) throws AnalysisException {
        try {
            return parser.parse(reply.text());
        } catch (AnalysisException e) {
            if (reply.cutAtLimit()) {
                throw AnalysisException.invalid(e.getMessage().replaceFirst("^Invalid response format: ", "")
                        + " (the model stopped at ai.max_response_tokens)");
            }
            throw e;
        }
    }

    private void ended(long id, long latencyNanos, Kind failure, int redactions) {
        String kind = failure == null ? null : failure.name().toLowerCase(Locale.ROOT);
        for (AnalysisListener l : listeners) {
            safely.accept(() -> l.attemptEnded(id, backend.name(), latencyNanos, kind, redactions));
        }
    }
}
