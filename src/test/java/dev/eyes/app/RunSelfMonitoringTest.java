package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.selfmon.Health;
import dev.eyes.store.Database;
import dev.eyes.store.Heartbeat;
import dev.eyes.store.HeartbeatStore;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.Exposition;
import dev.eyes.testing.Sql;
import dev.eyes.testing.Tool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eyes run} as a real process, fed through files it tails: {@code /metrics} (checked by promtool, counters
 * before and after known events), the heartbeat row, and SIGHUP reloads — valid, invalid, and ones that change
 * the rules and the sources while lines keep arriving.
 */
class RunSelfMonitoringTest {
    static final Pattern SERVING = Pattern.compile("serving Prometheus metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics");

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    Path app() {
        return dir.resolve("app.log");
    }

    Path journal() {
        return dir.resolve("journal.json");
    }

    Path db() {
        return dir.resolve("eyes.db");
    }

    Path config(String triggers, boolean withJournal, String extra) throws Exception {
        Path c = dir.resolve("config.toml");
        String files = """
                [[logging.files]]
                path = "%s"
                format = "plain"
                """.formatted(app());
        if (withJournal) {
            files += """
                    [[logging.files]]
                    path = "%s"
                    format = "journald-json"
                    """.formatted(journal());
        }
        Files.writeString(c, """
                [logging]
                sources = ["none"]
                %s
                %s
                [metrics]
                enabled = false
                disk_enabled = false
                [web]
                enabled = false
                [ai]
                automatic_analysis = false
                [storage]
                database_path = "%s"
                [triggers]
                error_window_seconds = 60
                %s
                """.formatted(extra, files, db(), triggers));
        return c;
    }

    EyesProcess start(Path config) throws Exception {
        Files.writeString(app(), "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.writeString(journal(), "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        EyesProcess eyes = EyesProcess.start(Map.of(), "run", "--config", config.toString(), "--metrics-bind",
                "127.0.0.1:0");
        eyes.awaitStderr(l -> l.contains("is watching"), Duration.ofSeconds(30));
        return eyes;
    }

    int port(EyesProcess eyes) throws Exception {
        Matcher m = SERVING.matcher(eyes.awaitStderr(l -> SERVING.matcher(l).find(), Duration.ofSeconds(5)));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    String scrape(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Scrapes until the sample satisfies {@code until}; returns its value. */
    double await(int port, DoublePredicate until, String metric, String... labels) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        double v = Double.NaN;
        String last = "";
        while (System.nanoTime() < end) {
            last = scrape(port);
            try {
                v = Exposition.value(last, metric, labels);
                if (until.test(v)) {
                    return v;
                }
            } catch (AssertionError notYet) {
                // the meter appears with its first value
            }
            Thread.sleep(100);
        }
        throw new AssertionError(metric + " " + String.join(",", labels) + " stayed at " + v + ":\n" + last);
    }

    static void append(Path file, String... lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
    }

    String fileLabel(Path p) {
        return "source=\"file:" + p.toAbsolutePath().normalize() + "\"";
    }

    @Test
    void metricsCountKnownEventsAndPassPromtoolAndTheHeartbeatFollows() throws Exception {
        try (EyesProcess eyes = start(config("error_threshold = 100", true, ""))) {
            int port = port(eyes);
            String before = scrape(port);
            Tool.Result lint = Tool.promtoolCheck(before);
            assertThat(lint.code()).as("promtool:\n%s", lint.all()).isZero();
            assertThat(lint.all()).isBlank();
            assertThat(Exposition.value(before, "eyes_events_ingested_total", fileLabel(app()),
                    "kind=\"log\"")).isZero();
            assertThat(Exposition.value(before, "eyes_source_state", fileLabel(app()),
                    "state=\"running\"")).isEqualTo(1);

            append(app(), "worker started", "connection refused by db", "retrying", "error: disk full", "done");
            long now = Instant.now().toEpochMilli() * 1000;
            append(journal(),
                    "{\"__CURSOR\":\"c1\",\"__REALTIME_TIMESTAMP\":\"" + now + "\",\"PRIORITY\":\"3\",\"MESSAGE\":\"a\"}",
                    "{\"__CURSOR\":\"c2\",\"__REALTIME_TIMESTAMP\":\"" + now + "\",\"PRIORITY\":\"6\",\"MESSAGE\":\"b\"}",
                    "{\"__CURSOR\": \"c9\", \"__REALTIME_TIMESTAMP\": }",
                    "{\"__CURSOR\":\"c3\",\"__REALTIME_TIMESTAMP\":\"" + now + "\",\"PRIORITY\":\"4\",\"MESSAGE\":\"c\"}");
            assertThat(await(port, v -> v >= 5, "eyes_events_ingested_total", fileLabel(app()))).isEqualTo(5);
            assertThat(await(port, v -> v >= 3, "eyes_events_ingested_total", fileLabel(journal()))).isEqualTo(3);
            assertThat(await(port, v -> v >= 1, "eyes_parser_records_malformed_total", "parser=\"journald-json\""))
                    .isEqualTo(1);
            String after = scrape(port);
            assertThat(Tool.promtoolCheck(after).code()).isZero();
            assertThat(Exposition.value(after, "eyes_parser_records_total", "parser=\"plain\""))
                    .isEqualTo(5);
            assertThat(Exposition.value(after, "eyes_parser_records_total",
                    "parser=\"journald-json\"")).isEqualTo(3);
            assertThat(await(port, v -> v >= 8, "eyes_events_processed_total")).isEqualTo(8);
            String processed = scrape(port);
            // each rule counts the events of the kinds it reads: the log rules saw all 8, the disk rule none
            assertThat(Exposition.value(processed, "eyes_rule_evaluations_total",
                    "rule=\"CrashDetectionRule\"")).isEqualTo(8);
            assertThat(Exposition.value(processed, "eyes_rule_evaluations_total",
                    "rule=\"ErrorFrequencyRule\"")).isEqualTo(8);
            assertThat(Exposition.value(processed, "eyes_rule_evaluations_total",
                    "rule=\"DiskIOSpikeRule\"")).isZero();

            // the heartbeat (every 10 s) carries the same numbers
            HeartbeatStore hs = new HeartbeatStore(Database.open(db()));
            Health h = null;
            long end = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (System.nanoTime() < end) {
                Heartbeat hb = hs.read().orElse(null);
                if (hb != null && hb.health() != null && hb.health().sources().stream()
                        .anyMatch(s -> s.name().endsWith("app.log") && s.eventsIngested() == 5)) {
                    assertThat(hb.liveness(Instant.now())).isEqualTo(Heartbeat.Liveness.RUNNING);
                    assertThat(hb.pid()).isEqualTo(eyes.pid());
                    h = hb.health();
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(h).as("a heartbeat with the ingested lines").isNotNull();
            assertThat(h.state()).isEqualTo(Health.State.RUNNING);
            assertThat(h.sources()).extracting(Health.SourceHealth::name, Health.SourceHealth::recordsSkipped)
                    .contains(org.assertj.core.groups.Tuple.tuple("file:" + journal().toAbsolutePath().normalize(),
                            1L));
            assertThat(h.pipeline().acceptedEvents()).isEqualTo(8);

            eyes.signal("TERM");
            assertThat(eyes.awaitExit(Duration.ofSeconds(10))).isZero();
            Heartbeat last = hs.read().orElseThrow();
            assertThat(last.health().state()).isEqualTo(Health.State.STOPPED);
            assertThat(last.liveness(Instant.now())).isEqualTo(Heartbeat.Liveness.STOPPED);
            assertThat(eyes.stderr()).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
        }
    }

    @Test
    void aMetricsAddressOffLoopbackNeedsTheWebToken() throws Exception {
        Path c = config("error_threshold = 5", false, "");
        try (EyesProcess eyes = EyesProcess.start(Map.of(), "run", "--config", c.toString(), "--metrics-bind",
                "0.0.0.0:0")) {
            assertThat(eyes.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(String.join("\n", eyes.stderr())).contains("--metrics-bind (0.0.0.0:0) is not a loopback"
                    + " address: set web.token");
        }
        Files.writeString(c, Files.readString(c).replace("[web]\nenabled = false",
                "[web]\nenabled = false\ntoken = \"t0ken\""));
        Files.writeString(app(), "");
        try (EyesProcess eyes = EyesProcess.start(Map.of(), "run", "--config", c.toString(), "--metrics-bind",
                "0.0.0.0:0")) {
            String line = eyes.awaitStderr(l -> l.contains("serving Prometheus metrics"), Duration.ofSeconds(30));
            assertThat(line).contains("(bearer token required)");
            Matcher m = Pattern.compile(":(\\d+)/metrics").matcher(line);
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
            assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer t0ken").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            eyes.signal("TERM");
            assertThat(eyes.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    /**
     * SIGHUP: an invalid file and a file without any log source are rejected with the reason, and the running
     * configuration keeps working; a valid one changes the rule at once — the new rule knows the errors buffered
     * before the reload — and starts a new source, while the unchanged one goes on untouched. A source whose
     * settings changed is restarted where the loop got to: lines written around the reload are read exactly once.
     */
    @Test
    void sighupReloadsAValidConfigurationAndKeepsTheOldOneWhenTheNewOneIsInvalid() throws Exception {
        Path c = config("error_threshold = 100", false, "");
        try (EyesProcess eyes = start(c)) {
            int port = port(eyes);
            append(app(), "error: first failure", "error: second failure", "error: third failure");
            await(port, v -> v >= 3, "eyes_events_ingested_total", fileLabel(app()));

            // invalid: a value out of range
            Files.writeString(c, Files.readString(c).replace("error_threshold = 100", "error_threshold = 0"));
            eyes.signal("HUP");
            String rejected = eyes.awaitStderr(l -> l.contains("configuration reload rejected"), Duration.ofSeconds(10));
            assertThat(rejected).contains("triggers.error_threshold must be an integer from 1 to 1000000, got 0")
                    .endsWith("keeping the running configuration");
            // invalid: not TOML
            Files.writeString(c, "[logging\nsources = ");
            eyes.signal("HUP");
            eyes.awaitStderr(l -> l.contains("configuration reload rejected") && l.contains("TOML parse error"),
                    Duration.ofSeconds(10));
            // valid TOML, but no log source could run
            Files.writeString(c, "[logging]\nsources = [\"none\"]\n[storage]\ndatabase_path = \"" + db() + "\"\n");
            eyes.signal("HUP");
            eyes.awaitStderr(l -> l.contains("configuration reload rejected: no log source can start"),
                    Duration.ofSeconds(10));
            assertThat(eyes.isAlive()).isTrue();

            // the old configuration still runs: a fourth distinct error is far below the old threshold (100)
            append(app(), "error: fourth failure");
            await(port, v -> v >= 4, "eyes_events_ingested_total", fileLabel(app()));
            Thread.sleep(500);
            assertThat(Sql.count(db(), "SELECT COUNT(*) FROM alert_candidates")).isZero();

            // valid: threshold 4, and a second file
            config("error_threshold = 4", true, "");
            eyes.signal("HUP");
            String reloaded = eyes.awaitStderr(l -> l.contains("configuration reloaded from"), Duration.ofSeconds(10));
            assertThat(reloaded).contains("rules changed ErrorFrequencyRule")
                    .contains("started file:" + journal().toAbsolutePath().normalize())
                    .doesNotContain("restarted file:" + app().toAbsolutePath().normalize());
            // the new rule was primed with the four buffered errors: the fifth distinct one fires it at once
            append(app(), "error: fifth failure");
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end && Sql.count(db(), "SELECT COUNT(*) FROM alert_candidates") == 0) {
                Thread.sleep(50);
            }
            var rows = Sql.query(db(), "SELECT trigger_rule, trigger_reason, log_event_count FROM alert_candidates");
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r.get("trigger_rule")).isEqualTo("ErrorFrequencyRule");
                assertThat((String) r.get("trigger_reason")).contains("5 distinct error messages");
                assertThat(r.get("log_event_count")).isEqualTo(5);
            });
            long now = Instant.now().toEpochMilli() * 1000;
            append(journal(), "{\"__CURSOR\":\"x\",\"__REALTIME_TIMESTAMP\":\"" + now
                    + "\",\"PRIORITY\":\"6\",\"MESSAGE\":\"new source works\"}");
            await(port, v -> v >= 1, "eyes_events_ingested_total", fileLabel(journal()));

            // a change that rebuilds the plain file's decoder (its error keywords) while lines keep coming
            Path cfg = config("error_threshold = 4", true, "error_keywords = [\"error\", \"kaboom\"]");
            append(app(), "line 6", "line 7");
            eyes.signal("HUP");
            append(app(), "line 8");
            String second = eyes.awaitStderr(l -> l.contains("configuration reloaded from") && l.contains("restarted"),
                    Duration.ofSeconds(10));
            assertThat(second).contains("restarted file:" + app().toAbsolutePath().normalize())
                    .contains("from " + cfg);
            append(app(), "line 9", "line 10");
            assertThat(await(port, v -> v >= 10, "eyes_events_ingested_total", fileLabel(app()))).isEqualTo(10);
            Thread.sleep(1200); // two more polls of the file: a line read twice would show now
            assertThat(Exposition.value(scrape(port), "eyes_events_ingested_total",
                    fileLabel(app()))).isEqualTo(10);
            assertThat(Exposition.value(scrape(port), "eyes_parser_records_total",
                    "parser=\"plain\"")).isEqualTo(10);

            eyes.signal("TERM");
            assertThat(eyes.awaitExit(Duration.ofSeconds(10))).isZero();
            assertThat(eyes.stderr()).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
        }
    }
}
