package dev.eyes.app;

import dev.eyes.analysis.Analyzer;
import dev.eyes.store.AssessmentStore;
import dev.eyes.store.StoreException;
import dev.eyes.web.ManualAnalysis;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Analyze now" inside {@code eyes run}: the candidate goes back to {@code pending} (only from {@code failed} or
 * {@code not_done}: 404 / 409 otherwise) and straight to this process's analyzer. If the analyzer no longer takes
 * work (Eyes is stopping) the candidate is put back to {@code failed} with the reason, and the answer is 503.
 */
public final class InProcessAnalysis implements ManualAnalysis {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessAnalysis.class);
    public static final String UNAVAILABLE = "manual analysis is unavailable: Eyes is stopping";

    private final AssessmentStore assessments;
    private final Analyzer analyzer;

    public InProcessAnalysis(AssessmentStore assessments, Analyzer analyzer) {
        this.assessments = assessments;
        this.analyzer = analyzer;
    }

    @Override
    public void request(long id) throws StoreException {
        if (!analyzer.accepting()) {
            throw new Unavailable(UNAVAILABLE);
        }
        try {
            assessments.retryCandidate(id, "manual analysis requested from the dashboard");
        } catch (SQLException e) {
            throw new StoreException("cannot queue the analysis of alert " + id + ": " + e.getMessage(), e);
        }
        if (!analyzer.submit(id)) {
            // stopping began in between, or it is somehow queued already: it must not stay pending unseen
            if (!analyzer.accepting()) {
                try {
                    assessments.failed(id, 0, UNAVAILABLE);
                } catch (SQLException | StoreException e) {
                    LOG.warn("cannot put alert {} back to failed ({}); it is analysed at the next start", id,
                            e.getMessage());
                }
                throw new Unavailable(UNAVAILABLE);
            }
        }
        LOG.info("manual analysis of alert {} queued from the dashboard", id);
    }
}
