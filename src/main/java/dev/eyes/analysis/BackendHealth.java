package dev.eyes.analysis;

import dev.eyes.analysis.backend.Backend;
import dev.eyes.analysis.backend.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the AI backend can be used, for the health page and the dashboard's banner. Checks it
 * ({@link Backend#probe}) at start, then again every {@link #RECHECK} while it is not ready — so a server started
 * later is noticed — and soon after an analysis attempt fails (at most once per {@link #MIN_GAP}). A backend that
 * is ready is not polled: a successful analysis confirms it. Each change is logged once (warn when it becomes
 * unusable, info when it is back). Probes run on virtual threads; {@link #state} never blocks.
 */
public final class BackendHealth implements AnalysisListener {
    private static final Logger LOG = LoggerFactory.getLogger(BackendHealth.class);
    public static final Duration RECHECK = Duration.ofSeconds(30);
    public static final Duration MIN_GAP = Duration.ofSeconds(10);

    /**
     * @param checked   a check has completed (before, the backend is assumed fine)
     * @param reachable the server answered
     * @param ready     it answered and can analyse (has the model)
     * @param message   the last outcome, in words
     */
    public record State(boolean checked, boolean reachable, boolean ready, String message, Instant at) {
    }

    private final Backend backend;
    private final Scheduler timer;
    private final Duration recheck;
    private final Duration minGap;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile State state;
    private volatile long lastProbeNanos = Long.MIN_VALUE;
    private volatile boolean stopped;
    private Scheduler.Cancellable next;

    public BackendHealth(Backend backend, Scheduler timer) {
        this(backend, timer, RECHECK, MIN_GAP);
    }

    BackendHealth(Backend backend, Scheduler timer, Duration recheck, Duration minGap) {
        this.backend = backend;
        this.timer = timer;
        this.recheck = recheck;
        this.minGap = minGap;
        this.state = new State(false, true, true, "not checked yet", null);
    }

    public Backend backend() {
        return backend;
    }

    public State state() {
        return state;
    }

    /** Checks the backend once now (in the background) and logs the outcome. */
    public void start() {
        probeSoon();
    }

    public synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    /** Checks in the background unless a check is running or ran less than {@link #MIN_GAP} ago. */
    void probeSoon() {
        if (stopped) {
            return;
        }
        long last = lastProbeNanos;
        if (last != Long.MIN_VALUE && System.nanoTime() - last < minGap.toNanos()) {
            return;
        }
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("eyes-backend-check").start(() -> {
            try {
                probeNow();
            } finally {
                probing.set(false);
            }
        });
    }

    /** Checks now, on this thread. */
    public State probeNow() {
        lastProbeNanos = System.nanoTime();
        Probe p;
        try {
            p = backend.probe();
        } catch (RuntimeException e) {
            p = Probe.unreachable("the check of the " + backend.name() + " backend failed: " + e);
        }
        update(new State(true, p.reachable(), p.ok(), p.message(), Instant.now()));
        if (!p.ok()) {
            scheduleRecheck();
        }
        return state;
    }

    private synchronized void scheduleRecheck() {
        if (stopped) {
            return;
        }
        if (next != null) {
            next.cancel();
        }
        next = timer.schedule(recheck, this::probeSoon);
    }

    private void update(State s) {
        State before = state;
        state = s;
        boolean changed = !before.checked() || before.ready() != s.ready() || before.reachable() != s.reachable();
        if (changed) {
            if (s.ready()) {
                LOG.info("AI backend: {}", s.message());
            } else {
                LOG.warn("AI backend: {}", s.message());
            }
        }
    }

    // ---- what the analyses tell ------------------------------------------------------------------------------

    @Override
    public void finished(AnalyzedCandidate analyzed) {
        State s = state;
        if (!s.ready() || !s.checked()) {
            update(new State(true, true, true, backend.name() + " (" + backend.model() + ") answered an analysis",
                    Instant.now()));
        }
    }

    @Override
    public void failed(long candidateId, int attempt, String reason, boolean willRetry) {
        probeSoon();
    }
}
