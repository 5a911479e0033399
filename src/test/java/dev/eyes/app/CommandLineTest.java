package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.Fixtures;
import dev.eyes.testing.Sql;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line: config check/show, version, replay — in process and as a real subprocess. */
class CommandLineTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void configCheckOnTheOriginalExampleConfig() throws Exception {
        Path example = Path.of(getClass().getResource("/config/eyes-example.toml").toURI());
        Result r = run("config", "check", example.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("valid: " + example);
        assertThat(r.err()).doesNotContain("unknown");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "[metrics]\\ninterval_seconds = 0|metrics.interval_seconds",
        "[triggers]\\nmemory_threshold = \"Unknown\"|triggers.memory_threshold",
        "[alerts]\\nminimum_severity = \"loud\"|alerts.minimum_severity",
        "[ai]\\nbackend = \"claude\"|ai.backend",
        "[web]\\nbind_address = \"localhost\"|web.bind_address",
        "[buffer]\\nmax_size = 0|buffer.max_size",
        "[logging]\\njournald_priority = \"9\"|logging.journald_priority"
    })
    void configCheckOnEachInvalidValueExitsOneAndNamesTheKey(String toml, String key) throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, toml.replace("\\n", "\n"));
        Result r = run("config", "check", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("eyes: config file " + f).contains(key).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void configCheckWarnsAboutUnknownKeysButPasses() throws Exception {
        Path f = dir.resolve("typo.toml");
        Files.writeString(f, "[metrics]\nintervall_seconds = 3\n");
        Result r = run("config", "check", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("unknown keys ignored: metrics.intervall_seconds");
    }

    @Test
    void configCheckOnAMissingFile() {
        Result r = run("config", "check", dir.resolve("nope.toml").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("does not exist");
    }

    @Test
    void configShowMasksSecrets() throws Exception {
        Path f = dir.resolve("c.toml");
        Files.writeString(f, "[ai]\nbackend = \"openai\"\napi_key = \"sk-live-123\"\n");
        Result r = run("config", "show", "--config", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("api_key = \"***\"").doesNotContain("sk-live-123").contains("[triggers]");
    }

    @Test
    void versionAndHelp() {
        assertThat(run("version").out()).startsWith("eyes 0.1.0");
        assertThat(run("--version").out()).startsWith("eyes 0.1.0");
        for (String cmd : List.of("run", "replay", "config", "version")) {
            Result r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: eyes " + cmd);
        }
        Result bad = run("replay", "--frobnicate", "x.log");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("Unknown option");
    }

    @Test
    void replayPrintsTriggersInEventTimeAndASummary() throws Exception {
        Path log = dir.resolve("burst.json");
        StringBuilder b = new StringBuilder();
        long t = 1_700_000_000_000_000L;
        for (int i = 0; i < 7; i++) {
            b.append("{\"__REALTIME_TIMESTAMP\":\"").append(t + i * 100_000L)
                    .append("\",\"PRIORITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"api\",\"_SYSTEMD_UNIT\":\"api.service\",")
                    .append("\"MESSAGE\":\"request ").append(i).append(" failed\"}\n");
        }
        b.append("not json\n");
        // a second burst 20 minutes later in event time: the cooldown is over, it fires again
        for (int i = 0; i < 7; i++) {
            b.append("{\"__REALTIME_TIMESTAMP\":\"").append(t + 1_200_000_000L + i * 100_000L)
                    .append("\",\"PRIORITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"api\",\"_SYSTEMD_UNIT\":\"api.service\",")
                    .append("\"MESSAGE\":\"later ").append(i).append(" failed\"}\n");
        }
        Files.writeString(log, b);
        Result r = run("replay", "--json", log.toString());
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JsonMapper.builder().build().readTree(lines.getFirst());
        assertThat(first.get("time").asString()).isEqualTo("2023-11-14T22:13:20.500000Z");
        assertThat(first.get("rule").asString()).isEqualTo("ErrorFrequencyRule");
        assertThat(first.get("source").asString()).isEqualTo("api.service/api");
        assertThat(first.get("severity").asString()).isEqualTo("warning");
        assertThat(first.get("reason").asString()).contains("6 distinct error messages");
        assertThat(first.get("log_event_count").asInt()).isEqualTo(6);
        assertThat(first.get("log_events")).hasSize(6);
        assertThat(r.err()).contains("replay: 14 records read, 1 skipped as malformed, 2 triggers");
        assertThat(dir.resolve("eyes.db")).doesNotExist();
    }

    @Test
    void replayAutoDetectsFormatsAndReadsRealFixtures() {
        Result r = run("replay", Fixtures.path("linux/crash-lines/syslog-compiz-segfault-i965-ubuntu16.04-2018.log").toString(),
                Fixtures.path("linux/journalctl/coredump-kdeconnectd-sigabrt-arch-beats.json").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).contains("critical").contains("CrashDetectionRule kernel"))
                .anySatisfy(l -> assertThat(l).contains("CrashDetectionRule systemd-coredump"));
        assertThat(r.err()).contains("3 records read, 0 skipped");
    }

    @Test
    void replayWithAnUnreadableFileExitsOneButReadsTheOthers() {
        Result r = run("replay", "--format", "syslog", dir.resolve("missing.log").toString(),
                Fixtures.path("linux/crash-lines/bare-kernel-msg-cheese-segfault-libc2.15-2012.log").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("eyes: cannot read " + dir.resolve("missing.log") + ": no such file")
                .contains("1 records read");
        assertThat(r.out()).contains("CrashDetectionRule cheese");
        assertThat(run("replay", "--format", "xml", "x").err()).contains("--format unknown log format \"xml\"");
    }

    @Test
    void replayStoresIntoADatabaseOnlyWhenAsked() throws Exception {
        Path db = dir.resolve("replay.db");
        String file = Fixtures.path("linux/crash-lines/syslog-compiz-segfault-i965-ubuntu16.04-2018.log").toString();
        assertThat(run("replay", "--database", db.toString(), file).code()).isZero();
        List<Map<String, Object>> rows = Sql.query(db, "SELECT * FROM alert_candidates");
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().get("analysis_status")).isEqualTo("not_done");
        assertThat(rows.getFirst().get("trigger_rule")).isEqualTo("CrashDetectionRule");
        // replaying the same file again: the persisted cooldown keeps it from being stored twice
        Result again = run("replay", "--database", db.toString(), file);
        assertThat(again.out()).isEmpty();
        assertThat(Sql.count(db, "SELECT COUNT(*) FROM alert_candidates")).isEqualTo(1);
    }

    @Test
    void runRefusesAnInvalidConfigAsASubprocessWithExitOne() throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, "[triggers]\nerror_threshold = 0\n");
        try (EyesProcess p = EyesProcess.start(Map.of(), "run", "--config", f.toString())) {
            assertThat(p.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(p.stderr()).containsExactly("eyes: config file " + f
                    + ": triggers.error_threshold must be an integer from 1 to 1000000, got 0");
            assertThat(p.stdout()).isEmpty();
        }
    }

    @Test
    void runWithoutAnyLogSourceExitsOneWithTheReason() throws Exception {
        Path f = dir.resolve("none.toml");
        Files.writeString(f, "[logging]\nsources = [\"none\"]\n[web]\nenabled = false\n[storage]\ndatabase_path = \""
                + dir.resolve("x.db") + "\"\n");
        try (EyesProcess p = EyesProcess.start(Map.of(), "run", "--config", f.toString())) {
            assertThat(p.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(p.stderr()).anyMatch(l -> l.equals("eyes: no log source can start (logging.sources is \"none\""
                    + " and no [[logging.files]] are set)"));
        }
    }
}
