package dev.eyes.app;

import dev.eyes.analysis.AnalysisListener;
import dev.eyes.analysis.AnalysisRecords;
import dev.eyes.analysis.AnalyzedCandidate;
import dev.eyes.analysis.Analyzer;
import dev.eyes.analysis.Backoff;
import dev.eyes.analysis.Scheduler;
import dev.eyes.config.AiConfig;
import dev.eyes.rule.Trigger;
import dev.eyes.source.Platform;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs analyses from the command line and waits for each: the observer's {@link Analyzer} (same backend,
 * timeouts, retries and backoff), started without request polling, stopped when the command ends.
 */
final class OneShotAnalysis implements AutoCloseable {
    /** How one analysis ended. */
    record Outcome(AnalyzedCandidate analyzed, String failure) {
    }

    private final Scheduler timers = Scheduler.system("eyes-analysis-timer");
    private final Analyzer analyzer;
    private final ConcurrentHashMap<Long, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();

    OneShotAnalysis(AiConfig ai, Platform platform, AnalysisRecords records, Consumer<String> progress) {
        analyzer = Analyzer.create(ai, platform, records, timers, timers, a -> {
        });
        analyzer.addListener(new AnalysisListener() {
            @Override
            public void started(long id, int attempt, String backend, String model) {
                progress.accept("analysing candidate " + id + " with " + backend + " (" + model + ")"
                        + (attempt > 1 ? ", attempt " + attempt : "") + " …");
            }

            @Override
            public void finished(AnalyzedCandidate a) {
                complete(a.candidateId(), new Outcome(a, null));
            }

            @Override
            public void failed(long id, int attempt, String reason, boolean willRetry) {
                if (willRetry) {
                    progress.accept("attempt " + attempt + " failed: " + reason + "; retrying");
                } else {
                    complete(id, new Outcome(null, reason));
                }
            }

            @Override
            public void skipped(long id, String why) {
                complete(id, new Outcome(null, "not analysed: " + why));
            }
        });
        analyzer.start(false, false, false);
    }

    private void complete(long id, Outcome o) {
        CompletableFuture<Outcome> f = waiting.remove(id);
        if (f != null) {
            f.complete(o);
        }
    }

    /** Analyses the stored, pending candidate {@code id} (trigger loaded if null) and waits for the outcome. */
    Outcome analyze(long id, Trigger trigger) throws InterruptedException {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        waiting.put(id, f);
        analyzer.submit(id, trigger); // false: already queued — its outcome is awaited all the same
        // an upper bound no analysis can reach: every attempt timing out after the longest backoff, and a minute
        Analyzer.Settings s = analyzer.settings();
        Duration wait = s.backoff().cap().compareTo(Backoff.MAX_RETRY_AFTER) > 0 ? s.backoff().cap()
                : Backoff.MAX_RETRY_AFTER;
        Duration limit = s.timeout().plus(wait).multipliedBy(s.maxAttempts()).plusMinutes(1);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new Outcome(null, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return new Outcome(null, "no outcome within " + limit.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        try {
            analyzer.stop(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdown();
    }
}
