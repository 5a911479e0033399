package dev.eyes.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.eyes.event.Severity;
import dev.eyes.store.AlertRecord;
import dev.eyes.store.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For any sequence of insights (sources, severities), passing time, delivery outcomes and deliveries finishing
 * in any order relative to the rest: no 60 s window holds more successful deliveries than the limit, the queue
 * never exceeds its bound, and every insight ends with exactly one alert in exactly one status, whose history
 * is a chain ending in it.
 */
class AlertManagerPropertyTest {
    static final Set<String> FINAL_OR_WAITING = Set.of("suppressed", "silenced", "queued", "delivered",
            "delivery_failed", "dropped");

    @TempDir
    Path dir;

    @Test
    void rateLimitQueueBoundAndOneStatusPerInsight() throws Exception {
        Harness h = new Harness(dir.resolve("property.db"));
        AtomicInteger example = new AtomicInteger();
        qt().withExamples(100).withShrinkCycles(30).forAll(
                integers().between(1, 4),
                integers().between(1, 4),
                lists().of(integers().between(0, 4999)).ofSizeBetween(1, 70),
                lists().of(booleans().all()).ofSizeBetween(0, 30))
                .checkAssert((rate, queueSize, steps, outcomes) -> {
                    try {
                        run(h, example.incrementAndGet(), rate, queueSize, steps, outcomes);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void run(Harness h, int n, int rate, int queueSize, List<Integer> steps, List<Boolean> outcomes)
            throws Exception {
        RecordingNotifier notifier = new RecordingNotifier("rec", h.clock);
        for (boolean o : outcomes) {
            notifier.then(o);
        }
        Harness.HeldTasks held = new Harness.HeldTasks();
        AlertManager m = h.manager(rate, Severity.WARNING, queueSize, held, notifier);
        List<Long> ids = new ArrayList<>();
        Severity[] severities = Severity.values();
        for (int v : steps) {
            switch (v % 10) {
                case 0, 1, 2, 3, 4 -> {
                    String source = "p" + n + "-s" + (v / 10 % 4) + ".service/x";
                    ids.add(h.raise(m, source, severities[v / 40 % 3], "m" + v).candidateId());
                    m.drain();
                }
                case 5, 6 -> h.clock.advance(Duration.ofSeconds(v / 10 % 90));
                case 7 -> {
                    for (int k = 0; k <= v / 10 % 3; k++) {
                        held.runOne();
                    }
                    m.drain();
                }
                case 8 -> m.tick();
                default -> m.drain();
            }
            assertThat(m.queueSize()).isLessThanOrEqualTo(queueSize);
        }
        // let every delivery under way finish (the queue may still hold alerts: the limit says when they go)
        while (held.size() > 0) {
            held.runAll();
            m.drain();
            m.tick();
        }
        assertThat(m.inFlight()).isZero();

        List<Instant> deliveredAt = new ArrayList<>();
        int queued = 0;
        for (long id : ids) {
            AlertRecord a = h.alert(id);
            assertThat(a.status()).as("status of candidate %d", id).isIn(FINAL_OR_WAITING);
            List<StateChange> history = a.transitions().stream().filter(t -> t.aspect().equals("alert")).toList();
            assertThat(history).isNotEmpty();
            assertThat(history.getFirst().from()).isNull();
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).from()).isEqualTo(history.get(i - 1).to());
            }
            assertThat(history.getLast().to()).isEqualTo(a.status());
            if (a.status().equals("delivered")) {
                deliveredAt.add(a.deliveredAt());
            }
            if (a.status().equals("queued")) {
                queued++;
            }
        }
        // one alert per insight, no more
        assertThat(dev.eyes.testing.Sql.count(h.fx.db.path(), "SELECT COUNT(DISTINCT c.alert_id) FROM alert_candidates c"
                + " WHERE c.id IN (" + String.join(",", ids.stream().map(String::valueOf).toList()) + ")"))
                .isEqualTo(ids.size());
        assertThat(queued).isEqualTo(m.queueSize()).isLessThanOrEqualTo(queueSize);
        deliveredAt.sort(null);
        for (int i = 0; i < deliveredAt.size(); i++) {
            Instant from = deliveredAt.get(i);
            long inWindow = deliveredAt.stream().filter(t -> !t.isBefore(from)
                    && t.isBefore(from.plus(Duration.ofSeconds(60)))).count();
            assertThat(inWindow).as("successful deliveries in the 60 s from %s", from).isLessThanOrEqualTo(rate);
        }
        long successes = notifier.received.size() - countFailures(h, ids);
        assertThat(successes).isEqualTo(deliveredAt.size());
    }

    private static long countFailures(Harness h, List<Long> ids) throws Exception {
        long failed = 0;
        for (long id : ids) {
            failed += h.alert(id).deliveries().stream().filter(d -> !d.delivered()).count();
        }
        return failed;
    }
}
