package dev.eyes.alert;

import dev.eyes.alert.notify.Notification;
import dev.eyes.alert.notify.Notifier;
import dev.eyes.analysis.AnalyzedCandidate;
import dev.eyes.analysis.Insight;
import dev.eyes.analysis.InsightSink;
import dev.eyes.config.AlertsConfig;
import dev.eyes.event.Severity;
import dev.eyes.store.AlertJson;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.AlertStatus;
import dev.eyes.store.DeliveryAttempt;
import dev.eyes.store.Silence;
import dev.eyes.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Turns analysed candidates into alerts people can live with. One thread owns all the state (an actor fed by a
 * queue), so the rate limiter and the queue need no locks and the analysis threads never wait: {@link #accept}
 * only enqueues.
 *
 * <p>For each analysed candidate, in one transaction with the facts it is decided on ({@link AlertLedger#admit}):
 * {@code alerts.minimum_severity} → silences → resolution → grouping and acknowledgement ({@link Triage}) → no
 * notifier for it? → the rate limiter: deliver now ({@code pending}) if the queue is empty and fewer than
 * {@code rate_limit_per_minute} deliveries succeeded in the last 60 s (in-flight ones hold a reservation), else
 * {@code queued}. The queue holds at most {@code queue_size}; beyond it the oldest becomes {@code dropped}. Every
 * {@value #FLUSH_MILLIS} ms, and whenever a delivery ends, the queue is flushed oldest first as the limit allows,
 * each alert decided again (a silence or an acknowledgement may have come meanwhile).
 *
 * <p>A delivery runs each notifier on its own virtual thread and stops waiting for one after its deadline, so a
 * failing or hanging notifier never holds up the others, the queue or the pipeline. Each notifier's attempts are
 * stored; the alert is {@code delivered} at the first success (which the rate limiter counts) and
 * {@code delivery_failed} when every notifier failed (not counted).
 *
 * <p>Stopping: alerts still in the inbox are stored ({@code queued} instead of delivered), deliveries in flight
 * get until the deadline. What is queued stays {@code queued}; what was being delivered stays {@code pending}.
 * The next start ({@link #recover}) puts both back into the queue, in order (the queue bound applies: the oldest
 * beyond it are dropped), and creates the alerts of analysed candidates that have none — those analysed within
 * the last {@link #RECOVERY_MAX_AGE} go through the normal path, older ones are stored {@code suppressed}.
 */
public final class AlertManager implements InsightSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);
    static final long FLUSH_MILLIS = 500;
    /** Insights waiting for the manager beyond this are not queued in memory; they are recovered from the store. */
    static final int INBOX_LIMIT = 10_000;
    /** Analysed candidates without an alert older than this are not notified at start. */
    public static final Duration RECOVERY_MAX_AGE = Duration.ofHours(1);

    /** The knobs ({@code [alerts]}). */
    public record Settings(int rateLimitPerMinute, Severity minimumSeverity, int queueSize, Duration flushInterval) {
        public static Settings of(AlertsConfig c) {
            return new Settings(c.rateLimitPerMinute(), c.minimumSeverity(), c.queueSize(),
                    Duration.ofMillis(FLUSH_MILLIS));
        }
    }

    /** A snapshot for health pages and self-monitoring. */
    public record Stats(int queued, int inFlight, int inbox, long admitted, long delivered, long deliveryFailed,
                        long suppressed, long silenced, long dropped, int deliveredLastMinute) {
    }

    /**
     * Told of each alert status change once it is stored (for the dashboard's live updates), on the manager's
     * thread: must return quickly.
     */
    @FunctionalInterface
    public interface Listener {
        void changed(long candidateId, AlertStatus status, String reason);

        /** One notifier's delivery of one alert ended (after its own retries), delivered or not. */
        default void delivery(String notifier, boolean delivered) {
        }
    }

    private sealed interface Msg permits Analyzed, NotifierDone, Stop {
    }

    private record Analyzed(long candidateId, Insight insight) implements Msg {
    }

    private record NotifierDone(long alertId, String notifier, List<DeliveryAttempt> attempts) implements Msg {
    }

    private record Stop(long deadlineNanos, CompletableFuture<Void> done) implements Msg {
    }

    private final Settings settings;
    private final AlertLedger ledger;
    private final List<Notifier> notifiers;
    private final Admission admission;
    private final InstantSource clock;
    private final Executor deliveries;
    private final ExecutorService ownExecutor;

    private final LinkedBlockingQueue<Msg> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger waitingInsights = new AtomicInteger();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean overflowLogged = new AtomicBoolean();
    private volatile boolean accepting = true;
    /** {@link #INBOX_LIMIT}; smaller in tests. */
    volatile int inboxLimit = INBOX_LIMIT;

    // owned by the manager's thread (or the test driving it)
    private final ArrayDeque<Long> queue = new ArrayDeque<>();
    private final RateLimiter limiter;
    private final Map<Long, Fanout> inFlight = new HashMap<>();
    private final List<NotifierDone> unrecorded = new ArrayList<>();
    private boolean stopping;
    private boolean sweepNeeded;
    private String lastStoreError;
    private long lastStoreErrorLogged;

    private volatile int queuedCount;
    private volatile int inFlightCount;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deliveryFailed = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong silenced = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile int deliveredLastMinute;

    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Thread thread;

    /**
     * @param deliveries runs each notifier call (a virtual thread per task when null); tests pass one that runs
     *                   tasks when they say
     */
    public AlertManager(Settings settings, AlertLedger ledger, List<Notifier> notifiers, InstantSource clock,
                        Executor deliveries) {
        this.settings = settings;
        this.ledger = ledger;
        this.notifiers = List.copyOf(notifiers);
        this.admission = new Admission(settings, notifiers);
        this.clock = clock;
        this.limiter = new RateLimiter(settings.rateLimitPerMinute());
        if (deliveries == null) {
            this.ownExecutor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("eyes-alert-delivery-", 0).factory());
            this.deliveries = ownExecutor;
        } else {
            this.ownExecutor = null;
            this.deliveries = deliveries;
        }
    }

    public List<Notifier> notifiers() {
        return notifiers;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    private void tell(long candidateId, AlertStatus status, String reason) {
        for (Listener l : listeners) {
            try {
                l.changed(candidateId, status, reason);
            } catch (RuntimeException e) {
                LOG.warn("alerts: a status listener failed: {}", e.toString());
            }
        }
    }

    // ---- the producers' side ---------------------------------------------------------------------------------

    /** Hands over an analysed candidate; never blocks. */
    @Override
    public void accept(AnalyzedCandidate a) {
        if (!accepting) {
            // after stop: its alert is created from the store at the next start
            return;
        }
        if (waitingInsights.incrementAndGet() > inboxLimit) {
            waitingInsights.decrementAndGet();
            overflowed.set(true);
            if (overflowLogged.compareAndSet(false, true)) {
                LOG.warn("alerts: more than {} analysed candidates wait for the alert stage; the rest are picked up "
                        + "from the database once it catches up", inboxLimit);
            }
            return;
        }
        inbox.add(new Analyzed(a.candidateId(), a.insight()));
    }

    /** Starts the manager's thread: it first recovers what the last run left, then serves the inbox. */
    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("eyes-alerts").daemon(true).start(this::run);
        }
    }

    /**
     * Stops: stores what is in the inbox (queued, not delivered), waits for deliveries in flight until
     * {@code deadline}, and closes the notifiers. Queued alerts stay queued for the next start.
     */
    public void stop(Duration deadline) {
        accepting = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        long end = System.nanoTime() + deadline.toNanos();
        if (t != null) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            inbox.add(new Stop(end, done));
            try {
                done.get(Math.max(1, deadline.toMillis() + 200), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("alerts: the alert stage did not stop within {} ms", deadline.toMillis());
                t.interrupt();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("alerts: stopping failed: {}", e.getCause().toString());
            }
        }
        for (Notifier n : notifiers) {
            try {
                n.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", n.name(), e.toString());
            }
        }
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }

    public Stats stats() {
        return new Stats(queuedCount, inFlightCount, waitingInsights.get(), admitted.get(), delivered.get(),
                deliveryFailed.get(), suppressed.get(), silenced.get(), dropped.get(), deliveredLastMinute);
    }

    // ---- the manager's thread --------------------------------------------------------------------------------

    private void run() {
        guarded(this::recover);
        long flushNanos = settings.flushInterval().toNanos();
        long nextFlush = System.nanoTime() + flushNanos;
        try {
            while (true) {
                long wait = nextFlush - System.nanoTime();
                Msg m;
                if (idle()) {
                    m = inbox.take(); // nothing to flush, retry or count down: sleep until there is
                } else {
                    m = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
                }
                if (m instanceof Stop s) {
                    shutdown(s);
                    return;
                }
                if (m != null) {
                    guarded(() -> handle(m));
                    updateCounts();
                }
                if (System.nanoTime() - nextFlush >= 0) {
                    guarded(this::tick);
                    nextFlush = System.nanoTime() + flushNanos;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bug in one step must not end the alert stage: it is logged, and the store is swept for lost alerts. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("alerts: unexpected error; going on (alerts without a decision are picked up from the database)",
                    e);
            sweepNeeded = true;
        }
    }

    private void shutdown(Stop s) {
        stopping = true;
        Msg m;
        while ((m = inbox.poll()) != null) {
            if (!(m instanceof Stop)) {
                Msg msg = m;
                guarded(() -> handle(msg));
            }
        }
        try {
            while (!inFlight.isEmpty() && System.nanoTime() - s.deadlineNanos() < 0) {
                Msg next = inbox.poll(Math.max(1, s.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next != null && !(next instanceof Stop)) {
                    guarded(() -> handle(next));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty() || !inFlight.isEmpty()) {
            LOG.info("alerts: stopping with {} alert(s) queued and {} being delivered; they are delivered after the "
                    + "next start", queue.size(), inFlight.size());
        }
        s.done().complete(null);
    }

    private void handle(Msg m) {
        switch (m) {
            case Analyzed a -> {
                waitingInsights.decrementAndGet();
                admit(a.candidateId(), a.insight(), false);
            }
            case NotifierDone d -> done(d);
            case Stop s -> s.done().complete(null);
        }
        updateCounts();
    }

    /** Handles everything in the inbox now (tests). */
    void drain() {
        Msg m;
        while ((m = inbox.poll()) != null) {
            handle(m);
        }
    }

    /**
     * Nothing for {@link #tick} to do until a message comes: no alert waits for the rate limit, no write waits for
     * a retry, no sweep is due, and the last minute's deliveries (which the rate limit and the health count) are
     * all older than a minute. Then the thread parks instead of waking every flush interval.
     */
    private boolean idle() {
        if (!queue.isEmpty() || !unrecorded.isEmpty() || sweepNeeded || overflowed.get()) {
            return false;
        }
        deliveredLastMinute = limiter.used(clock.instant()); // a delivery just dispatched counts at once
        return deliveredLastMinute == 0;
    }

    /** The periodic work: retries, an orphan sweep after an overflow or a failed write, and a flush. */
    void tick() {
        if (!unrecorded.isEmpty()) {
            List<NotifierDone> retry = new ArrayList<>(unrecorded);
            unrecorded.clear();
            retry.forEach(this::done);
        }
        if (overflowed.getAndSet(false) || sweepNeeded) {
            sweepNeeded = false;
            overflowLogged.set(false);
            sweep(false);
        }
        flush();
        updateCounts();
    }

    /**
     * What the last run left: alerts being delivered when it stopped (pending) and queued ones go back into the
     * queue, oldest first; analysed candidates without an alert get one.
     */
    void recover() {
        try {
            for (long id : ledger.alertsWithStatus(AlertStatus.PENDING)) {
                ledger.changeStatus(id, AlertStatus.PENDING, AlertStatus.QUEUED, "Eyes stopped before this alert's "
                        + "delivery finished; queued again at start (a notifier may show it twice)");
            }
            List<Long> queued = ledger.alertsWithStatus(AlertStatus.QUEUED);
            int excess = queued.size() - settings.queueSize();
            for (int i = 0; i < queued.size(); i++) {
                if (i < excess) {
                    if (ledger.drop(queued.get(i), "alert queue capacity (" + settings.queueSize()
                            + ") exceeded at start: dropped the oldest queued alert")) {
                        dropped.incrementAndGet();
                    }
                } else {
                    queue.addLast(queued.get(i));
                }
            }
            if (!queue.isEmpty()) {
                LOG.info("alerts: {} alert(s) queued by the last run are delivered as the rate limit allows",
                        queue.size());
            }
        } catch (StoreException e) {
            storeError("cannot read the queued alerts", e);
        }
        sweep(true);
        updateCounts();
    }

    /** Creates the alerts of analysed candidates that have none. */
    private void sweep(boolean atStart) {
        List<Long> ids;
        try {
            ids = ledger.unalerted();
        } catch (StoreException e) {
            storeError("cannot look for analysed candidates without an alert", e);
            sweepNeeded = true;
            return;
        }
        if (!ids.isEmpty()) {
            LOG.info("alerts: {} analysed candidate(s) without an alert{}; creating them", ids.size(),
                    atStart ? " from before this start" : "");
        }
        for (long id : ids) {
            admit(id, null, true);
        }
    }

    private void admit(long candidateId, Insight given, boolean recovered) {
        try {
            Insight insight = given != null ? given : ledger.insight(candidateId);
            if (insight == null) {
                return;
            }
            String title = AlertText.title(insight);
            String body = AlertText.body(insight);
            var decided = ledger.admit(candidateId, title, body, (f, s) -> plan(f, s, recovered, false));
            if (decided.isEmpty()) {
                return;
            }
            admitted.incrementAndGet();
            apply(decided.get());
        } catch (StoreException e) {
            storeError("cannot store the alert of candidate " + candidateId + "; retrying from the database", e);
            sweepNeeded = true;
        }
    }

    /** The status for an alert (called inside the deciding transaction: reads state, changes nothing). */
    private AlertLedger.Plan plan(AlertLedger.Facts f, List<Silence> silences, boolean recovered, boolean flushing) {
        Instant now = clock.instant();
        return admission.plan(f, silences, recovered, flushing, now,
                new Admission.Backlog(queue.size(), queue.peekFirst(), stopping, limiter.canSend(now)));
    }

    private void apply(AlertLedger.Decided d) {
        AlertLedger.Plan p = d.plan();
        if (p.dropAlert() != null && queue.remove(p.dropAlert())) {
            dropped.incrementAndGet();
            LOG.warn("alerts: {}", p.dropReason());
            if (!listeners.isEmpty()) {
                try {
                    Long victim = ledger.candidateOf(p.dropAlert());
                    if (victim != null) {
                        tell(victim, AlertStatus.DROPPED, p.dropReason());
                    }
                } catch (StoreException e) {
                    storeError("cannot read dropped alert " + p.dropAlert(), e);
                }
            }
        }
        long candidate = d.facts().candidateId();
        tell(candidate, p.status(), p.reason());
        switch (p.status()) {
            case PENDING -> dispatch(d.alertId(), d.facts());
            case QUEUED -> {
                if (!queue.contains(d.alertId())) {
                    queue.addLast(d.alertId());
                }
                LOG.debug("alerts: candidate {} queued: {}", candidate, p.reason());
            }
            case SILENCED -> {
                silenced.incrementAndGet();
                LOG.info("alerts: candidate {} silenced: {}", candidate, p.reason());
            }
            case SUPPRESSED -> {
                suppressed.incrementAndGet();
                LOG.info("alerts: candidate {} not notified: {}", candidate, p.reason());
            }
            default -> LOG.warn("alerts: unexpected plan {} for candidate {}", p.status(), candidate);
        }
    }

    /** Sends the queue's oldest alerts while the rate limit allows. */
    void flush() {
        Instant now = clock.instant();
        deliveredLastMinute = limiter.used(now);
        while (!stopping && !queue.isEmpty() && limiter.canSend(now)) {
            long alertId = queue.peekFirst();
            java.util.Optional<AlertLedger.Decided> d;
            try {
                d = ledger.recheck(alertId, (f, s) -> plan(f, s, false, true));
            } catch (StoreException e) {
                storeError("cannot read queued alert " + alertId + "; trying again shortly", e);
                return;
            }
            queue.pollFirst();
            d.ifPresent(this::apply);
            now = clock.instant();
        }
        updateCounts();
    }

    private void dispatch(long alertId, AlertLedger.Facts f) {
        List<Notifier> targets = admission.targets(f.severity());
        limiter.reserve();
        inFlight.put(alertId, new Fanout(f.candidateId(), f.severity(), f.title(), targets.size()));
        long candidate = f.candidateId();
        Supplier<JsonNode> json = Delivery.once(() -> {
            try {
                return AlertJson.record(ledger.record(candidate));
            } catch (StoreException e) {
                LOG.warn("alerts: cannot read alert {} for a webhook: {}", candidate, e.getMessage());
                return null;
            }
        });
        Notification n = new Notification(alertId, candidate, f.rootId(), f.severity(), f.title(), f.body(), f.rule(),
                f.source(), json);
        for (Notifier t : targets) {
            deliveries.execute(() -> inbox.add(new NotifierDone(alertId, t.name(), Delivery.run(t, n, clock))));
        }
    }

    private void done(NotifierDone d) {
        Fanout fl = inFlight.get(d.alertId());
        boolean ok = d.attempts().stream().anyMatch(DeliveryAttempt::delivered);
        String lastError = d.attempts().getLast().error();
        for (Listener l : listeners) {
            try {
                l.delivery(d.notifier(), ok);
            } catch (RuntimeException e) {
                LOG.warn("alerts: a delivery listener failed: {}", e.toString());
            }
        }
        if (fl == null) {
            record(d, null, null, null);
            return;
        }
        Fanout.Outcome o = fl.judge(d.notifier(), ok, lastError);
        if (!record(d, o.to(), o.reason(), o.failure())) {
            return;
        }
        Instant now = clock.instant();
        fl.settle(d.notifier(), ok, lastError, o);
        if (o.to() != null) {
            tell(fl.candidateId, o.to(), o.to() == AlertStatus.DELIVERED ? o.reason() : o.failure());
        }
        if (o.to() == AlertStatus.DELIVERED) {
            limiter.succeeded(now);
            delivered.incrementAndGet();
            fl.logDelivered(d.notifier());
        }
        if (fl.finished()) {
            inFlight.remove(d.alertId());
            if (!fl.delivered()) {
                limiter.failed();
                deliveryFailed.incrementAndGet();
                LOG.warn("alerts: candidate {} could not be delivered: {}", fl.candidateId, o.failure());
            } else if (!fl.failures().isEmpty()) {
                LOG.warn("alerts: candidate {} delivered, but {}", fl.candidateId, fl.failures());
            }
        }
        flush();
    }

    private boolean record(NotifierDone d, AlertStatus to, String reason, String failure) {
        try {
            ledger.recordAttempts(d.alertId(), d.attempts(), to, reason, failure);
            return true;
        } catch (StoreException e) {
            storeError("cannot store the delivery of alert " + d.alertId() + "; retrying", e);
            unrecorded.add(d);
            return false;
        }
    }

    /** Logs a store failure — at most once a minute while the same error repeats (a full disk, a long lock). */
    private void storeError(String what, StoreException e) {
        long now = System.nanoTime();
        if (!e.getMessage().equals(lastStoreError) || now - lastStoreErrorLogged > 60_000_000_000L) {
            LOG.error("alerts: {}: {}", what, e.getMessage());
            lastStoreError = e.getMessage();
            lastStoreErrorLogged = now;
        }
    }

    private void updateCounts() {
        queuedCount = queue.size();
        inFlightCount = inFlight.size();
    }

    // ---- for tests -------------------------------------------------------------------------------------------

    int queueSize() {
        return queue.size();
    }

    /** What a stop does with the inbox, on the caller's thread, without waiting for deliveries. */
    void stopNow() {
        accepting = false;
        stopping = true;
        drain();
    }

    int inFlight() {
        return inFlight.size();
    }

    RateLimiter limiter() {
        return limiter;
    }
}
