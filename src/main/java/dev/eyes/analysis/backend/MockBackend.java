package dev.eyes.analysis.backend;

import dev.eyes.analysis.AnalysisException;
import dev.eyes.analysis.AnalysisException.Kind;
import dev.eyes.json.JsonTrees;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for a model, for tests and demos: answers after {@code ai.mock_delay_ms} with a canned insight —
 * labelled "[mock]" in its summary, with the model name "mock" — streamed in small pieces like a real model.
 * {@code ai.mock_pattern} cycles, per call, through outcomes: {@code ok}, {@code fail} (a retryable
 * communication error), {@code invalid} (an answer that is not JSON), {@code hang} (never answers, until the
 * timeout or shutdown cancels it).
 */
public final class MockBackend implements Backend {
    public enum Outcome { OK, FAIL, INVALID, HANG }

    public static final String SUMMARY_PREFIX = "[mock] ";

    private final String model;
    private final Duration delay;
    private final List<Outcome> pattern;
    private final AtomicLong calls = new AtomicLong();

    public MockBackend(String model, Duration delay, String pattern) {
        this.model = model == null || model.isBlank() ? "mock" : model;
        this.delay = delay;
        this.pattern = parse(pattern);
    }

    static List<Outcome> parse(String pattern) {
        List<Outcome> out = new ArrayList<>();
        for (String p : (pattern == null || pattern.isBlank() ? "ok" : pattern).split(",")) {
            if (!p.isBlank()) {
                out.add(Outcome.valueOf(p.strip().toUpperCase(Locale.ROOT)));
            }
        }
        return out.isEmpty() ? List.of(Outcome.OK) : List.copyOf(out);
    }

    @Override
    public String name() {
        return "mock";
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String target() {
        return "mock";
    }

    public long calls() {
        return calls.get();
    }

    @Override
    public Reply complete(BackendRequest request, Exchange exchange, Consumer<String> onText)
            throws AnalysisException, InterruptedException {
        Outcome outcome = pattern.get((int) (calls.getAndIncrement() % pattern.size()));
        exchange.check();
        try {
            if (!delay.isZero()) {
                Thread.sleep(delay);
            }
            if (outcome == Outcome.HANG) {
                Thread.sleep(Long.MAX_VALUE);
            }
        } catch (InterruptedException e) {
            if (exchange.cancelled()) {
                throw exchange.cancellation();
            }
            throw e;
        }
        exchange.check();
        return switch (outcome) {
            case FAIL -> throw new AnalysisException(Kind.TRANSPORT,
                    "Backend communication failed: mock failure (ai.mock_pattern)");
            case INVALID -> {
                String text = "mock: this answer is deliberately not JSON (ai.mock_pattern = invalid)";
                onText.accept(text);
                yield new Reply(text, false);
            }
            default -> {
                String text = JsonTrees.writePretty(answer(request));
                // stream it in pieces, as a model would
                for (int i = 0; i < text.length(); i += 64) {
                    onText.accept(text.substring(i, Math.min(text.length(), i + 64)));
                }
                yield new Reply(text, false);
            }
        };
    }

    /** The canned answer: clearly a mock, at the trigger's severity. */
    ObjectNode answer(BackendRequest request) {
        ObjectNode n = JsonTrees.object();
        String subject = request.subject() == null ? "" : HttpBackend.oneLine(request.subject(), 200);
        n.put("summary", SUMMARY_PREFIX + "Canned analysis, no model was asked: " + subject);
        n.put("root_cause", "Mock root cause (no model was asked)");
        n.putArray("recommendations")
                .add("Mock recommendation: read the evidence log lines of this alert")
                .add("Mock recommendation: check the status of the affected service");
        n.putArray("evidence").add("Mock evidence: the trigger fired");
        n.put("observation_confidence", "low");
        n.put("diagnosis_confidence", "low");
        n.putArray("limitations").add("This is a canned answer from the mock backend (ai.backend = \"mock\")");
        n.put("severity", request.ceiling().wireName());
        return n;
    }

    @Override
    public Probe probe() {
        return new Probe(true, "mock — canned answers, no model is asked (pattern "
                + pattern.stream().map(o -> o.name().toLowerCase(Locale.ROOT)).toList() + ", delay "
                + delay.toMillis() + " ms)");
    }
}
