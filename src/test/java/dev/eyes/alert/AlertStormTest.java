package dev.eyes.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.AlertsConfig;
import dev.eyes.event.Severity;
import dev.eyes.testing.Sql;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10-minute storm of 1,000 analysed triggers (one every 600 ms, time simulated with the injected clock) with
 * the default {@code [alerts]} settings — rate 3 per minute, queue 100, minimum warning, same-source window 24 h —
 * through the real store (grouping at record time) and manager, with a notifier that always succeeds.
 */
class AlertStormTest {
    static final int TRIGGERS = 1000;
    static final Duration EVERY = Duration.ofMillis(600);

    @TempDir
    Path dir;

    /** What the storm left: alert status → count, and how many notifications went out. */
    record Outcome(Map<String, Long> statuses, int notifications) {
    }

    /** A manager with the default settings and a notifier that always succeeds. */
    record Storm(Harness h, AlertManager m, RecordingNotifier n) {
        static Storm of(Harness h) {
            AlertsConfig d = AlertsConfig.defaults();
            RecordingNotifier n = new RecordingNotifier("noop", h.clock);
            return new Storm(h, h.manager(d.rateLimitPerMinute(), d.minimumSeverity(), d.queueSize(), Runnable::run,
                    n), n);
        }

        /** 1,000 analysed triggers, one every 600 ms, the manager ticking as it does every 500 ms. */
        Outcome run(IntFunction<String> source, IntFunction<Severity> severity) throws Exception {
            for (int i = 0; i < TRIGGERS; i++) {
                h.clock.advance(EVERY);
                h.raise(m, source.apply(i), severity.apply(i), "connection refused " + i);
                m.drain();
                m.tick();
            }
            return outcome();
        }

        /** Time passes without new triggers. */
        Outcome idle(Duration d) throws Exception {
            for (long t = 0; t < d.toMillis(); t += 500) {
                h.clock.advance(Duration.ofMillis(500));
                m.tick();
                m.drain();
            }
            return outcome();
        }

        Outcome outcome() throws Exception {
            Map<String, Long> statuses = new TreeMap<>();
            for (Map<String, Object> row : Sql.query(h.fx.db.path(),
                    "SELECT status, COUNT(*) AS n FROM alerts GROUP BY status")) {
                statuses.put((String) row.get("status"), ((Number) row.get("n")).longValue());
            }
            return new Outcome(statuses, n.received.size());
        }
    }

    @Test
    void oneSourceStormNotifiesOnce() throws Exception {
        Harness h = new Harness(dir.resolve("one.db"));
        Outcome o = Storm.of(h).run(i -> "web.service/nginx", i -> Severity.WARNING);
        // the first is delivered; the 999 others join its group (same rule and source within 24 h) and, being
        // no more severe, are stored suppressed
        assertThat(o.notifications()).isEqualTo(1);
        assertThat(o.statuses()).isEqualTo(Map.of("delivered", 1L, "suppressed", 999L));
    }

    @Test
    void oneSourceStormWithAnEscalationNotifiesTwice() throws Exception {
        Harness h = new Harness(dir.resolve("escalation.db"));
        Outcome o = Storm.of(h).run(i -> "web.service/nginx", i -> i % 100 == 50 ? Severity.CRITICAL
                : Severity.WARNING);
        assertThat(o.notifications()).isEqualTo(2);
        assertThat(o.statuses()).isEqualTo(Map.of("delivered", 2L, "suppressed", 998L));
    }

    @Test
    void aThousandSourcesAreHeldByTheRateLimitAndTheQueueWhichThenDrains() throws Exception {
        Storm storm = Storm.of(new Harness(dir.resolve("many.db")));
        Outcome during = storm.run(i -> "svc" + i + ".service/svc", i -> Severity.WARNING);
        // 3 per minute for 10 minutes; the newest 100 wait in the queue; the rest were dropped, oldest first
        assertThat(during.notifications()).isEqualTo(30);
        assertThat(during.statuses()).isEqualTo(Map.of("delivered", 30L, "queued", 100L, "dropped", 870L));
        // then the queue drains at 3 per minute: 100 more in 34 minutes
        Outcome after = storm.idle(Duration.ofMinutes(34));
        assertThat(after.notifications()).isEqualTo(130);
        assertThat(after.statuses()).isEqualTo(Map.of("delivered", 130L, "dropped", 870L));
    }
}
