package dev.eyes.config;

import dev.eyes.event.MemoryPressure;
import dev.eyes.event.Severity;
import dev.eyes.json.JsonTrees;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlFactory;

/**
 * Finds, reads and validates {@code config.toml}.
 *
 * <p>Discovery: {@code --config FILE} → env {@code EYES_CONFIG} → {@code ~/.config/eyes/config.toml} (when it
 * exists) → built-in defaults. An explicit file that is missing, unreadable, malformed or invalid is an error
 * whose message names the file, the key and the allowed values. Unknown keys are returned so the caller can
 * warn about them once.
 */
public final class ConfigLoader {
    public static final String ENV_CONFIG = "EYES_CONFIG";
    public static final String ENV_OPENAI_KEY = "OPENAI_API_KEY";

    // the factory, not a TomlMapper: reading a table needs no data binding (see JsonTrees on what a mapper costs)
    private static final TomlFactory TOML = new TomlFactory();
    private static final Pattern PRIORITY = Pattern.compile(
            "(emerg|alert|crit|err|warning|notice|info|debug|[0-7])(\\.\\.(emerg|alert|crit|err|warning|notice|info|debug|[0-7]))?",
            Pattern.CASE_INSENSITIVE);

    /** The effective configuration, the file it came from (null = defaults) and the keys nobody knows. */
    public record Loaded(EyesConfig config, Path file, List<String> unknownKeys) {
    }

    private ConfigLoader() {
    }

    /** Discovery as described above. {@code explicit} may be null. */
    public static Loaded discover(Path explicit, Map<String, String> env, Path home) throws ConfigException {
        if (explicit != null) {
            return load(explicit, env);
        }
        String fromEnv = env.get(ENV_CONFIG);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return load(Path.of(fromEnv), env);
        }
        if (home != null) {
            Path user = home.resolve(".config").resolve("eyes").resolve("config.toml");
            if (Files.isRegularFile(user)) {
                return load(user, env);
            }
        }
        return parse("", null, env);
    }

    /** Reads one file; every problem becomes a {@link ConfigException} naming it. */
    public static Loaded load(Path file, Map<String, String> env) throws ConfigException {
        if (!Files.exists(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " is not a file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + file + " is not valid UTF-8");
        }
        return parse(text, file, env);
    }

    /** Parses TOML text; {@code origin} names it in messages (null = built-in defaults). */
    public static Loaded parse(String text, Path origin, Map<String, String> env) throws ConfigException {
        String where = origin == null ? "configuration" : "config file " + origin;
        JsonNode root;
        try {
            root = text.isBlank() ? JsonTrees.object() : readToml(text);
        } catch (JacksonException e) {
            throw new ConfigException(where + ": TOML parse error: " + firstLine(e.getOriginalMessage())
                    + location(e));
        }
        try {
            TomlTable top = new TomlTable("", root);
            EyesConfig config = read(top, env);
            List<String> unknown = new ArrayList<>();
            top.collectUnknown(unknown);
            return new Loaded(config, origin, List.copyOf(unknown));
        } catch (ConfigException e) {
            throw new ConfigException(e.key(), where + ": " + e.getMessage());
        }
    }

    /**
     * The TOML parser builds the whole document as a tree and hands out a parser over it; the tree is that parser's
     * input source.
     */
    private static JsonNode readToml(String text) {
        try (JsonParser p = TOML.createParser(ObjectReadContext.empty(), text)) {
            if (p.streamReadInputSource() instanceof JsonNode tree) {
                return tree;
            }
            throw new IllegalStateException("the TOML parser no longer exposes its tree (jackson-dataformat-toml "
                    + "changed); ConfigLoader needs updating");
        }
    }

    private static EyesConfig read(TomlTable top, Map<String, String> env) throws ConfigException {
        EyesConfig c = new EyesConfig(logging(top.table("logging")), metrics(top.table("metrics")),
                buffer(top.table("buffer")), triggers(top.table("triggers")), rules(top.table("rules")),
                ai(top.table("ai"), env), alerts(top.table("alerts")), storage(top.table("storage")),
                web(top.table("web")), selfMonitoring(top.table("self_monitoring")));
        checkMetricsBind(c.selfMonitoring().metricsBindAddress(), c.web(), "self_monitoring.metrics_bind_address");
        return c;
    }

    /**
     * The separate {@code /metrics} server binds to loopback unless {@code web.token} is set (then scrapers must send
     * it as a bearer token). Shared by the config key and {@code eyes run --metrics-bind}.
     *
     * @param what how the address was given, for the message (a key or an option)
     */
    public static BindAddress checkMetricsBind(String address, WebConfig web, String what) throws ConfigException {
        if (address == null || address.isBlank()) {
            return null;
        }
        BindAddress a;
        try {
            a = BindAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what, what + " " + e.getMessage());
        }
        if (!a.isLoopback() && web.token().isBlank()) {
            throw new ConfigException(what, what + " (" + address + ") is not a loopback address: set web.token,"
                    + " which scrapers must then send as \"Authorization: Bearer <token>\", or bind to 127.0.0.1");
        }
        return a;
    }

    private static LoggingConfig logging(TomlTable t) throws ConfigException {
        LoggingConfig d = LoggingConfig.defaults();
        String predicate = t.string("predicate", d.predicate());
        List<String> sources = t.strings("sources", d.sources());
        for (String s : sources) {
            if (!List.of("auto", "journald", "oslog", "none").contains(s)) {
                throw new ConfigException(t.key("sources"), t.key("sources")
                        + " entries must be one of auto, journald, oslog, none, got \"" + s + "\"");
            }
        }
        String priority = t.string("journald_priority", d.journaldPriority()).trim();
        if (!PRIORITY.matcher(priority).matches()) {
            throw new ConfigException(t.key("journald_priority"), t.key("journald_priority")
                    + " must be a priority name (emerg, alert, crit, err, warning, notice, info, debug), a number 0..7"
                    + " or a range such as 0..3, got \"" + priority + "\"");
        }
        String directory = t.string("journald_directory", d.journaldDirectory());
        String namespace = t.string("journald_namespace", d.journaldNamespace()).trim();
        if (!namespace.matches("[A-Za-z0-9_.-]*")) {
            throw new ConfigException(t.key("journald_namespace"), t.key("journald_namespace")
                    + " must be a journald namespace name (letters, digits, '_', '.', '-'), got \"" + namespace + "\"");
        }
        List<LoggingConfig.FileSource> files = new ArrayList<>();
        for (TomlTable f : t.tables("files")) {
            String path = f.nonEmptyString("path", null);
            String format = f.choice("format", "syslog", formats("syslog", "journald-json", "plain", "oslog-json",
                    "oslog-ndjson"));
            files.add(new LoggingConfig.FileSource(Path.of(path), format));
        }
        List<String> keywords = t.strings("error_keywords", d.errorKeywords());
        return new LoggingConfig(predicate, sources, priority, directory, namespace, List.copyOf(files), keywords);
    }

    private static MetricsConfig metrics(TomlTable t) throws ConfigException {
        MetricsConfig d = MetricsConfig.defaults();
        double warn = t.decimal("pressure_warning_percent", d.pressureWarningPercent(), 0, 100);
        double crit = t.decimal("pressure_critical_percent", d.pressureCriticalPercent(), 0, 100);
        if (crit < warn) {
            throw new ConfigException(t.key("pressure_critical_percent"), t.key("pressure_critical_percent")
                    + " must be at least metrics.pressure_warning_percent (" + warn + "), got " + crit);
        }
        return new MetricsConfig(t.integer("interval_seconds", d.intervalSeconds(), 1, 3600),
                t.bool("enabled", d.enabled()), t.bool("disk_enabled", d.diskEnabled()), warn, crit,
                t.strings("disk_exclude", d.diskExclude()), t.integer("top_processes", d.topProcesses(), 0, 100));
    }

    private static BufferConfig buffer(TomlTable t) throws ConfigException {
        BufferConfig d = BufferConfig.defaults();
        return new BufferConfig(t.integer("max_age_seconds", d.maxAgeSeconds(), 1, 86_400),
                t.integer("max_size", d.maxSize(), 1, 10_000_000));
    }

    private static TriggersConfig triggers(TomlTable t) throws ConfigException {
        TriggersConfig d = TriggersConfig.defaults();
        int threshold = t.integer("error_threshold", d.errorThreshold(), 1, 1_000_000);
        int window = t.integer("error_window_seconds", d.errorWindowSeconds(), 1, 86_400);
        Map<String, MemoryPressure> levels = new LinkedHashMap<>();
        levels.put("normal", MemoryPressure.NORMAL);
        levels.put("warning", MemoryPressure.WARNING);
        levels.put("critical", MemoryPressure.CRITICAL);
        MemoryPressure memory;
        String raw = t.string("memory_threshold", null);
        if (raw == null) {
            memory = d.memoryThreshold();
        } else {
            memory = levels.get(raw.trim().toLowerCase(Locale.ROOT));
            if (memory == null) {
                throw new ConfigException(t.key("memory_threshold"), t.key("memory_threshold")
                        + " must be one of Normal, Warning, Critical, got \"" + raw + "\"");
            }
        }
        int cooldown = t.integer("cooldown_seconds", d.cooldownSeconds(), 0, 86_400);
        return new TriggersConfig(threshold, window, memory, cooldown);
    }

    private static RulesConfig rules(TomlTable t) throws ConfigException {
        RulesConfig d = RulesConfig.defaults();
        TomlTable ef = t.table("error_frequency");
        TomlTable crash = t.table("crash");
        TomlTable benign = t.table("benign");
        TomlTable mem = t.table("memory_pressure");
        TomlTable rs = t.table("resource_spike");
        TomlTable disk = t.table("disk_io_spike");
        List<String> extra = crash.strings("extra_keywords", List.of());
        for (String k : extra) {
            if (k.isBlank()) {
                throw new ConfigException(crash.key("extra_keywords"), crash.key("extra_keywords")
                        + " must not contain empty keywords");
            }
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String p : benign.strings("patterns", List.of())) {
            try {
                patterns.add(Pattern.compile(p));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(benign.key("patterns"), benign.key("patterns") + " has an invalid regular"
                        + " expression \"" + p + "\": " + e.getDescription());
            }
        }
        RulesConfig.ResourceSpike drs = d.resourceSpike();
        RulesConfig.DiskIoSpike dds = d.diskIoSpike();
        return new RulesConfig(
                new RulesConfig.ErrorFrequency(ef.bool("enabled", true)),
                new RulesConfig.Crash(crash.bool("enabled", true), extra),
                new RulesConfig.Benign(List.copyOf(patterns)),
                new RulesConfig.MemoryPressureRule(mem.bool("enabled", true)),
                new RulesConfig.ResourceSpike(rs.bool("enabled", true),
                        rs.integer("comparison_window_seconds", drs.comparisonWindowSeconds(), 1, 86_400),
                        rs.decimal("cpu_power_delta_mw", drs.cpuPowerDeltaMw(), 1, 1e9),
                        rs.decimal("gpu_power_delta_mw", drs.gpuPowerDeltaMw(), 1, 1e9),
                        rs.decimal("cpu_usage_delta_percent", drs.cpuUsageDeltaPercent(), 1, 100)),
                new RulesConfig.DiskIoSpike(disk.bool("enabled", true),
                        disk.integer("comparison_window_seconds", dds.comparisonWindowSeconds(), 1, 86_400),
                        disk.decimal("read_delta_kb_per_sec", dds.readDeltaKbPerSec(), 1, 1e12),
                        disk.decimal("write_delta_kb_per_sec", dds.writeDeltaKbPerSec(), 1, 1e12)));
    }

    private static AiConfig ai(TomlTable t, Map<String, String> env) throws ConfigException {
        AiConfig d = AiConfig.defaults();
        String backend = t.choice("backend", AiConfig.OLLAMA, formats(AiConfig.OLLAMA, AiConfig.OPENAI, AiConfig.MOCK));
        String defaultModel = switch (backend) {
            case AiConfig.OPENAI -> "gpt-4";
            case AiConfig.MOCK -> "mock";
            default -> "llama3";
        };
        String endpoint = httpUrl(t, "endpoint", d.endpoint());
        String baseUrl = httpUrl(t, "base_url", d.baseUrl());
        String model = t.nonEmptyString("model", defaultModel);
        String apiKey = t.string("api_key", null);
        if (apiKey == null || apiKey.isBlank()) {
            String fromEnv = env.get(ENV_OPENAI_KEY);
            apiKey = fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
        }
        if (AiConfig.OPENAI.equals(backend) && apiKey == null && !isLoopbackUrl(baseUrl)) {
            throw new ConfigException(t.key("api_key"), t.key("api_key") + " is required when ai.backend = \"openai\""
                    + " talks to " + baseUrl + " (or set the environment variable " + ENV_OPENAI_KEY + ")");
        }
        String pattern = t.string("mock_pattern", d.mockPattern());
        for (String p : pattern.split(",")) {
            if (!List.of("ok", "fail", "invalid", "hang").contains(p.trim())) {
                throw new ConfigException(t.key("mock_pattern"), t.key("mock_pattern")
                        + " must be a comma-separated list of ok, fail, invalid, hang, got \"" + pattern + "\"");
            }
        }
        return new AiConfig(backend, endpoint, model, apiKey, baseUrl,
                t.bool("automatic_analysis", d.automaticAnalysis()),
                t.integer("max_concurrent", d.maxConcurrent(), 1, 64),
                t.integer("timeout_seconds", d.timeoutSeconds(), 1, 3600),
                t.integer("max_attempts", d.maxAttempts(), 1, 100),
                t.integer("retry_max_delay_seconds", d.retryMaxDelaySeconds(), 1, 3600),
                t.integer("retry_queue_size", d.retryQueueSize(), 1, 100_000),
                t.integer("max_response_tokens", d.maxResponseTokens(), 1, 1_000_000),
                t.longValue("max_response_bytes", d.maxResponseBytes(), 1024, 1L << 30),
                t.bool("redact", d.redact()),
                t.bool("redact_network_identities", d.redactNetworkIdentities()),
                t.longValue("mock_delay_ms", d.mockDelayMillis(), 0, 3_600_000),
                pattern.replace(" ", ""));
    }

    private static AlertsConfig alerts(TomlTable t) throws ConfigException {
        AlertsConfig d = AlertsConfig.defaults();
        int rate = t.integer("rate_limit_per_minute", d.rateLimitPerMinute(), 1, 100_000);
        Severity min = t.enumChoice("minimum_severity", d.minimumSeverity(), Severity.values(), Severity::wireName);
        int queue = t.integer("queue_size", d.queueSize(), 1, 100_000);
        int group = t.integer("group_window_hours", d.groupWindowHours(), 0, 24 * 365);
        List<AlertsConfig.Webhook> hooks = new ArrayList<>();
        for (TomlTable w : t.tables("webhooks")) {
            String url = w.nonEmptyString("url", null);
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new ConfigException(w.key("url"), w.key("url") + " is not a valid URL: " + e.getReason());
            }
            if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new ConfigException(w.key("url"), w.key("url") + " must be an http:// or https:// URL");
            }
            String format = w.choice("format", "json", formats("json", "slack", "ntfy"));
            Map<String, String> headers = w.stringMap("headers");
            int timeout = w.integer("timeout_seconds", 10, 1, 300);
            Severity hookMin = w.enumChoice("minimum_severity", Severity.WARNING, Severity.values(), Severity::wireName);
            hooks.add(new AlertsConfig.Webhook(uri, format, headers, timeout, hookMin));
        }
        return new AlertsConfig(rate, min, queue, group, List.copyOf(hooks));
    }

    private static StorageConfig storage(TomlTable t) throws ConfigException {
        StorageConfig d = StorageConfig.defaults();
        return new StorageConfig(Path.of(t.nonEmptyString("database_path", "eyes.db")),
                t.integer("checkpoint_batch", d.checkpointBatch(), 1, 1_000_000),
                t.longValue("checkpoint_interval_ms", d.checkpointIntervalMillis(), 10, 3_600_000));
    }

    private static WebConfig web(TomlTable t) throws ConfigException {
        WebConfig d = WebConfig.defaults();
        boolean enabled = t.bool("enabled", d.enabled());
        String bind = t.nonEmptyString("bind_address", d.bindAddress());
        BindAddress address;
        try {
            address = BindAddress.parse(bind);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(t.key("bind_address"), t.key("bind_address") + " " + e.getMessage());
        }
        String token = t.string("token", d.token());
        if (enabled && !address.isLoopback() && token.isBlank()) {
            throw new ConfigException(t.key("token"), t.key("token") + " is required when web.bind_address ("
                    + bind + ") is not a loopback address");
        }
        return new WebConfig(enabled, bind, token, t.strings("allowed_hosts", d.allowedHosts()));
    }

    private static SelfMonitoringConfig selfMonitoring(TomlTable t) throws ConfigException {
        SelfMonitoringConfig d = SelfMonitoringConfig.defaults();
        return new SelfMonitoringConfig(t.bool("enabled", d.enabled()),
                t.integer("interval_seconds", d.intervalSeconds(), 1, 86_400),
                t.longValue("memory_warning_mb", d.memoryWarningMb(), 1, 1_000_000),
                t.longValue("latency_warning_ms", d.latencyWarningMillis(), 1, 86_400_000),
                t.decimal("notification_success_warning_percent", d.notificationSuccessWarningPercent(), 0, 100),
                t.longValue("pressure_memory_mb", d.pressureMemoryMb(), 1, 1_000_000),
                t.longValue("pressure_latency_ms", d.pressureLatencyMillis(), 1, 86_400_000),
                t.longValue("pressure_events_per_minute", d.pressureEventsPerMinute(), 1, Long.MAX_VALUE / 2),
                t.bool("adaptive_sampling", d.adaptiveSampling()),
                t.decimal("slowdown_factor", d.slowdownFactor(), 1.0, 10.0),
                t.decimal("recovery_factor", d.recoveryFactor(), 0.1, 1.0),
                t.integer("max_interval_seconds", d.maxIntervalSeconds(), 1, 3600),
                t.string("metrics_bind_address", d.metricsBindAddress()).trim());
    }

    private static String httpUrl(TomlTable t, String key, String def) throws ConfigException {
        String s = t.nonEmptyString(key, def).trim();
        try {
            URI u = new URI(s);
            if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))
                    || u.getHost() == null) {
                throw new URISyntaxException(s, "expected http:// or https:// with a host");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(t.key(key), t.key(key) + " must be an http:// or https:// URL, got \"" + s + "\"");
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** True when the URL's host is a loopback name or address. */
    public static boolean isLoopbackUrl(String url) {
        try {
            String host = new URI(url).getHost();
            return host != null && BindAddress.isLoopbackHost(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Map<String, String> formats(String... names) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, n);
        }
        return m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed TOML";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String location(JacksonException e) {
        var loc = e.getLocation();
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}
