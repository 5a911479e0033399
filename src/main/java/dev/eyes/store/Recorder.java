package dev.eyes.store;

import dev.eyes.rule.Trigger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer's single writer: stores triggers (with their evidence and cooldown stamp) and source checkpoints,
 * in the order they were handed over, on its own thread — so a slow or failing database never stalls the event
 * loop. A trigger is committed before its checkpoint, so after a crash a checkpoint never points past an
 * unsaved trigger. Failed writes are retried with backoff (a full disk or a lock held by another process
 * heals); nothing is dropped. Consecutive checkpoint updates are merged into one write.
 */
public final class Recorder {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private sealed interface Task permits StoreTrigger, SaveCheckpoints, Barrier {
    }

    private record StoreTrigger(Trigger trigger, AnalysisStatus status, String reason) implements Task {
    }

    private record SaveCheckpoints(Map<String, String> positions, List<CompletableFuture<Void>> done)
            implements Task {
    }

    private record Barrier(CountDownLatch done) implements Task {
    }

    private static final Task STOP = new Barrier(new CountDownLatch(0));
    /** The same failure is not logged again within this time after writes recovered in between. */
    static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** While writes keep failing, a reminder is logged this often. */
    static final long REMIND_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** Told how long each committed write took (self-monitoring); called on the writer thread, must not block. */
    @FunctionalInterface
    public interface WriteListener {
        /** @param operation {@code trigger} or {@code checkpoint} */
        void written(String operation, long nanos);
    }

    private final CandidateStore store;
    private final Consumer<StoredCandidate> onStored;
    private final BlockingQueue<Task> queue;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile long lastWriteNanos;
    private volatile WriteListener writeListener = (op, nanos) -> { };
    // the log of failures (writer thread only): one warning per failure, not per retry
    private boolean warned;
    private long warnedAt;
    private boolean warnedThisFailure;
    private long failuresThisTime;
    private long failingSince;
    private Thread thread;
    private Connection connection;

    /**
     * @param onStored called on the writer thread after each trigger is committed (e.g. to queue its analysis);
     *                 it must not block
     */
    public Recorder(CandidateStore store, int capacity, Consumer<StoredCandidate> onStored) {
        this.store = store;
        this.onStored = onStored;
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    public void setWriteListener(WriteListener listener) {
        this.writeListener = listener == null ? (op, nanos) -> { } : listener;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("eyes-store-writer").start(this::run);
        }
    }

    /** Queues a trigger; waits only if thousands of writes are already backed up. */
    public void record(Trigger trigger, AnalysisStatus status, String reason) throws InterruptedException {
        queue.put(new StoreTrigger(trigger, status, reason));
    }

    /** Queues source positions; the future completes when they are committed. */
    public CompletableFuture<Void> saveCheckpoints(Map<String, String> positions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            queue.put(new SaveCheckpoints(positions, List.of(done)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return done;
    }

    /** True while the last write failed and is being retried. */
    public boolean failing() {
        return lastError != null;
    }

    /** Waits until everything queued before this call is written (or the timeout passes). */
    public boolean sync(Duration timeout) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        queue.put(new Barrier(done));
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int backlog() {
        return queue.size();
    }

    public long storedTriggers() {
        return stored.get();
    }

    public long failedWrites() {
        return failedWrites.get();
    }

    /** The last write error while it is still failing, or null when writes succeed. */
    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }

    /** Nanoseconds the last successful write took. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /**
     * Writes what is queued, then stops. Writes still failing at the deadline are abandoned with an error
     * naming how many were lost.
     */
    public void stop(Duration deadline) throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        queue.put(STOP);
        if (!t.join(deadline)) {
            stopping.countDown();
            t.interrupt();
            t.join(Duration.ofSeconds(1));
        }
    }

    private void run() {
        try {
            while (true) {
                Task task = queue.take();
                if (task == STOP) {
                    break;
                }
                if (task instanceof SaveCheckpoints cp && queue.peek() instanceof SaveCheckpoints) {
                    // merge consecutive checkpoint updates: only the newest positions matter
                    Map<String, String> merged = new HashMap<>(cp.positions());
                    List<CompletableFuture<Void>> done = new ArrayList<>(cp.done());
                    while (queue.peek() instanceof SaveCheckpoints next) {
                        queue.poll();
                        merged.putAll(next.positions());
                        done.addAll(next.done());
                    }
                    task = new SaveCheckpoints(merged, done);
                }
                if (!execute(task)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            int left = (int) queue.stream().filter(t -> t instanceof StoreTrigger).count();
            if (left > 0) {
                LOG.error("store: {} trigger(s) could not be written before shutdown: {}", left, lastError);
            }
            closeConnection();
        }
    }

    /** Runs one task until it succeeds; returns false if interrupted by a forced stop. */
    private boolean execute(Task task) throws InterruptedException {
        long backoff = 100;
        while (true) {
            try {
                long start = System.nanoTime();
                StoredCandidate result = write(task);
                lastWriteNanos = System.nanoTime() - start;
                if (!(task instanceof Barrier)) {
                    try {
                        writeListener.written(task instanceof StoreTrigger ? "trigger" : "checkpoint", lastWriteNanos);
                    } catch (RuntimeException e) {
                        LOG.debug("store: write listener failed: {}", e.toString());
                    }
                }
                if (lastError != null) {
                    if (warnedThisFailure) {
                        LOG.info("store: writes succeed again after {} failed write(s) over {} s; the {} write(s) "
                                + "waiting are written now", failuresThisTime,
                                (System.nanoTime() - failingSince) / 1_000_000_000L, queue.size() + 1);
                    }
                    lastError = null;
                }
                if (result != null) {
                    stored.incrementAndGet();
                    try {
                        onStored.accept(result);
                    } catch (RuntimeException e) {
                        LOG.error("store: handing on candidate {} failed: {}", result.id(), e.toString());
                    }
                }
                return true;
            } catch (SQLException e) {
                failedWrites.incrementAndGet();
                String msg = SqlErrors.describe(e);
                logFailure(msg);
                lastError = msg;
                lastErrorAt = Instant.now();
                closeConnection();
                if (stopping.await(backoff, TimeUnit.MILLISECONDS)) {
                    return false;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    /**
     * Logs a failed write once, not once per retry: a warning when writes start failing (unless they failed less
     * than {@link #REPEAT_NANOS} ago — a full disk lets a small write through now and then), then a reminder every
     * {@link #REMIND_NANOS} while it goes on. The error of the moment is in {@link #lastError} (and the health page).
     */
    private void logFailure(String msg) {
        long now = System.nanoTime();
        boolean starting = lastError == null;
        if (starting) {
            failingSince = now;
            failuresThisTime = 0;
            warnedThisFailure = false;
        }
        failuresThisTime++;
        if (!warned || now - warnedAt >= (starting ? REPEAT_NANOS : REMIND_NANOS)) {
            if (!starting) {
                LOG.warn("store: writes to {} still fail ({}) after {} s and {} tries; {} write(s) wait in memory",
                        store.database().path(), msg, (now - failingSince) / 1_000_000_000L, failuresThisTime,
                        queue.size() + 1);
            } else {
                LOG.warn("store: write to {} failed ({}); triggers and checkpoints wait in memory and are retried "
                        + "until it succeeds", store.database().path(), msg);
            }
            warned = true;
            warnedAt = now;
            warnedThisFailure = true;
        }
    }

    private StoredCandidate write(Task task) throws SQLException {
        switch (task) {
            case Barrier b -> {
                b.done().countDown();
                return null;
            }
            case SaveCheckpoints cp -> {
                inTx(c -> {
                    store.saveCheckpoints(c, cp.positions());
                    return null;
                });
                cp.done().forEach(f -> f.complete(null));
                return null;
            }
            case StoreTrigger st -> {
                return inTx(c -> {
                    long id = store.insert(c, st.trigger(), st.status(), st.reason());
                    return new StoredCandidate(id, st.trigger(), st.status());
                });
            }
        }
    }

    private StoredCandidate inTx(Tx.Body<StoredCandidate> body) throws SQLException {
        try {
            return Tx.run(connection(), body);
        } catch (StoreException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = store.database().connect();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to do
            }
            connection = null;
        }
    }
}
