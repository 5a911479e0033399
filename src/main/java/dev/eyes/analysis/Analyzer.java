package dev.eyes.analysis;

import dev.eyes.analysis.AnalysisException.Kind;
import dev.eyes.analysis.backend.Backend;
import dev.eyes.analysis.backend.Exchange;
import dev.eyes.analysis.backend.Probe;
import dev.eyes.config.AiConfig;
import dev.eyes.rule.Trigger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses stored candidates without ever making their producer wait (the seed's async contract).
 * <ul>
 *   <li>{@link #submit} only queues: it takes a lock for a few map operations and returns.</li>
 *   <li>At most {@code ai.max_concurrent} exchanges run at once, each on its own virtual thread, each under a
 *       watchdog that cancels the whole exchange — streaming included — after {@code ai.timeout_seconds}.</li>
 *   <li>An attempt: redact → prompt → backend (text streamed to {@link AnalysisListener}s) → parse → sanitise →
 *       store (assessment + {@code analyzed}, one transaction) → {@link InsightSink}.</li>
 *   <li>A retryable failure (transport, timeout, 5xx, 429, invalid answer) is stored on the candidate (attempt
 *       count, error) and goes to the {@link RetryQueue} with backoff 1 s, 2 s, 4 s … capped at
 *       {@code ai.retry_max_delay_seconds} (429: at least {@code Retry-After}); after {@code ai.max_attempts}
 *       attempts, or at once for other 4xx, the candidate is {@code failed} with the reason. A full retry queue
 *       fails its oldest entry ("retry queue full").</li>
 *   <li>{@link #start} re-queues candidates left pending (a crash, a stop); {@link #stop} cancels the exchanges
 *       in flight and leaves their candidates pending for the next start.</li>
 *   <li>Manual requests written by other processes ({@code analysis_requests}) are picked up every
 *       {@link #REQUEST_POLL}.</li>
 * </ul>
 * Retry timing runs on an injected {@link Scheduler} (tests move time by hand); timeouts and polling on real time.
 */
public final class Analyzer {
    private static final Logger LOG = LoggerFactory.getLogger(Analyzer.class);
    public static final Duration REQUEST_POLL = Duration.ofSeconds(2);
    /** Triggers handed over with {@link #submit} are kept in memory while the backlog is this small. */
    static final int KEEP_TRIGGERS = 64;

    /** The knobs, from {@code [ai]}. */
    public record Settings(int maxConcurrent, Duration timeout, int maxAttempts, Backoff backoff, int retryQueueSize) {
        public static Settings of(AiConfig ai) {
            return new Settings(ai.maxConcurrent(), Duration.ofSeconds(ai.timeoutSeconds()), ai.maxAttempts(),
                    Backoff.of(ai.retryMaxDelaySeconds()), ai.retryQueueSize());
        }

        public Settings withTimeout(Duration t) {
            return new Settings(maxConcurrent, t, maxAttempts, backoff, retryQueueSize);
        }
    }

    /** A snapshot for health pages and self-monitoring. */
    public record Stats(int running, int ready, int retrying, long analyzed, long failed, long failedAttempts) {
    }

    private static final class Job {
        final long id;
        Trigger trigger;
        int attempts;
        /** The trigger is at hand and the candidate known to be pending (handed over right after storing). */
        boolean loaded;
        /** Submitted again while it ran (e.g. "Analyze now" right after it failed): looked at once more after. */
        boolean again;

        Job(long id, Trigger trigger) {
            this.id = id;
            this.trigger = trigger;
            this.loaded = trigger != null;
        }
    }

    private static final class Running {
        final Job job;
        final Exchange exchange;
        Thread thread;

        Running(Job job, Exchange exchange) {
            this.job = job;
            this.exchange = exchange;
        }
    }

    private final Settings settings;
    private final Backend backend;
    private final Consultation consultation;
    private final AnalysisRecords records;
    private final Scheduler retryScheduler;
    private final Scheduler realTime;
    private final InsightSink sink;
    private final List<AnalysisListener> listeners = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Job> jobs = new HashMap<>();
    private final ArrayDeque<Job> ready = new ArrayDeque<>();
    private final RetryQueue<Job> retries;
    private final Map<Long, Running> running = new HashMap<>();
    private Scheduler.Cancellable retryTimer;
    private long retryTimerDue;
    private boolean started;
    private boolean stopping;
    private final OverheadSamples overhead = new OverheadSamples();

    private final AtomicLong analyzedCount = new AtomicLong();
    private final AtomicLong failedCount = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    /** Store operations, retried under {@link StoreRetry}'s rules until written while a fault heals. */
    private final StoreRetry stores;
    private final ManualRequests requests;

    /**
     * @param retryScheduler time for the retry queue's backoff (inject a manual one in tests)
     * @param realTime       timeouts and request polling (real time)
     */
    public Analyzer(Settings settings, Backend backend, Redactor redactor, PromptBuilder prompts, InsightParser parser,
                    AnalysisRecords records, Scheduler retryScheduler, Scheduler realTime, InsightSink sink) {
        this.settings = settings;
        this.backend = backend;
        this.records = records;
        this.retryScheduler = retryScheduler;
        this.realTime = realTime;
        this.sink = sink == null ? InsightSink.NONE : sink;
        this.retries = new RetryQueue<>(settings.retryQueueSize());
        this.stores = new StoreRetry(records, this::accepting);
        this.requests = new ManualRequests(records, realTime, id -> submit(id, null), this::accepting);
        this.consultation = new Consultation(backend, redactor, prompts, parser, realTime, settings.timeout(), listeners,
                Analyzer::safely);
    }

    /**
     * The analyzer {@code [ai]} describes: its backend, redaction (network identities only off loopback), prompt
     * for {@code platform}, parser limits, concurrency and retries.
     */
    public static Analyzer create(AiConfig ai, dev.eyes.source.Platform platform, AnalysisRecords records,
                                  Scheduler retryScheduler, Scheduler realTime, InsightSink sink) {
        Backend backend = dev.eyes.analysis.backend.Backends.create(ai);
        return new Analyzer(Settings.of(ai), backend,
                Redactor.forTarget(ai.redact(), ai.redactNetworkIdentities(), backend.target()),
                new PromptBuilder(platform), new InsightParser(ai.maxResponseBytes()), records, retryScheduler,
                realTime, sink);
    }

    public void addListener(AnalysisListener l) {
        listeners.add(l);
    }

    public void removeListener(AnalysisListener l) {
        listeners.remove(l);
    }

    public Backend backend() {
        return backend;
    }

    public Settings settings() {
        return settings;
    }

    /** As the observer starts it: re-queue what is pending, poll for manual requests, check the backend. */
    public void start() {
        start(true, true, true);
    }

    /**
     * Re-queues the candidates left pending, checks the backend once (in the background) and starts polling for
     * manual requests.
     *
     * @param requeuePending whether to queue the candidates the store lists as pending
     * @param pollRequests   whether to poll {@code analysis_requests} (the observer does; one-shot commands do not)
     * @param probe          whether to check the backend and log the outcome once
     */
    public void start(boolean requeuePending, boolean pollRequests, boolean probe) {
        lock.lock();
        try {
            if (started) {
                return;
            }
            started = true;
        } finally {
            lock.unlock();
        }
        List<Long> pending;
        try {
            pending = requeuePending ? records.pending() : List.of();
        } catch (Exception e) {
            LOG.error("analysis: cannot list the candidates left pending: {}", e.getMessage());
            pending = List.of();
        }
        if (!pending.isEmpty()) {
            LOG.info("analysis: re-queueing {} candidate(s) left pending by the last run", pending.size());
        }
        for (long id : pending) {
            submit(id, null);
        }
        if (probe) {
            Thread.ofVirtual().name("eyes-analysis-probe").start(() -> {
                Probe p = backend.probe();
                if (p.ok()) {
                    LOG.info("AI backend: {}", p.message());
                } else {
                    LOG.warn("AI backend: {}", p.message());
                }
            });
        }
        if (pollRequests) {
            requests.start();
        }
    }

    /** Takes the manual requests other processes wrote and queues their candidates. Returns how many. */
    public int pollRequests() {
        return requests.poll();
    }

    /** Queues a stored, pending candidate whose trigger is not at hand (it is loaded when its turn comes). */
    public boolean submit(long candidateId) {
        return submit(candidateId, null);
    }

    /**
     * Queues a pending candidate for analysis; never blocks. A candidate already queued, running or waiting for a
     * retry is not queued twice.
     *
     * @param trigger its trigger if at hand (saves reading it back), else null
     * @return false when it was already queued or the analyzer is stopping
     */
    public boolean submit(long candidateId, Trigger trigger) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            Job existing = jobs.get(candidateId);
            if (existing != null) {
                if (running.containsKey(candidateId)) {
                    // it may be finishing with a state this request has just replaced (failed → pending): when it
                    // leaves, it is queued once more and the candidate's state read again
                    existing.again = true;
                }
                return false;
            }
            Job job = new Job(candidateId, ready.size() < KEEP_TRIGGERS ? trigger : null);
            jobs.put(candidateId, job);
            ready.addLast(job);
            dispatchLocked();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void dispatchLocked() {
        while (!stopping && running.size() < settings.maxConcurrent() && !ready.isEmpty()) {
            Job job = ready.pollFirst();
            Running r = new Running(job, new Exchange("Request timeout: no complete answer from " + backend.name()
                    + " within " + Backoff.describe(settings.timeout()) + " (ai.timeout_seconds)"));
            running.put(job.id, r);
            r.thread = Thread.ofVirtual().name("eyes-analysis-" + job.id).unstarted(() -> runGuarded(r));
            r.thread.start();
        }
    }

    /** Whatever happens in {@link #run}, the job leaves the analyzer and its slot is freed. */
    private void runGuarded(Running r) {
        try {
            run(r);
        } catch (Throwable t) {
            LOG.error("analysis of candidate {} stopped by an unexpected error; it stays pending", r.job.id, t);
            skip(r.job, "an unexpected error in Eyes: " + t);
            if (t instanceof VirtualMachineError e) {
                throw e;
            }
        }
    }

    private void run(Running r) {
        Job job = r.job;
        Trigger trigger = job.trigger;
        if (!job.loaded) {
            AnalysisRecords.Candidate c;
            try {
                c = stores.run(() -> records.load(job.id));
            } catch (Exception e) {
                LOG.error("analysis: cannot read candidate {} ({}); it stays pending until the next start", job.id,
                        e.getMessage());
                skip(job, "it cannot be read from the store: " + e.getMessage());
                return;
            }
            if (c == null || !c.pending()) {
                skip(job, c == null ? "it no longer exists" : "it is no longer pending");
                return;
            }
            if (job.attempts == 0) {
                // resumed after a restart: continue its count, but always make at least one more attempt
                job.attempts = Math.max(0, Math.min(c.attempts(), settings.maxAttempts() - 1));
            }
            job.loaded = true;
            job.trigger = trigger = c.trigger();
        }
        int attempt = ++job.attempts;
        AnalysisException failure;
        try {
            attempt(r, trigger, attempt);
            finish(job);
            return;
        } catch (AnalysisException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = r.exchange.cancelled() ? r.exchange.cancellation()
                    : new AnalysisException(Kind.CANCELLED, "Analysis interrupted");
        } catch (RuntimeException e) {
            LOG.error("analysis of candidate {} failed in Eyes", job.id, e);
            failure = new AnalysisException(Kind.INTERNAL, "Analysis failed in Eyes: " + e, null, e);
        }
        handleFailure(job, attempt, failure);
    }

    /** One attempt; returns normally once the assessment is stored (or the candidate turned out not pending). */
    private void attempt(Running r, Trigger trigger, int attempt) throws AnalysisException, InterruptedException {
        long id = r.job.id;
        Consultation.Answer answer = consultation.ask(id, trigger, attempt, r.exchange);
        Insight insight = answer.insight();
        AnalysisMetadata meta = answer.metadata();
        OptionalLong assessment;
        try {
            assessment = stores.run(() -> records.analyzed(id, insight, meta));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (!accepting()) {
                // given up only because Eyes is stopping: the candidate is still pending, analysed at the next start
                throw new AnalysisException(Kind.CANCELLED, "Eyes stopped before the assessment could be stored");
            }
            throw new AnalysisException(Kind.INTERNAL, "Analysis completed but its assessment could not be stored: "
                    + e.getMessage(), null, e);
        }
        long done = System.nanoTime();
        overhead.record((answer.sentNanos() - answer.preparedNanos()) + (done - answer.receivedNanos()));
        if (assessment.isEmpty()) {
            LOG.info("analysis: candidate {} was no longer pending when its analysis finished; not stored", id);
            for (AnalysisListener l : listeners) {
                safely(() -> l.skipped(id, "it was no longer pending when its analysis finished"));
            }
            return;
        }
        analyzedCount.incrementAndGet();
        AnalyzedCandidate result = new AnalyzedCandidate(id, assessment.getAsLong(), trigger, insight, meta);
        for (AnalysisListener l : listeners) {
            safely(() -> l.finished(result));
        }
        try {
            sink.accept(result);
        } catch (RuntimeException e) {
            LOG.error("analysis: handing candidate {} to the alert stage failed: {}", id, e.toString());
        }
    }

    private void handleFailure(Job job, int attempt, AnalysisException e) {
        long id = job.id;
        if (e.kind() == Kind.CANCELLED) {
            finish(job);
            LOG.debug("analysis of candidate {} cancelled; it stays pending", id);
            return;
        }
        failedAttempts.incrementAndGet();
        boolean stoppingNow;
        lock.lock();
        try {
            stoppingNow = stopping;
        } finally {
            lock.unlock();
        }
        boolean retry = e.kind().retryable() && attempt < settings.maxAttempts();
        if (retry) {
            Duration delay = settings.backoff().delay(attempt, e.retryAfter());
            String next = stoppingNow ? "Eyes is stopping; it will be retried at the next start"
                    : "retrying in " + Backoff.describe(delay);
            LOG.warn("analysis of candidate {} failed (attempt {} of {}): {}; {}", id, attempt,
                    settings.maxAttempts(), e.getMessage(), next);
            try {
                stores.run(() -> {
                    records.attemptFailed(id, attempt, e.getMessage(), next);
                    return OptionalLong.empty();
                });
            } catch (Exception se) {
                LOG.error("analysis: cannot record the failed attempt of candidate {}: {}", id, se.getMessage());
            }
            for (AnalysisListener l : listeners) {
                safely(() -> l.failed(id, attempt, e.getMessage(), true));
            }
            if (stoppingNow) {
                finish(job);
                return;
            }
            Job evicted;
            lock.lock();
            try {
                running.remove(id);
                if (stopping) {
                    jobs.remove(id);
                    return;
                }
                evicted = retries.add(job, retryScheduler.nanoTime() + delay.toNanos());
                if (evicted != null) {
                    jobs.remove(evicted.id);
                }
                armRetryTimerLocked();
                dispatchLocked();
            } finally {
                lock.unlock();
            }
            if (evicted != null) {
                long dropped = evicted.id;
                for (AnalysisListener l : listeners) {
                    safely(() -> l.retryDropped(dropped));
                }
                fail(evicted, evicted.attempts, "Analysis retry queue full (ai.retry_queue_size = "
                        + settings.retryQueueSize() + "); it was the oldest waiting");
            }
            return;
        }
        String reason = e.kind().retryable() ? e.getMessage() + " (after " + attempt + " attempt"
                + (attempt == 1 ? "" : "s") + ")" : e.getMessage();
        fail(job, attempt, reason);
        finish(job);
    }

    private void fail(Job job, int attempts, String reason) {
        long id = job.id;
        LOG.warn("analysis of candidate {} failed: {}", id, reason);
        failedCount.incrementAndGet();
        try {
            stores.run(() -> {
                records.failed(id, attempts, reason);
                return OptionalLong.empty();
            });
        } catch (Exception se) {
            LOG.error("analysis: cannot mark candidate {} failed ({}); it stays pending until the next start", id,
                    se.getMessage());
        }
        for (AnalysisListener l : listeners) {
            safely(() -> l.failed(id, attempts, reason, false));
        }
    }

    private void skip(Job job, String why) {
        finish(job);
        LOG.debug("analysis: candidate {} skipped: {}", job.id, why);
        for (AnalysisListener l : listeners) {
            safely(() -> l.skipped(job.id, why));
        }
    }

    /** The job leaves the analyzer; the next one may start. */
    private void finish(Job job) {
        lock.lock();
        try {
            running.remove(job.id);
            jobs.remove(job.id);
            if (job.again && !stopping) {
                Job next = new Job(job.id, null);
                jobs.put(job.id, next);
                ready.addLast(next);
            }
            dispatchLocked();
        } finally {
            lock.unlock();
        }
    }

    private void armRetryTimerLocked() {
        OptionalLong next = retries.nextDue();
        if (next.isEmpty()) {
            if (retryTimer != null) {
                retryTimer.cancel();
                retryTimer = null;
            }
            return;
        }
        long due = next.getAsLong();
        if (retryTimer != null && retryTimerDue - due <= 0) {
            return; // armed for this time or earlier
        }
        if (retryTimer != null) {
            retryTimer.cancel();
        }
        retryTimerDue = due;
        long wait = Math.max(0, due - retryScheduler.nanoTime());
        retryTimer = retryScheduler.schedule(Duration.ofNanos(wait), this::onRetryTimer);
    }

    private void onRetryTimer() {
        lock.lock();
        try {
            retryTimer = null;
            if (stopping) {
                return;
            }
            List<Job> due = retries.takeDue(retryScheduler.nanoTime());
            for (int i = due.size() - 1; i >= 0; i--) {
                ready.addFirst(due.get(i)); // they waited: ahead of newer work
            }
            armRetryTimerLocked();
            dispatchLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels the exchanges in flight (their candidates stay pending), forgets what is queued (still pending in
     * the store) and waits for the analysis threads to end, at most {@code deadline}.
     */
    public void stop(Duration deadline) throws InterruptedException {
        List<Running> inFlight;
        lock.lock();
        try {
            stopping = true;
            if (retryTimer != null) {
                retryTimer.cancel();
                retryTimer = null;
            }
            int queued = ready.size() + retries.size();
            ready.clear();
            retries.drain();
            inFlight = new ArrayList<>(running.values());
            if (queued + inFlight.size() > 0) {
                LOG.info("analysis: stopping; {} in flight cancelled and {} queued stay pending for the next start",
                        inFlight.size(), queued);
            }
        } finally {
            lock.unlock();
        }
        for (Running r : inFlight) {
            r.exchange.cancel(Kind.CANCELLED);
        }
        long end = System.nanoTime() + deadline.toNanos();
        for (Running r : inFlight) {
            long left = end - System.nanoTime();
            if (left <= 0 || !r.thread.join(Duration.ofNanos(left))) {
                LOG.warn("analysis: candidate {} did not stop in time", r.job.id);
            }
        }
        lock.lock();
        try {
            jobs.clear();
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(running.size(), ready.size(), retries.size(), analyzedCount.get(), failedCount.get(),
                    failedAttempts.get());
        } finally {
            lock.unlock();
        }
    }

    /** False once {@link #stop} has begun: nothing more is queued. */
    public boolean accepting() {
        lock.lock();
        try {
            return !stopping;
        } finally {
            lock.unlock();
        }
    }

    /** True when nothing is queued, running or waiting for a retry. */
    public boolean idle() {
        lock.lock();
        try {
            return jobs.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Nanoseconds each successful attempt spent in Eyes, the backend excluded (redaction, prompt, parsing,
     * sanitising, storing), for the most recent attempts.
     */
    public long[] overheadNanos() {
        return overhead.snapshot();
    }

    /**
     * The store error analysis results are waiting on (a locked or full database), or null while they are
     * written normally.
     */
    public String storeFailure() {
        return stores.failure();
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("analysis listener failed", e);
        }
    }
}
