package dev.eyes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.event.MemoryPressure;
import dev.eyes.event.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    static EyesConfig parse(String toml) throws ConfigException {
        return ConfigLoader.parse(toml, null, Map.of()).config();
    }

    @Test
    void defaultsMatchTheReference() throws Exception {
        EyesConfig c = parse("");
        assertThat(c.logging().predicate()).isEqualTo("messageType == error OR messageType == fault");
        assertThat(c.metrics().intervalSeconds()).isEqualTo(5);
        assertThat(c.buffer().maxAgeSeconds()).isEqualTo(60);
        assertThat(c.buffer().maxSize()).isEqualTo(1000);
        assertThat(c.triggers().errorThreshold()).isEqualTo(5);
        assertThat(c.triggers().errorWindowSeconds()).isEqualTo(10);
        assertThat(c.triggers().memoryThreshold()).isEqualTo(MemoryPressure.WARNING);
        assertThat(c.triggers().cooldownSeconds()).isEqualTo(300);
        assertThat(c.ai().backend()).isEqualTo("ollama");
        assertThat(c.ai().endpoint()).isEqualTo("http://localhost:11434");
        assertThat(c.ai().model()).isEqualTo("llama3");
        assertThat(c.ai().automaticAnalysis()).isTrue();
        assertThat(c.alerts().rateLimitPerMinute()).isEqualTo(3);
        assertThat(c.alerts().minimumSeverity()).isEqualTo(Severity.WARNING);
        assertThat(c.storage().databasePath()).isEqualTo(Path.of("eyes.db"));
        assertThat(c.web().enabled()).isTrue();
        assertThat(c.web().bindAddress()).isEqualTo("127.0.0.1:8787");
        assertThat(c.logging().sources()).containsExactly("auto");
        assertThat(c.logging().journaldPriority()).isEqualTo("err");
    }

    @Test
    void theOriginalExampleConfigLoadsUnchanged() throws Exception {
        Path example = Path.of(getClass().getResource("/config/eyes-example.toml").toURI());
        ConfigLoader.Loaded loaded = ConfigLoader.load(example, Map.of());
        assertThat(loaded.unknownKeys()).isEmpty();
        assertThat(loaded.config().triggers().memoryThreshold()).isEqualTo(MemoryPressure.WARNING);
        Path local = Path.of(getClass().getResource("/config/eyes-local-openai.toml").toURI());
        EyesConfig c = ConfigLoader.load(local, Map.of()).config();
        assertThat(c.ai().backend()).isEqualTo("openai");
        assertThat(c.ai().apiKey()).isEqualTo("lm-studio");
        assertThat(c.ai().baseUrl()).isEqualTo("http://localhost:1234/v1");
        assertThat(c.ai().model()).isEqualTo("qwen/qwen3.5-35b-a3b");
        assertThat(c.ai().automaticAnalysis()).isFalse();
    }

    @Test
    void modelDefaultsFollowTheBackend() throws Exception {
        assertThat(parse("[ai]\nbackend = \"openai\"\napi_key = \"k\"\n").ai().model()).isEqualTo("gpt-4");
        assertThat(parse("[ai]\nbackend = \"mock\"\n").ai().model()).isEqualTo("mock");
        assertThat(parse("[ai]\nautomatic_analysis = false\n").ai().backend()).isEqualTo("ollama");
    }

    @Test
    void openAiKeyComesFromTheEnvironmentAndIsOptionalOnLoopback() throws Exception {
        EyesConfig c = ConfigLoader.parse("[ai]\nbackend = \"openai\"\n", null, Map.of("OPENAI_API_KEY", "sk-env")).config();
        assertThat(c.ai().apiKey()).isEqualTo("sk-env");
        EyesConfig local = parse("[ai]\nbackend = \"openai\"\nbase_url = \"http://127.0.0.1:8080/v1/\"\n");
        assertThat(local.ai().apiKey()).isNull();
        assertThat(local.ai().baseUrl()).isEqualTo("http://127.0.0.1:8080/v1");
        assertThatThrownBy(() -> parse("[ai]\nbackend = \"openai\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ai.api_key is required")
                .hasMessageContaining("OPENAI_API_KEY");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "[metrics]\\ninterval_seconds = 0|metrics.interval_seconds|from 1",
        "[metrics]\\ninterval_seconds = \"5\"|metrics.interval_seconds|must be an integer",
        "[buffer]\\nmax_age_seconds = 0|buffer.max_age_seconds|from 1",
        "[buffer]\\nmax_size = -3|buffer.max_size|from 1",
        "[triggers]\\nerror_threshold = 0|triggers.error_threshold|from 1",
        "[triggers]\\nerror_window_seconds = 0|triggers.error_window_seconds|from 1",
        "[triggers]\\nmemory_threshold = \"Unknown\"|triggers.memory_threshold|Normal, Warning, Critical",
        "[triggers]\\nmemory_threshold = \"high\"|triggers.memory_threshold|Normal, Warning, Critical",
        "[ai]\\nbackend = \"gpt\"|ai.backend|ollama, openai, mock",
        "[ai]\\nendpoint = \"\"|ai.endpoint|must not be empty",
        "[ai]\\nendpoint = \"localhost:11434\"|ai.endpoint|http:// or https://",
        "[ai]\\nmodel = \"\"|ai.model|must not be empty",
        "[ai]\\nmax_concurrent = 0|ai.max_concurrent|from 1",
        "[ai]\\nmock_pattern = \"ok,boom\"|ai.mock_pattern|ok, fail, invalid, hang",
        "[alerts]\\nrate_limit_per_minute = 0|alerts.rate_limit_per_minute|from 1",
        "[alerts]\\nminimum_severity = \"high\"|alerts.minimum_severity|info, warning, critical",
        "[[alerts.webhooks]]\\nurl = \"ftp://x\"|alerts.webhooks[0].url|http:// or https://",
        "[[alerts.webhooks]]\\nurl = \"https://h/x\"\\nformat = \"xml\"|alerts.webhooks[0].format|json, slack, ntfy",
        "[storage]\\ndatabase_path = \"\"|storage.database_path|must not be empty",
        "[web]\\nbind_address = \"nope\"|web.bind_address|127.0.0.1:8787",
        "[web]\\nbind_address = \"127.0.0.1:99999\"|web.bind_address|port number",
        "[web]\\nbind_address = \"0.0.0.0:8787\"|web.token|is required",
        "[web]\\nenabled = \"yes\"|web.enabled|true or false",
        "[logging]\\nsources = [\"syslogd\"]|logging.sources|auto, journald, oslog, none",
        "[logging]\\njournald_priority = \"loud\"|logging.journald_priority|emerg, alert",
        "[[logging.files]]\\npath = \"/x\"\\nformat = \"csv\"|logging.files[0].format|syslog, journald-json, plain",
        "[rules.benign]\\npatterns = [\"(unclosed\"]|rules.benign.patterns|invalid regular expression",
        "[rules.resource_spike]\\ncpu_usage_delta_percent = 200|rules.resource_spike.cpu_usage_delta_percent|from 1 to 100",
        "[metrics]\\npressure_warning_percent = 50\\npressure_critical_percent = 10|metrics.pressure_critical_percent|at least",
        "[self_monitoring]\\ninterval_seconds = 0|self_monitoring.interval_seconds|from 1",
        "[self_monitoring]\\nslowdown_factor = 0.5|self_monitoring.slowdown_factor|from 1 to 10",
        "[self_monitoring]\\nrecovery_factor = 1.5|self_monitoring.recovery_factor|from 0.1 to 1",
        "[self_monitoring]\\nmax_interval_seconds = 0|self_monitoring.max_interval_seconds|from 1 to 3600",
        "[self_monitoring]\\nnotification_success_warning_percent = 101|self_monitoring.notification_success_warning_percent|from 0 to 100",
        "[self_monitoring]\\nadaptive_sampling = \"on\"|self_monitoring.adaptive_sampling|true or false",
        "[self_monitoring]\\nmetrics_bind_address = \"9464\"|self_monitoring.metrics_bind_address|127.0.0.1:8787",
        "[self_monitoring]\\nmetrics_bind_address = \"0.0.0.0:9464\"|self_monitoring.metrics_bind_address|set web.token"
    })
    void invalidValuesNameTheKeyAndWhatIsAllowed(String toml, String key, String allowed) {
        String text = toml.replace("\\n", "\n");
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(allowed)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void selfMonitoringKeysAndTheMetricsAddress() throws Exception {
        SelfMonitoringConfig d = parse("").selfMonitoring();
        assertThat(d).isEqualTo(SelfMonitoringConfig.defaults());
        assertThat(d.metricsBindAddress()).isEmpty();
        SelfMonitoringConfig s = parse("""
                [web]
                token = "t"
                [self_monitoring]
                enabled = false
                interval_seconds = 30
                memory_warning_mb = 300
                latency_warning_ms = 10000
                notification_success_warning_percent = 75.5
                pressure_memory_mb = 250
                pressure_latency_ms = 5000
                pressure_events_per_minute = 5000
                adaptive_sampling = false
                slowdown_factor = 2.0
                recovery_factor = 0.5
                max_interval_seconds = 120
                metrics_bind_address = "0.0.0.0:9464"
                """).selfMonitoring();
        assertThat(s).isEqualTo(new SelfMonitoringConfig(false, 30, 300, 10_000, 75.5, 250, 5000, 5000, false, 2.0,
                0.5, 120, "0.0.0.0:9464"));
        assertThat(parse("[self_monitoring]\nmetrics_bind_address = \"[::1]:9464\"\n").selfMonitoring()
                .metricsBindAddress()).isEqualTo("[::1]:9464");
        assertThat(ConfigLoader.checkMetricsBind("localhost:9464", WebConfig.defaults(), "--metrics-bind").port())
                .isEqualTo(9464);
        assertThat(ConfigLoader.checkMetricsBind(" ", WebConfig.defaults(), "--metrics-bind")).isNull();
        assertThatThrownBy(() -> ConfigLoader.checkMetricsBind("192.168.1.5:9464", WebConfig.defaults(),
                "--metrics-bind")).isInstanceOf(ConfigException.class)
                .hasMessage("--metrics-bind (192.168.1.5:9464) is not a loopback address: set web.token, which"
                        + " scrapers must then send as \"Authorization: Bearer <token>\", or bind to 127.0.0.1");
    }

    @Test
    void unknownKeysAreNamed() throws Exception {
        ConfigLoader.Loaded l = ConfigLoader.parse("""
                colour = "blue"
                [metrics]
                interval_seconds = 5
                intervall = 3
                [rules.crash]
                extra = 1
                [[logging.files]]
                path = "/var/log/syslog"
                mode = "x"
                """, null, Map.of());
        assertThat(l.unknownKeys()).containsExactlyInAnyOrder("colour", "metrics.intervall", "rules.crash.extra",
                "logging.files[0].mode");
    }

    @Test
    void malformedTomlNamesTheFileAndTheLine() throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, "[metrics]\ninterval_seconds = = 5\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining(f.toString()).hasMessageContaining("TOML parse error").hasMessageContaining("line 2");
    }

    @Test
    void explicitFilesThatCannotBeUsedAreErrors() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.toml"), Map.of()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of())).hasMessageContaining("is not a file");
        Path bin = dir.resolve("latin1.toml");
        Files.write(bin, "predicate = \"caf\u00e9\"".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigLoader.load(bin, Map.of())).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void discoveryOrder() throws Exception {
        Path home = dir.resolve("home");
        Path user = home.resolve(".config/eyes/config.toml");
        Files.createDirectories(user.getParent());
        Files.writeString(user, "[metrics]\ninterval_seconds = 7\n");
        Path env = dir.resolve("env.toml");
        Files.writeString(env, "[metrics]\ninterval_seconds = 8\n");
        Path explicit = dir.resolve("explicit.toml");
        Files.writeString(explicit, "[metrics]\ninterval_seconds = 9\n");

        assertThat(ConfigLoader.discover(explicit, Map.of("EYES_CONFIG", env.toString()), home).config()
                .metrics().intervalSeconds()).isEqualTo(9);
        assertThat(ConfigLoader.discover(null, Map.of("EYES_CONFIG", env.toString()), home).config()
                .metrics().intervalSeconds()).isEqualTo(8);
        assertThat(ConfigLoader.discover(null, Map.of(), home).config().metrics().intervalSeconds()).isEqualTo(7);
        ConfigLoader.Loaded defaults = ConfigLoader.discover(null, Map.of(), dir.resolve("nohome"));
        assertThat(defaults.file()).isNull();
        assertThat(defaults.config().metrics().intervalSeconds()).isEqualTo(5);
        assertThatThrownBy(() -> ConfigLoader.discover(null, Map.of("EYES_CONFIG", dir.resolve("gone.toml").toString()), home))
                .hasMessageContaining("does not exist");
    }

    @Test
    void showWritesTomlThatLoadsBackToTheSameConfigWithSecretsMasked() throws Exception {
        EyesConfig c = parse("""
                [logging]
                sources = ["journald"]
                [[logging.files]]
                path = "/var/log/app.log"
                format = "plain"
                [ai]
                backend = "openai"
                api_key = "sk-secret-value"
                [[alerts.webhooks]]
                url = "https://hooks.example/services/T0/B0/url-secret?key=q-secret"
                headers = { "X-Token" = "hook-secret" }
                [web]
                token = "web-secret"
                [rules.benign]
                patterns = ["^kernel: \\\\[.*\\\\] foo \\"bar\\""]
                [self_monitoring]
                interval_seconds = 15
                slowdown_factor = 1.25
                metrics_bind_address = "127.0.0.1:9464"
                """);
        String toml = ConfigWriter.toToml(c);
        assertThat(toml).doesNotContain("sk-secret-value", "hook-secret", "web-secret", "url-secret", "q-secret")
                .contains("\"***\"").contains("url = \"https://hooks.example/***\"");
        EyesConfig back = ConfigLoader.parse(toml, null, Map.of()).config();
        assertThat(back.logging()).isEqualTo(c.logging());
        assertThat(back.metrics()).isEqualTo(c.metrics());
        assertThat(back.triggers()).isEqualTo(c.triggers());
        assertThat(back.storage()).isEqualTo(c.storage());
        assertThat(back.selfMonitoring()).isEqualTo(c.selfMonitoring());
        assertThat(back.selfMonitoring().metricsBindAddress()).isEqualTo("127.0.0.1:9464");
        assertThat(back.rules().benign().patterns().getFirst().pattern())
                .isEqualTo(c.rules().benign().patterns().getFirst().pattern());
        assertThat(ConfigLoader.parse(toml, null, Map.of()).unknownKeys()).isEmpty();
    }
}
