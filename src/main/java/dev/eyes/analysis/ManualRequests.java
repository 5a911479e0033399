package dev.eyes.analysis;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Analyze now" asked by another process ({@code eyes mcp}, {@code eyes analyze} while an observer runs): rows in
 * {@code analysis_requests}, taken every {@link Analyzer#REQUEST_POLL} and handed to the analyzer's queue. A
 * database that cannot be read (locked, full) is said once, not at every poll, and once more when it recovers.
 */
final class ManualRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ManualRequests.class);

    private final AnalysisRecords records;
    private final Scheduler realTime;
    private final LongPredicate submit;
    private final BooleanSupplier running;
    private volatile String failure;

    /**
     * @param submit  queues a candidate; false when it was already queued
     * @param running false once the analyzer stops: polling ends
     */
    ManualRequests(AnalysisRecords records, Scheduler realTime, LongPredicate submit, BooleanSupplier running) {
        this.records = records;
        this.realTime = realTime;
        this.submit = submit;
        this.running = running;
    }

    /** Polls every {@link Analyzer#REQUEST_POLL} until the analyzer stops. */
    void start() {
        realTime.schedule(Analyzer.REQUEST_POLL, () -> Thread.ofVirtual().name("eyes-analysis-requests").start(() -> {
            poll();
            if (running.getAsBoolean()) {
                start();
            }
        }));
    }

    /** Takes the requests written so far and queues their candidates; returns how many were queued. */
    int poll() {
        List<Long> ids;
        try {
            ids = records.takeRequests();
        } catch (Exception e) {
            if (failure == null) {
                LOG.warn("analysis: cannot read manual analysis requests ({}); trying again every {} s",
                        e.getMessage(), Analyzer.REQUEST_POLL.toSeconds());
            }
            failure = e.getMessage();
            return 0;
        }
        if (failure != null) {
            failure = null;
            LOG.info("analysis: manual analysis requests are read again");
        }
        int n = 0;
        for (long id : ids) {
            if (submit.test(id)) {
                n++;
            }
        }
        if (n > 0) {
            LOG.info("analysis: {} manual request(s) queued", n);
        }
        return n;
    }
}
