package dev.eyes.alert;

import dev.eyes.alert.notify.Notifier;
import dev.eyes.analysis.AnalyzedCandidate;
import dev.eyes.event.Severity;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.AlertRecord;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;

/** A real store and an alert manager driven by hand: time from a manual clock, deliveries when the test says. */
final class Harness {
    final AlertFixtures fx;
    final ManualClock clock;
    final SqliteAlertStore store;
    final AlertLedger ledger;

    Harness(Path db) throws Exception {
        fx = new AlertFixtures(db);
        // the wall clock's time: assessments are stamped with it, and recovery compares their age with this clock
        clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MICROS));
        store = new SqliteAlertStore(fx.db, clock);
        ledger = new AlertLedger(store);
    }

    /** Deliveries held until {@link #runAll} or {@link #runOne}. */
    static final class HeldTasks implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable r) {
            tasks.add(r);
        }

        boolean runOne() {
            Runnable r;
            synchronized (this) {
                r = tasks.poll();
            }
            if (r == null) {
                return false;
            }
            r.run();
            return true;
        }

        void runAll() {
            while (runOne()) {
                // keep going
            }
        }

        synchronized int size() {
            return tasks.size();
        }
    }

    AlertManager manager(int rate, Severity minimum, int queueSize, Executor deliveries, Notifier... notifiers) {
        return new AlertManager(new AlertManager.Settings(rate, minimum, queueSize, Duration.ofMillis(500)), ledger,
                List.of(notifiers), clock, deliveries);
    }

    /** A manager whose deliveries run at once on the caller's thread (each notifier still on a virtual thread). */
    AlertManager manager(int rate, Notifier... notifiers) {
        return manager(rate, Severity.WARNING, 100, Runnable::run, notifiers);
    }

    /** Records, analyses and hands over a candidate triggered now (clock time). */
    AnalyzedCandidate raise(AlertManager m, String source, Severity severity, String message) throws Exception {
        AnalyzedCandidate a = fx.analyzed("ErrorFrequencyRule", source, severity, clock.instant(), message);
        m.accept(a);
        return a;
    }

    AlertRecord alert(long candidateId) throws Exception {
        return store.getAlert(candidateId);
    }

    String status(long candidateId) throws Exception {
        return alert(candidateId).status();
    }
}
