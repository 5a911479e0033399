package dev.eyes.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.Severity;
import dev.eyes.store.AlertRecord;
import dev.eyes.store.AlertStatus;
import dev.eyes.store.DeliveryAttempt;
import dev.eyes.store.Silence;
import dev.eyes.store.SilenceRequest;
import dev.eyes.store.StateChange;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert manager on a real SQLite file with a manual clock and recording notifiers. */
class AlertManagerTest {
    @TempDir
    Path dir;

    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir.resolve("eyes.db"));
    }

    private static long id(dev.eyes.analysis.AnalyzedCandidate a) {
        return a.candidateId();
    }

    /** Idle, the alert thread parks until a message comes; it ticks only while the last minute's count runs down. */
    @Test
    void theThreadParksWhileThereIsNothingToDo() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager m = h.manager(3, n);
        java.util.Set<Thread> before = alertThreads();
        m.start();
        try {
            Thread t = alertThreads().stream().filter(x -> !before.contains(x)).findFirst().orElseThrow();
            dev.eyes.testing.Await.until("parked without a timeout", Duration.ofSeconds(10),
                    () -> t.getState() == Thread.State.WAITING);
            long id = id(h.raise(m, "svc.service/svc", Severity.WARNING, "failure"));
            dev.eyes.testing.Await.until("delivered", Duration.ofSeconds(10), () -> n.candidates().contains(id));
            // a delivery in the last minute (the manual clock stands still): it keeps ticking to count it down
            dev.eyes.testing.Await.until("ticking", Duration.ofSeconds(10),
                    () -> t.getState() == Thread.State.TIMED_WAITING);
            assertThat(m.stats().deliveredLastMinute()).isEqualTo(1);
            h.clock.advance(Duration.ofSeconds(61));
            dev.eyes.testing.Await.until("parked again", Duration.ofSeconds(10),
                    () -> t.getState() == Thread.State.WAITING);
            assertThat(m.stats().deliveredLastMinute()).isZero();
        } finally {
            m.stop(Duration.ofSeconds(2));
        }
    }

    private static java.util.Set<Thread> alertThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals("eyes-alerts"))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void deliversWithinTheRateLimitAndQueuesTheRestUntilTheWindowMoves() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager m = h.manager(3, n);
        long[] ids = new long[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = id(h.raise(m, "svc" + i + ".service/svc" + i, Severity.WARNING, "failure " + i));
        }
        m.drain();
        assertThat(n.candidates()).containsExactly(ids[0], ids[1], ids[2]);
        for (int i = 0; i < 3; i++) {
            AlertRecord a = h.alert(ids[i]);
            assertThat(a.status()).isEqualTo("delivered");
            assertThat(a.statusReason()).isEqualTo("delivered by rec");
            assertThat(a.deliveredAt()).isEqualTo(h.clock.instant());
            assertThat(a.deliveryAttemptedAt()).isEqualTo(h.clock.instant());
            assertThat(a.deliveries()).singleElement().satisfies(d -> {
                assertThat(d.notifier()).isEqualTo("rec");
                assertThat(d.status()).isEqualTo("delivered");
            });
            assertThat(a.notificationTitle()).isEqualTo("System Alert: failure " + i);
            assertThat(a.transitions()).filteredOn(t -> t.aspect().equals("alert")).extracting(StateChange::to)
                    .containsExactly("pending", "delivered");
        }
        assertThat(h.status(ids[3])).isEqualTo("queued");
        assertThat(h.alert(ids[3]).statusReason()).startsWith("rate limit: 3 deliveries per minute");
        assertThat(h.alert(ids[4]).statusReason()).isEqualTo("waiting behind 1 queued alert(s)");
        assertThat(m.queueSize()).isEqualTo(2);

        // still inside the window: nothing moves
        h.clock.advance(Duration.ofSeconds(59));
        m.tick();
        assertThat(n.received).hasSize(3);
        // 60 s after the first three: the queue drains, oldest first
        h.clock.advance(Duration.ofSeconds(1));
        m.tick();
        m.drain();
        assertThat(n.candidates()).containsExactly(ids[0], ids[1], ids[2], ids[3], ids[4]);
        assertThat(h.alert(ids[3]).transitions()).filteredOn(t -> t.aspect().equals("alert"))
                .extracting(StateChange::to).containsExactly("queued", "pending", "delivered");
        assertThat(m.queueSize()).isZero();
        assertThat(m.stats().delivered()).isEqualTo(5);
    }

    @Test
    void onlySuccessfulDeliveriesCount() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock).then(false, false);
        AlertManager m = h.manager(2, n);
        long a = id(h.raise(m, "a.service/a", Severity.WARNING, "a"));
        long b = id(h.raise(m, "b.service/b", Severity.WARNING, "b"));
        long c = id(h.raise(m, "c.service/c", Severity.WARNING, "c"));
        long d = id(h.raise(m, "d.service/d", Severity.WARNING, "d"));
        long e = id(h.raise(m, "e.service/e", Severity.WARNING, "e"));
        m.drain();
        assertThat(h.status(a)).isEqualTo("delivery_failed");
        assertThat(h.alert(a).failureMessage()).isEqualTo("rec: HTTP 500: scripted failure");
        assertThat(h.alert(a).statusReason()).isEqualTo("delivery failed");
        assertThat(h.alert(a).deliveredAt()).isNull();
        assertThat(h.status(b)).isEqualTo("delivery_failed");
        // the two failures left the window free for two successes
        assertThat(h.status(c)).isEqualTo("delivered");
        assertThat(h.status(d)).isEqualTo("delivered");
        assertThat(h.status(e)).isEqualTo("queued");
        assertThat(m.limiter().used(h.clock.instant())).isEqualTo(2);
    }

    @Test
    void aFullQueueDropsItsOldestWithAReason() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager m = h.manager(1, Severity.WARNING, 2, Runnable::run, n);
        List<String> changes = new java.util.ArrayList<>();
        m.addListener((candidate, status, reason) -> changes.add(candidate + " " + status.wireName()));
        long first = id(h.raise(m, "a.service/a", Severity.WARNING, "a"));
        long q1 = id(h.raise(m, "b.service/b", Severity.WARNING, "b"));
        long q2 = id(h.raise(m, "c.service/c", Severity.WARNING, "c"));
        long q3 = id(h.raise(m, "d.service/d", Severity.CRITICAL, "d"));
        m.drain();
        assertThat(h.status(first)).isEqualTo("delivered");
        assertThat(h.status(q1)).isEqualTo("dropped");
        assertThat(h.alert(q1).statusReason()).isEqualTo("alert queue capacity (2, alerts.queue_size) exceeded: "
                + "dropped the oldest queued alert to make room for the alert of candidate " + q3);
        assertThat(h.status(q2)).isEqualTo("queued");
        assertThat(h.status(q3)).isEqualTo("queued");
        assertThat(m.queueSize()).isEqualTo(2);
        assertThat(m.stats().dropped()).isEqualTo(1);
        // in the order they happened (the first delivery ends after the others were handed over)
        assertThat(changes).containsExactly(first + " pending", q1 + " queued", q2 + " queued", q1 + " dropped",
                q3 + " queued", first + " delivered");
        assertThat(h.alert(q1).transitions()).filteredOn(t -> t.aspect().equals("alert"))
                .extracting(StateChange::to).containsExactly("queued", "dropped");
    }

    @Test
    void minimumSeverityAndMissingNotifiersSuppressWithTheirReason() throws Exception {
        RecordingNotifier criticalOnly = new RecordingNotifier("pager", Severity.CRITICAL, h.clock);
        AlertManager m = h.manager(3, criticalOnly);
        long info = id(h.raise(m, "a.service/a", Severity.INFO, "a"));
        long warning = id(h.raise(m, "b.service/b", Severity.WARNING, "b"));
        long critical = id(h.raise(m, "c.service/c", Severity.CRITICAL, "c"));
        m.drain();
        assertThat(h.status(info)).isEqualTo("suppressed");
        assertThat(h.alert(info).statusReason()).isEqualTo("severity info is below alerts.minimum_severity (warning)");
        assertThat(h.status(warning)).isEqualTo("suppressed");
        assertThat(h.alert(warning).statusReason())
                .isEqualTo("no notifier takes warning alerts (pager minimum_severity critical)");
        assertThat(h.status(critical)).isEqualTo("delivered");
        assertThat(criticalOnly.candidates()).containsExactly(critical);

        AlertManager off = h.manager(3);
        long quiet = id(h.raise(off, "d.service/d", Severity.CRITICAL, "d"));
        off.drain();
        assertThat(h.status(quiet)).isEqualTo("suppressed");
        assertThat(h.alert(quiet).statusReason()).isEqualTo("notifications are off: start Eyes with "
                + "--enable-notifications for desktop notifications, or configure [[alerts.webhooks]]");
    }

    @Test
    void silencesMatchWhileActiveAndStopOnTheirOwn() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager m = h.manager(10, n);
        Silence byRule = h.store.createSilence(new SilenceRequest("ops", "deploy", null, null, Duration.ofHours(1),
                "ErrorFrequencyRule", "web.service/nginx", null, null, null, null));
        Silence byMessage = h.store.createSilence(new SilenceRequest("ops", "", null, null, Duration.ofHours(1), null,
                null, "worker", "jobs.service", null, "quota .*exceeded"));
        Silence criticalOnly = h.store.createSilence(new SilenceRequest("ops", "", null, null, Duration.ofHours(1),
                null, "db.service/pg", null, null, "critical", null));
        long web = id(h.raise(m, "web.service/nginx", Severity.WARNING, "upstream timed out"));
        long jobs = id(h.raise(m, "jobs.service/worker", Severity.CRITICAL, "disk quota was exceeded"));
        long jobsOther = id(h.raise(m, "jobs.service/worker", Severity.CRITICAL, "segfault"));
        long pgWarning = id(h.raise(m, "db.service/pg", Severity.WARNING, "slow query"));
        long pgCritical = id(h.raise(m, "db.service/pg", Severity.CRITICAL, "corrupt page"));
        m.drain();
        AlertRecord w = h.alert(web);
        assertThat(w.status()).isEqualTo("silenced");
        assertThat(w.silenceId()).isEqualTo(byRule.id());
        assertThat(w.statusReason()).isEqualTo("silenced by silence " + byRule.id() + " (created by ops: deploy) until "
                + dev.eyes.store.Timestamps.format(byRule.endsAt()));
        assertThat(h.alert(jobs).silenceId()).isEqualTo(byMessage.id());
        // same process and unit, but the message does not match the regex
        assertThat(h.status(jobsOther)).isEqualTo("delivered");
        assertThat(h.status(pgWarning)).isEqualTo("delivered");
        assertThat(h.alert(pgCritical).silenceId()).isEqualTo(criticalOnly.id());
        assertThat(h.store.getSilence(byRule.id()).silencedAlerts()).isEqualTo(1);
        assertThat(n.candidates()).containsExactly(jobsOther, pgWarning);

        // an hour later the silence has ended by itself: the next one from the same source is delivered, though
        // it joins the silenced alert's group (nobody was notified of that group)
        h.clock.advance(Duration.ofHours(1));
        long again = id(h.raise(m, "web.service/nginx", Severity.WARNING, "upstream timed out again"));
        m.drain();
        assertThat(h.alert(again).groupParentId()).isEqualTo(web);
        assertThat(h.status(again)).isEqualTo("delivered");

        // a silence created while an alert waits in the queue catches it at the flush
        AlertManager slow = h.manager(1, n);
        long x = id(h.raise(slow, "x.service/x", Severity.WARNING, "x"));
        long y = id(h.raise(slow, "y.service/y", Severity.WARNING, "y"));
        slow.drain();
        assertThat(h.status(x)).isEqualTo("delivered");
        assertThat(h.status(y)).isEqualTo("queued");
        Silence late = h.store.createSilence(new SilenceRequest("ops", "", null, null, Duration.ofHours(1), null,
                "y.service/y", null, null, null, null));
        h.clock.advance(Duration.ofSeconds(61));
        slow.tick();
        assertThat(h.status(y)).isEqualTo("silenced");
        assertThat(h.alert(y).silenceId()).isEqualTo(late.id());
        assertThat(h.alert(y).transitions()).filteredOn(t -> t.aspect().equals("alert"))
                .extracting(StateChange::to).containsExactly("queued", "silenced");
    }

    @Test
    void sameSourceGroupingNotifiesOnceAndAgainOnlyForAnEscalation() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager m = h.manager(10, n);
        long root = id(h.raise(m, "web.service/nginx", Severity.WARNING, "a"));
        m.drain();
        h.clock.advance(Duration.ofMinutes(10));
        long same = id(h.raise(m, "web.service/nginx", Severity.WARNING, "b"));
        h.clock.advance(Duration.ofMinutes(10));
        long worse = id(h.raise(m, "web.service/nginx", Severity.CRITICAL, "c"));
        m.drain();
        h.clock.advance(Duration.ofMinutes(10));
        long worseAgain = id(h.raise(m, "web.service/nginx", Severity.CRITICAL, "d"));
        m.drain();
        assertThat(h.alert(same).groupParentId()).isEqualTo(root);
        assertThat(h.status(same)).isEqualTo("suppressed");
        assertThat(h.alert(same).statusReason()).isEqualTo("the group of alert " + root
                + " was already notified at warning and this alert is not more severe");
        assertThat(h.status(worse)).isEqualTo("delivered");
        assertThat(h.alert(worse).transitions()).filteredOn(t -> t.aspect().equals("alert")).first()
                .extracting(StateChange::reason).asString()
                .startsWith("escalation: critical is more severe than the warning the group of alert " + root
                        + " was notified at; delivering to rec");
        assertThat(h.status(worseAgain)).isEqualTo("suppressed");
        assertThat(n.candidates()).containsExactly(root, worse);

        // once the group is resolved, the problem coming back is news again
        h.store.resolveAlert(root, "ops", "fixed the upstream");
        long back = id(h.raise(m, "web.service/nginx", Severity.WARNING, "e"));
        m.drain();
        assertThat(h.alert(back).groupParentId()).isNull();
        assertThat(h.status(back)).isEqualTo("delivered");
    }

    @Test
    void anAcknowledgedGroupStaysQuietUntilEscalatedOrResolved() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock).then(false);
        AlertManager m = h.manager(10, n);
        // the root's delivery failed: nobody was notified of the group, so grouping alone would let the next through
        long root = id(h.raise(m, "web.service/nginx", Severity.WARNING, "a"));
        m.drain();
        assertThat(h.status(root)).isEqualTo("delivery_failed");
        h.store.acknowledgeAlert(root, "alice", "seen it on the dashboard");
        long same = id(h.raise(m, "web.service/nginx", Severity.WARNING, "b"));
        m.drain();
        assertThat(h.status(same)).isEqualTo("suppressed");
        assertThat(h.alert(same).statusReason()).startsWith("the group of alert " + root + " was acknowledged by alice"
                + " at ").endsWith(" and this alert is not more severe than the group (warning)");
        long worse = id(h.raise(m, "web.service/nginx", Severity.CRITICAL, "c"));
        m.drain();
        assertThat(h.status(worse)).isEqualTo("delivered");
        assertThat(h.alert(worse).statusReason()).isEqualTo("delivered by rec");
        assertThat(h.alert(worse).transitions()).filteredOn(t -> t.aspect().equals("alert")).first()
                .extracting(StateChange::reason).asString().startsWith("escalation: critical is more severe than "
                        + "anything in the group of alert " + root + ", acknowledged by alice");
        long worseAgain = id(h.raise(m, "web.service/nginx", Severity.CRITICAL, "d"));
        m.drain();
        assertThat(h.status(worseAgain)).isEqualTo("suppressed");

        // acknowledged before its own notification was sent
        long early = h.fx.record(AlertFixtures.trigger("ErrorFrequencyRule", "db.service/pg", Severity.WARNING,
                h.clock.instant(), "x"));
        h.store.acknowledgeAlert(early, "bob", null);
        m.accept(h.fx.analyze(early, AlertFixtures.insight("x", Severity.WARNING)));
        m.drain();
        assertThat(h.status(early)).isEqualTo("suppressed");
        assertThat(h.alert(early).statusReason()).startsWith("acknowledged by bob at ")
                .endsWith(" before its notification was sent");

        h.store.resolveAlert(root, "alice", "done");
        long back = id(h.raise(m, "web.service/nginx", Severity.WARNING, "e"));
        m.drain();
        assertThat(h.status(back)).isEqualTo("delivered");
    }

    @Test
    void aResolvedAlertIsNotSent() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager m = h.manager(10, n);
        long id = h.fx.record(AlertFixtures.trigger("CrashDetectionRule", "a.service/a", Severity.CRITICAL,
                h.clock.instant(), "x"));
        h.store.resolveAlert(id, "ops", "known, fixed");
        m.accept(h.fx.analyze(id, AlertFixtures.insight("x", Severity.CRITICAL)));
        m.drain();
        assertThat(h.status(id)).isEqualTo("suppressed");
        assertThat(h.alert(id).statusReason()).isEqualTo("alert " + id + " was resolved before its notification was "
                + "sent");
        assertThat(n.received).isEmpty();
    }

    @Test
    void aFailingNotifierNeverStopsTheOthers() throws Exception {
        RecordingNotifier broken = new RecordingNotifier("broken", h.clock);
        broken.throwing = true;
        RecordingNotifier failing = new RecordingNotifier("failing", h.clock);
        failing.failAlways = true;
        RecordingNotifier good = new RecordingNotifier("good", h.clock);
        AlertManager m = h.manager(10, broken, failing, good);
        long id = id(h.raise(m, "a.service/a", Severity.WARNING, "a"));
        m.drain();
        AlertRecord a = h.alert(id);
        assertThat(a.status()).isEqualTo("delivered");
        assertThat(a.deliveries()).extracting(DeliveryAttempt::notifier).containsExactlyInAnyOrder("broken",
                "failing", "good");
        assertThat(a.deliveries()).filteredOn(d -> d.notifier().equals("broken")).singleElement()
                .extracting(DeliveryAttempt::error).asString().startsWith("notifier error: java.lang.IllegalStateException");
        assertThat(a.failureMessage()).contains("failing: HTTP 500: scripted failure").contains("broken: notifier error");
        assertThat(good.received).hasSize(1);
    }

    @Test
    void aHangingNotifierIsAbandonedWithoutHoldingUpTheOthers() throws Exception {
        RecordingNotifier hanging = new RecordingNotifier("hanging", h.clock);
        hanging.hang = true;
        hanging.deadline = Duration.ofMillis(500);
        RecordingNotifier good = new RecordingNotifier("good", h.clock);
        AlertManager m = h.manager(10, Severity.WARNING, 100, null, hanging, good);
        m.start();
        try {
            long start = System.nanoTime();
            long id = id(h.raise(m, "a.service/a", Severity.WARNING, "a"));
            Await.untilTrue("delivered by the good notifier", Duration.ofSeconds(5),
                    () -> "delivered".equals(h.status(id)));
            // long before the hanging one's deadline (0.5 s + 1 s grace)
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(1400).toNanos());
            long second = id(h.raise(m, "b.service/b", Severity.WARNING, "b"));
            Await.untilTrue("the next alert too", Duration.ofSeconds(5), () -> "delivered".equals(h.status(second)));
            Await.untilTrue("the hanging attempt recorded as failed", Duration.ofSeconds(5),
                    () -> h.alert(id).deliveries().size() == 2);
            assertThat(h.alert(id).deliveries()).filteredOn(d -> d.notifier().equals("hanging")).singleElement()
                    .extracting(DeliveryAttempt::error).isEqualTo("did not finish within 1 s");
            assertThat(h.alert(id).failureMessage()).isEqualTo("hanging: did not finish within 1 s");
            assertThat(h.status(id)).isEqualTo("delivered");
        } finally {
            m.stop(Duration.ofSeconds(3));
        }
    }

    @Test
    void whatAStopLeavesIsDeliveredAfterTheNextStart() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        Harness.HeldTasks held = new Harness.HeldTasks();
        AlertManager first = h.manager(1, Severity.WARNING, 100, held, n);
        long inFlight = id(h.raise(first, "a.service/a", Severity.WARNING, "a"));
        long q1 = id(h.raise(first, "b.service/b", Severity.WARNING, "b"));
        first.drain();
        // an analysed candidate whose hand-over is lost (the process dies between analysis and alert)
        long lost = h.fx.analyzed("ErrorFrequencyRule", "c.service/c", Severity.WARNING, h.clock.instant(), "c")
                .candidateId();
        // stopping with one alert still in the inbox: it is stored as queued, not sent
        long late = h.fx.analyzed("ErrorFrequencyRule", "d.service/d", Severity.WARNING, h.clock.instant(), "d")
                .candidateId();
        first.accept(new dev.eyes.analysis.AnalyzedCandidate(late, 0, null,
                AlertFixtures.insight("d", Severity.WARNING), null));
        first.stopNow();
        assertThat(held.size()).isEqualTo(1);
        assertThat(h.status(inFlight)).isEqualTo("pending");
        assertThat(h.status(q1)).isEqualTo("queued");
        assertThat(h.status(late)).isEqualTo("queued");
        assertThat(h.alert(late).statusReason()).isEqualTo("Eyes is stopping; it is delivered after the next start");
        assertThat(h.alert(lost).status()).isNull();
        assertThat(n.received).isEmpty();

        // an old analysed candidate without an alert (e.g. from eyes analyze) is recorded, not notified
        long old = h.fx.analyzed("ErrorFrequencyRule", "e.service/e", Severity.WARNING, h.clock.instant(), "e")
                .candidateId();
        h.clock.advance(Duration.ofHours(2));

        AlertManager second = h.manager(10, n);
        second.recover();
        assertThat(h.status(inFlight)).isEqualTo("queued");
        assertThat(h.alert(inFlight).statusReason()).isEqualTo("Eyes stopped before this alert's delivery finished; "
                + "queued again at start (a notifier may show it twice)");
        assertThat(h.status(old)).isEqualTo("suppressed");
        assertThat(h.alert(old).statusReason()).contains("while no alert stage was running").endsWith("not notified");
        assertThat(h.status(lost)).isEqualTo("suppressed");
        second.tick();
        second.drain();
        assertThat(n.candidates()).containsExactly(inFlight, q1, late);
        for (long id : List.of(inFlight, q1, late)) {
            assertThat(h.status(id)).isEqualTo("delivered");
        }
        assertThat(second.queueSize()).isZero();

        // recovered within the hour (assessments carry the wall clock's time): the normal path
        h.clock.set(java.time.Instant.now().plusSeconds(1));
        long recent = h.fx.analyzed("ErrorFrequencyRule", "f.service/f", Severity.WARNING, h.clock.instant(), "f")
                .candidateId();
        AlertManager third = h.manager(10, n);
        third.recover();
        third.drain();
        assertThat(h.status(recent)).isEqualTo("delivered");
    }

    @Test
    void theQueueBoundHoldsAcrossARestart() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager first = h.manager(1, Severity.WARNING, 5, Runnable::run, n);
        long[] ids = new long[6];
        for (int i = 0; i < 6; i++) {
            ids[i] = id(h.raise(first, "s" + i + ".service/s" + i, Severity.WARNING, "m" + i));
        }
        first.drain();
        assertThat(first.queueSize()).isEqualTo(5);
        AlertManager smaller = h.manager(1, Severity.WARNING, 3, Runnable::run, n);
        smaller.recover();
        assertThat(smaller.queueSize()).isEqualTo(3);
        assertThat(h.status(ids[1])).isEqualTo("dropped");
        assertThat(h.status(ids[2])).isEqualTo("dropped");
        assertThat(h.alert(ids[1]).statusReason()).isEqualTo("alert queue capacity (3) exceeded at start: dropped "
                + "the oldest queued alert");
        assertThat(h.status(ids[3])).isEqualTo("queued");
        assertThat(AlertStatus.parse(h.status(ids[5]))).isEqualTo(AlertStatus.QUEUED);
    }

    @Test
    void insightsBeyondTheInboxLimitAreRecoveredFromTheStore() throws Exception {
        RecordingNotifier n = new RecordingNotifier("rec", h.clock);
        AlertManager m = h.manager(10, n);
        m.inboxLimit = 2;
        long[] ids = new long[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = id(h.raise(m, "s" + i + ".service/s", Severity.WARNING, "m" + i));
        }
        assertThat(m.stats().inbox()).isEqualTo(2);
        m.drain();
        assertThat(h.alert(ids[2]).status()).isNull();
        // the next tick finds the analysed candidates without an alert and creates them, in order
        m.tick();
        m.drain();
        for (long id : ids) {
            assertThat(h.status(id)).isEqualTo("delivered");
        }
        assertThat(n.candidates()).containsExactly(ids[0], ids[1], ids[2], ids[3], ids[4]);
    }
}
