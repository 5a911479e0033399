package dev.eyes.analysis;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the analysis stage writes to its {@link AnalysisRecords}. A failure that heals by itself
 * ({@link AnalysisRecords#transientFailure}: another process holds the database's lock, the disk is full) is
 * retried with backoff — 50 ms doubling to 5 s — until the write succeeds or Eyes stops: a finished analysis is
 * never thrown away because the database was unavailable for a while, and the model is not asked again. The first
 * such failure is logged once (and shown by {@link #failure}) until a write succeeds again. Any other failure is
 * retried 5 times over ~1.5 s, then thrown.
 */
final class StoreRetry {
    private static final Logger LOG = LoggerFactory.getLogger(Analyzer.class);
    static final long MAX_DELAY_MILLIS = 5000;

    /** A store operation. */
    @FunctionalInterface
    interface Op<T> {
        T run() throws Exception;
    }

    private final AnalysisRecords records;
    private final BooleanSupplier going;
    private volatile String failure;

    /** @param going false once Eyes is stopping: then the retries end and the last failure is thrown */
    StoreRetry(AnalysisRecords records, BooleanSupplier going) {
        this.records = records;
        this.going = going;
    }

    <T> T run(Op<T> op) throws Exception {
        long backoff = 50;
        for (int i = 0; ; i++) {
            try {
                T result = op.run();
                if (failure != null) {
                    failure = null;
                    LOG.info("analysis: the database takes writes again; waiting analysis results are stored");
                }
                return result;
            } catch (Exception e) {
                if (e instanceof InterruptedException || e instanceof RuntimeException) {
                    throw e;
                }
                boolean heals = records.transientFailure(e);
                if ((!heals && i >= 5) || !going.getAsBoolean()) {
                    throw e;
                }
                if (heals && failure == null) {
                    failure = e.getMessage();
                    LOG.warn("analysis: cannot store analysis results yet ({}); they are kept and retried until the "
                            + "database takes them", e.getMessage());
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_DELAY_MILLIS);
            }
        }
    }

    /** The error waiting writes are retried on (a locked or full database), or null while writes succeed. */
    String failure() {
        return failure;
    }

    /** Sleeps, but returns early once Eyes is stopping. */
    private void pause(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        long left;
        while ((left = end - System.nanoTime()) > 0 && going.getAsBoolean()) {
            Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
        }
    }
}
