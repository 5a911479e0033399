package dev.eyes.selfmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.testing.Exposition;
import dev.eyes.testing.Tool;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The meters as Prometheus sees them: names, labels, values, and Prometheus' own linter. */
class TelemetryTest {
    /** A fake observer whose numbers the test sets. */
    static final class FakeObserved implements Observed {
        final List<Health.SourceHealth> sources = new ArrayList<>();
        final Map<String, ParserCounts> parsers = new LinkedHashMap<>();
        final Map<String, Long> evaluations = new LinkedHashMap<>();
        Map<String, Long> candidates = Map.of();
        Health.PipelineHealth pipeline = new Health.PipelineHealth(3, 8192, 100, 2, 1, 256, 120, 9);
        Health.StoreHealth store = new Health.StoreHealth("/tmp/eyes.db", true, 4, 7, 1, null, null, Map.of());

        @Override
        public List<Health.SourceHealth> sources() {
            return List.copyOf(sources);
        }

        @Override
        public Map<String, ParserCounts> parsers() {
            return Map.copyOf(parsers);
        }

        @Override
        public Health.PipelineHealth pipeline() {
            return pipeline;
        }

        @Override
        public Health.StoreHealth store() {
            return store;
        }

        @Override
        public Map<String, Long> ruleEvaluations() {
            return Map.copyOf(evaluations);
        }

        @Override
        public Map<String, Long> candidateCounts() {
            return candidates;
        }
    }

    static Health.SourceHealth source(String name, String kind, String state, long restarts) {
        return new Health.SourceHealth(name, kind, kind.equals("log") ? "journald-json" : null, state, "", restarts,
                Instant.now(), 0, 0);
    }

    static double value(String exposition, String metric, String... labels) {
        return Exposition.value(exposition, metric, labels);
    }

    Telemetry telemetry(FakeObserved observed) {
        Telemetry t = new Telemetry("9.9.9", ProcessStats.forThisProcess(), System::nanoTime);
        t.bind(observed);
        return t;
    }

    @Test
    void everyMeterPassesPromtoolAndIsNamedEyes() throws Exception {
        FakeObserved o = new FakeObserved();
        o.sources.add(source("journald", "log", "running", 2));
        o.sources.add(source("file:/var/log/app \"quoted\"\\path.log", "log", "degraded", 0));
        o.sources.add(source("metrics", "metrics", "running", 0));
        o.parsers.put("journald-json", new Observed.ParserCounts(10, 1));
        o.evaluations.put("ErrorFrequencyRule", 42L);
        o.candidates = Map.of("pending", 2L, "analyzed", 5L);
        Telemetry t = telemetry(o);
        t.ingestCounter("journald", "log").add(7);
        t.ingestCounter("metrics", "metrics").increment();
        t.ruleTriggered("ErrorFrequencyRule");
        t.ruleSuppressed("ErrorFrequencyRule");
        t.storeWrite("trigger", 3_000_000);
        t.storeWrite("checkpoint", 400_000);
        t.candidates(o.candidates);
        t.ai().attempt("ollama", 1_500_000_000L, true);
        t.ai().attempt("openai", 31_000_000_000L, false);
        t.ai().failure(AiFailureKind.TIMEOUT);
        t.ai().redactions(3);
        t.ai().bindQueues(() -> 2, () -> 1, () -> 4);
        t.alerts().alert("delivered");
        t.alerts().alert("silenced");
        t.alerts().notification("webhook-json", true);
        t.alerts().notification("desktop", false);
        t.alerts().bindQueue(() -> 3, 100);

        String text = t.scrape();
        Tool.Result lint = Tool.promtoolCheck(text);
        assertThat(lint.code()).as("promtool check metrics:\n%s\n%s", lint.all(), text).isZero();
        assertThat(lint.all()).isBlank();

        List<String> names = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.replaceAll("[{ ].*", "")).distinct().toList();
        assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith("eyes_"));
        assertThat(names).contains("eyes_events_ingested_total", "eyes_parser_records_total",
                "eyes_parser_records_malformed_total", "eyes_event_queue_depth", "eyes_samples_dropped_total",
                "eyes_source_state", "eyes_source_restarts_total", "eyes_rule_evaluations_total",
                "eyes_rule_triggers_total", "eyes_rule_cooldown_suppressions_total", "eyes_candidates",
                "eyes_store_write_seconds_bucket", "eyes_store_backlog", "eyes_process_resident_memory_bytes",
                "eyes_process_cpu_seconds_total", "eyes_process_threads", "eyes_jvm_heap_used_bytes",
                "eyes_ai_request_seconds_bucket", "eyes_ai_attempts_total", "eyes_ai_failures_total",
                "eyes_ai_redactions_total", "eyes_ai_retry_queue_depth", "eyes_alerts_total",
                "eyes_notifications_total", "eyes_alert_queue_depth", "eyes_build_info");

        assertThat(value(text, "eyes_events_ingested_total", "source=\"journald\"", "kind=\"log\"")).isEqualTo(7);
        assertThat(value(text, "eyes_parser_records_malformed_total", "parser=\"journald-json\"")).isEqualTo(1);
        assertThat(value(text, "eyes_event_queue_depth")).isEqualTo(3);
        assertThat(value(text, "eyes_samples_dropped_total")).isEqualTo(2);
        assertThat(value(text, "eyes_source_state", "source=\"journald\"", "state=\"running\"")).isEqualTo(1);
        assertThat(value(text, "eyes_source_state", "source=\"journald\"", "state=\"degraded\"")).isZero();
        assertThat(value(text, "eyes_source_state", "state=\"degraded\"", "quoted")).isEqualTo(1);
        assertThat(value(text, "eyes_source_restarts_total", "source=\"journald\"")).isEqualTo(2);
        assertThat(value(text, "eyes_rule_evaluations_total", "rule=\"ErrorFrequencyRule\"")).isEqualTo(42);
        assertThat(value(text, "eyes_rule_triggers_total", "rule=\"ErrorFrequencyRule\"")).isEqualTo(1);
        assertThat(value(text, "eyes_candidates", "status=\"analyzed\"")).isEqualTo(5);
        assertThat(value(text, "eyes_candidates", "status=\"failed\"")).isZero();
        assertThat(value(text, "eyes_store_write_seconds_count", "operation=\"trigger\"")).isEqualTo(1);
        assertThat(value(text, "eyes_store_write_seconds_bucket", "operation=\"trigger\"", "le=\"0.005\""))
                .isEqualTo(1);
        assertThat(value(text, "eyes_store_write_seconds_bucket", "operation=\"trigger\"", "le=\"0.002\"")).isZero();
        assertThat(value(text, "eyes_ai_failures_total", "kind=\"timeout\"")).isEqualTo(1);
        assertThat(value(text, "eyes_ai_request_seconds_count", "backend=\"openai\"", "outcome=\"failure\""))
                .isEqualTo(1);
        assertThat(value(text, "eyes_ai_retry_queue_depth")).isEqualTo(4);
        assertThat(value(text, "eyes_notifications_total", "notifier=\"desktop\"", "outcome=\"failed\""))
                .isEqualTo(1);
        assertThat(value(text, "eyes_build_info", "version=\"9.9.9\"")).isEqualTo(1);
        assertThat(value(text, "eyes_process_resident_memory_bytes")).isGreaterThan(1_000_000);
        assertThat(value(text, "eyes_process_cpu_seconds_total")).isGreaterThan(0);
        // the windows behind the warnings
        assertThat(t.ai().recentMeanLatencyMillis()).isEqualTo(16_250.0);
        assertThat(t.alerts().recentSuccessPercent()).isEqualTo(50.0);
    }

    @Test
    void openMetricsIsOfferedToScrapersThatAskForIt() throws Exception {
        Telemetry t = telemetry(new FakeObserved());
        t.ingestCounter("journald", "log").increment();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.scrape(out, true);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("# TYPE eyes_events_ingested counter")
                .contains("eyes_events_ingested_total{kind=\"log\",source=\"journald\"} 1.0").endsWith("# EOF\n");
    }

    @Test
    void labelsStayFewWhateverCallersPass() throws Exception {
        Telemetry t = telemetry(new FakeObserved());
        for (int i = 0; i < 500; i++) {
            t.alerts().notification("https://hooks.example/secret/" + i, true); // a URL by mistake: capped
            t.alerts().alert("status " + i);                                     // not a status: "other"
            t.ai().attempt("backend-" + i, 1_000_000, true);                     // not a backend: "other"
        }
        String text = t.scrape();
        assertThat(Tool.promtoolCheck(text).code()).isZero();
        long notifiers = text.lines().filter(l -> l.startsWith("eyes_notifications_total{")).count();
        assertThat(notifiers).isLessThanOrEqualTo(17); // 16 distinct values, then "other"
        assertThat(value(text, "eyes_notifications_total", "notifier=\"other\"")).isEqualTo(500 - 16);
        assertThat(text.lines().filter(l -> l.startsWith("eyes_alerts_total{"))).containsExactly(
                "eyes_alerts_total{status=\"other\"} 500.0");
        assertThat(value(text, "eyes_ai_attempts_total", "backend=\"other\"")).isEqualTo(500);
        // failure kinds are a fixed set, named like the analysis stage's own
        assertThat(AiFailureKind.of("RATE_LIMITED")).isEqualTo(AiFailureKind.RATE_LIMITED);
        assertThat(AiFailureKind.of("rejected").wireName()).isEqualTo("rejected");
        assertThat(AiFailureKind.of("Connection reset by peer")).isEqualTo(AiFailureKind.OTHER);
        assertThat(AiFailureKind.of(null)).isEqualTo(AiFailureKind.OTHER);
    }

    @Test
    void sourceCountersSurviveASourceBeingReplaced() throws Exception {
        FakeObserved o = new FakeObserved();
        o.sources.add(source("journald", "log", "running", 3));
        Telemetry t = telemetry(o);
        AtomicLong first = new AtomicLong();
        first.set((long) value(t.scrape(), "eyes_source_restarts_total", "source=\"journald\""));
        // the observer reports totals that include retired sources: the meter follows them
        o.sources.set(0, source("journald", "log", "starting", 4));
        String text = t.scrape();
        assertThat(first.get()).isEqualTo(3);
        assertThat(value(text, "eyes_source_restarts_total", "source=\"journald\"")).isEqualTo(4);
        assertThat(value(text, "eyes_source_state", "source=\"journald\"", "state=\"starting\"")).isEqualTo(1);
        Matcher m = Pattern.compile("eyes_source_restarts_total\\{").matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        assertThat(n).isEqualTo(1);
    }
}
