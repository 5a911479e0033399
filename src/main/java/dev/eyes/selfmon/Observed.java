package dev.eyes.selfmon;

import java.util.List;
import java.util.Map;

/**
 * What self-monitoring reads from the running observer. The observer implements it (the {@code app} package);
 * {@code selfmon} depends on nothing of Eyes' own. Every method may be called from any thread and must be cheap,
 * except {@link #candidateCounts()} (a database query), which only the heartbeat calls.
 */
public interface Observed {
    /** Every source, with totals that never go down (a source replaced by a reload keeps its name's counts). */
    List<Health.SourceHealth> sources();

    /** Records decoded and skipped as malformed, per parser, since Eyes started. */
    Map<String, ParserCounts> parsers();

    /** The event loop's queues and counts; null before it runs. */
    Health.PipelineHealth pipeline();

    /** The store's writer; {@code candidates} left empty (the heartbeat fills it from {@link #candidateCounts()}). */
    Health.StoreHealth store();

    /** Events each rule looked at since Eyes started, by rule name. */
    Map<String, Long> ruleEvaluations();

    /** Stored candidates by analysis status: one database query. */
    Map<String, Long> candidateCounts() throws Exception;

    /** Records one parser decoded, and skipped as malformed. */
    record ParserCounts(long read, long skipped) {
    }

    /** Nothing running (before start, and in tests). */
    Observed NONE = new Observed() {
        @Override
        public List<Health.SourceHealth> sources() {
            return List.of();
        }

        @Override
        public Map<String, ParserCounts> parsers() {
            return Map.of();
        }

        @Override
        public Health.PipelineHealth pipeline() {
            return null;
        }

        @Override
        public Health.StoreHealth store() {
            return null;
        }

        @Override
        public Map<String, Long> ruleEvaluations() {
            return Map.of();
        }

        @Override
        public Map<String, Long> candidateCounts() {
            return Map.of();
        }
    };
}
