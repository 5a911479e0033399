package dev.eyes.alert;

import dev.eyes.alert.notify.Notification;
import dev.eyes.alert.notify.Notifier;
import dev.eyes.analysis.AnalyzedCandidate;
import dev.eyes.event.Severity;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.DeliveryAttempt;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for the README, not assertions: how many alerts per second the manager sustains with a notifier that
 * does nothing — every alert through the whole path (decide in a transaction, deliver on a virtual thread, record
 * the attempt and the status in a second transaction) — and how fast it decides when the rate limit holds almost
 * everything back (queue and drop). Run with {@code mvn -B test -Dtest=AlertFiguresTest -Deyes.figures=true};
 * the figures go to {@code target/alert-figures.txt}.
 */
@EnabledIfSystemProperty(named = "eyes.figures", matches = "true")
class AlertFiguresTest {
    static final int ALERTS = 2000;
    static final int RUNS = 5;

    @TempDir
    Path dir;

    private final List<String> report = new ArrayList<>();

    private void say(String fmt, Object... args) {
        String line = String.format(Locale.ROOT, fmt, args);
        report.add(line);
        System.out.println(line);
    }

    /** Does nothing, successfully. */
    static final class NoOp implements Notifier {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public boolean accepts(Severity severity) {
            return true;
        }

        @Override
        public Duration deadline() {
            return Duration.ofSeconds(5);
        }

        @Override
        public List<DeliveryAttempt> deliver(Notification n) {
            return List.of(DeliveryAttempt.delivered("noop", Instant.now()));
        }
    }

    @Test
    void figures() throws Exception {
        say("Eyes alert figures, %s, %d CPUs, Java %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        List<Double> delivered = new ArrayList<>();
        List<Double> decided = new ArrayList<>();
        for (int run = 0; run < RUNS + 1; run++) {
            double all = rate(run, 1_000_000, true);
            double held = rate(run, 3, false);
            if (run > 0) { // the first run warms the JIT up
                delivered.add(all);
                decided.add(held);
                say("run %d: %.0f alerts/s delivered (no-op notifier), %.0f alerts/s decided under the default "
                        + "rate limit", run, all, held);
            }
        }
        delivered.sort(null);
        decided.sort(null);
        say("median of %d runs of %d alerts: %.0f alerts/s delivered; %.0f alerts/s decided (queued or dropped)",
                RUNS, ALERTS, delivered.get(RUNS / 2), decided.get(RUNS / 2));
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/alert-figures.txt"), report);
    }

    /** Alerts per second from the first hand-over until every alert is delivered (or decided). */
    private double rate(int run, int rateLimit, boolean waitForDelivery) throws Exception {
        AlertFixtures fx = new AlertFixtures(dir.resolve("run" + run + "-" + rateLimit + ".db"));
        List<AnalyzedCandidate> ready = new ArrayList<>();
        Instant at = Instant.now();
        for (int i = 0; i < ALERTS; i++) {
            ready.add(fx.analyzed("ErrorFrequencyRule", "svc" + i + ".service/svc", Severity.WARNING,
                    at.plusMillis(i), "connection refused " + i));
        }
        SqliteAlertStore store = new SqliteAlertStore(fx.db);
        AlertManager m = new AlertManager(new AlertManager.Settings(rateLimit, Severity.WARNING, 100,
                Duration.ofMillis(500)), new AlertLedger(store), List.of(new NoOp()), InstantSource.system(), null);
        m.start();
        long start = System.nanoTime();
        ready.forEach(m::accept);
        Await.until("all handled", Duration.ofMinutes(5), () -> waitForDelivery
                ? m.stats().delivered() == ALERTS : m.stats().admitted() == ALERTS && m.stats().inbox() == 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        m.stop(Duration.ofSeconds(5));
        store.close();
        return ALERTS / seconds;
    }
}
