package dev.eyes.analysis.backend;

import dev.eyes.analysis.AnalysisException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cancellation handle of one exchange with a backend. A watchdog calls {@link #cancel} when the whole
 * exchange (streaming included) outlives {@code ai.timeout_seconds}, and shutdown calls it for every exchange in
 * flight: it closes what the backend registered (the pending request, the response stream) and interrupts the
 * thread running the exchange, but only while that exchange is still running — never the work after it.
 */
public final class Exchange {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String timeoutMessage;
    private Thread thread;
    private boolean active;
    private volatile AnalysisException.Kind cancelledAs;

    /** @param timeoutMessage the error text when the watchdog fires */
    public Exchange(String timeoutMessage) {
        this.timeoutMessage = timeoutMessage;
    }

    /** Marks the calling thread as running the exchange. */
    public void begin() {
        lock.lock();
        try {
            thread = Thread.currentThread();
            active = true;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the exchange: later cancels do nothing; a pending interrupt from a cancel is cleared. */
    public void end() {
        lock.lock();
        try {
            active = false;
            thread = null;
            closeAll();
        } finally {
            lock.unlock();
        }
        if (cancelledAs != null) {
            Thread.interrupted();
        }
    }

    /**
     * Registers something to close on cancel (and at the end). If the exchange is already cancelled it is closed
     * at once and the cancellation is thrown.
     */
    public void register(AutoCloseable resource) throws AnalysisException {
        lock.lock();
        try {
            if (cancelledAs == null) {
                resources.add(resource);
                return;
            }
        } finally {
            lock.unlock();
        }
        closeQuietly(resource);
        throw cancellation();
    }

    /** @param why {@link AnalysisException.Kind#TIMEOUT} or {@link AnalysisException.Kind#CANCELLED} */
    public void cancel(AnalysisException.Kind why) {
        lock.lock();
        try {
            if (!active || cancelledAs != null) {
                if (cancelledAs == null) {
                    cancelledAs = why; // not started yet: it will see this at register/check
                }
                return;
            }
            cancelledAs = why;
            closeAll();
            thread.interrupt();
        } finally {
            lock.unlock();
        }
    }

    public boolean cancelled() {
        return cancelledAs != null;
    }

    /** Throws the cancellation if there was one. */
    public void check() throws AnalysisException {
        if (cancelledAs != null) {
            throw cancellation();
        }
    }

    /** The exception describing the cancellation (timeout or shutdown). */
    public AnalysisException cancellation() {
        AnalysisException.Kind k = cancelledAs == null ? AnalysisException.Kind.CANCELLED : cancelledAs;
        return k == AnalysisException.Kind.TIMEOUT ? new AnalysisException(k, timeoutMessage)
                : new AnalysisException(k, "Analysis cancelled: Eyes is stopping");
    }

    private void closeAll() {
        for (AutoCloseable r : resources) {
            closeQuietly(r);
        }
        resources.clear();
    }

    private static void closeQuietly(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception ignored) {
            // closing to abort: errors do not matter
        }
    }
}
