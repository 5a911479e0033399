package dev.eyes.bench;

import static dev.eyes.testing.FakeLlmServer.ollamaStream;

import dev.eyes.analysis.Analyzer;
import dev.eyes.app.Observer;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.store.CandidateStore;
import dev.eyes.testing.Answers;
import dev.eyes.testing.FakeLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * P5 isolation: the ingest rate of the whole in-process observer (event loop, rules, store writer, analyzer,
 * alert stage) while its AI backend hangs, against the same while it answers at once — both a real Ollama wire
 * protocol server on 127.0.0.1 ({@link FakeLlmServer}), rounds alternating so drift in the machine's load hits
 * both alike. Each round feeds {@code SOURCES × EVENTS} error events (one trigger per source: threshold 1) into
 * the event loop as a log source does, and times from the first event until every trigger is committed.
 *
 * <pre>AnalysisIsolation WORKDIR [ROUNDS=5] [SOURCES=1000] [EVENTS_PER_SOURCE=200]</pre>
 */
public final class AnalysisIsolation {

    record Round(double rate, double rulesRate, long stored, Analyzer.Stats analysis, int serverInProgress) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int sources = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int perSource = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Files.createDirectories(work);
        run(work, true, sources, perSource); // warm-up: JIT, SQLite, class loading
        run(work, false, sources, perSource);
        List<Round> healthy = new ArrayList<>();
        List<Round> hanging = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            healthy.add(run(work, true, sources, perSource));
            hanging.add(run(work, false, sources, perSource));
            System.err.printf(Locale.ROOT, "p5 round %d: healthy %.0f events/s, hanging %.0f events/s%n", r + 1,
                    healthy.getLast().rate(), hanging.getLast().rate());
        }
        double h = median(healthy.stream().map(Round::rate).toList());
        double g = median(hanging.stream().map(Round::rate).toList());
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            ratios.add(hanging.get(r).rate() / healthy.get(r).rate());
        }
        System.out.printf(Locale.ROOT,
                "## P5 isolation: ingest rate while the AI backend hangs vs answers at once%n%n");
        System.out.printf(Locale.ROOT, "The in-process observer fed %,d error events from %,d sources (%,d "
                + "triggers, each analysed) straight into its event loop; events/s from the first event until "
                + "every trigger is committed. Backend: a local Ollama-protocol server that answers at once "
                + "(baseline) or never answers; %d rounds alternating, after one warm-up of each. Goal: hanging ≥ "
                + "95 %% of healthy.%n%n", sources * perSource, sources, sources, rounds);
        System.out.println("| backend | median events/s | spread | rules alone, median events/s | at the end |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| answers at once (baseline) | %,.0f | %s | %,.0f | %s |%n", h,
                spread(healthy.stream().map(Round::rate).toList()),
                median(healthy.stream().map(Round::rulesRate).toList()), state(healthy.getLast()));
        System.out.printf(Locale.ROOT, "| hangs | %,.0f | %s | %,.0f | %s |%n", g,
                spread(hanging.stream().map(Round::rate).toList()),
                median(hanging.stream().map(Round::rulesRate).toList()), state(hanging.getLast()));
        System.out.println();
        System.out.printf(Locale.ROOT, "**hanging / healthy = %.2f** (median of the per-round ratios %.2f, "
                + "spread %s).%n%n", g / h, median(ratios), spread2(ratios));
    }

    private static String state(Round r) {
        return String.format(Locale.ROOT, "%d stored; %d analysed, %d running, %d queued; %d requests open at "
                        + "the server", r.stored(), r.analysis().analyzed(), r.analysis().running(),
                r.analysis().ready(), r.serverInProgress());
    }

    static EyesConfig config(Path dir, String endpoint) throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "");
        String toml = """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "plain"
                [metrics]
                enabled = false
                disk_enabled = false
                [triggers]
                error_threshold = 1
                error_window_seconds = 10
                cooldown_seconds = 300
                [ai]
                backend = "ollama"
                endpoint = "%s"
                max_concurrent = 2
                timeout_seconds = 120
                [storage]
                database_path = "%s"
                [web]
                enabled = false
                """.formatted(log, endpoint, dir.resolve("eyes.db"));
        return ConfigLoader.parse(toml, null, Map.of()).config();
    }

    private static Round run(Path work, boolean healthy, int sources, int perSource) throws Exception {
        Path dir = Files.createTempDirectory(work, healthy ? "p5-healthy" : "p5-hanging");
        try (FakeLlmServer server = new FakeLlmServer()) {
            server.always(healthy ? ollamaStream(Answers.GOOD) : FakeLlmServer.hang());
            Observer o = new Observer(config(dir, server.url()), new Observer.Options(false), Platform.LINUX,
                    RestartPolicy.DEFAULT);
            o.start();
            try {
                CandidateStore candidates = new CandidateStore(o.database());
                Instant base = Instant.now();
                long events = (long) sources * perSource;
                long t0 = System.nanoTime();
                for (int k = 0; k < perSource; k++) {
                    for (int s = 0; s < sources; s++) {
                        o.loop().put(new LogEvent(base.plusMillis(k * 5L), MessageType.ERROR, "svc" + s + ".service",
                                "", "svc" + s, 1000 + s, "request " + k + " failed: upstream timed out"), null);
                    }
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (o.loop().processor().processed() < events) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the loop did not process the events within 5 minutes");
                    }
                    Thread.sleep(1);
                }
                long loopDone = System.nanoTime();
                if (!o.recorder().sync(Duration.ofMinutes(5))) {
                    throw new IllegalStateException("the store writer did not catch up within 5 minutes");
                }
                long stored = System.nanoTime();
                return new Round(events / ((stored - t0) / 1e9), events / ((loopDone - t0) / 1e9),
                        candidates.count(), o.analyzer().stats(), server.inProgress());
            } finally {
                o.stop(Duration.ofSeconds(5));
            }
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String spread(List<Double> xs) {
        return String.format(Locale.ROOT, "%,.0f–%,.0f", xs.stream().mapToDouble(d -> d).min().orElse(0),
                xs.stream().mapToDouble(d -> d).max().orElse(0));
    }

    private static String spread2(List<Double> xs) {
        return String.format(Locale.ROOT, "%.2f–%.2f", xs.stream().mapToDouble(d -> d).min().orElse(0),
                xs.stream().mapToDouble(d -> d).max().orElse(0));
    }
}
