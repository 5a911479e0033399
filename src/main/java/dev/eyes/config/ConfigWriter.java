package dev.eyes.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes an {@link EyesConfig} back as TOML ({@code eyes config show}); secrets appear as {@code "***"}. */
public final class ConfigWriter {
    private static final String MASK = "***";
    private final StringBuilder out = new StringBuilder();

    private ConfigWriter() {
    }

    public static String toToml(EyesConfig c) {
        ConfigWriter w = new ConfigWriter();
        w.write(c);
        return w.out.toString();
    }

    private void write(EyesConfig c) {
        LoggingConfig l = c.logging();
        section("logging");
        kv("predicate", l.predicate());
        kv("sources", l.sources());
        kv("journald_priority", l.journaldPriority());
        kv("journald_directory", l.journaldDirectory());
        kv("journald_namespace", l.journaldNamespace());
        kv("error_keywords", l.errorKeywords());
        for (LoggingConfig.FileSource f : l.files()) {
            out.append("\n[[logging.files]]\n");
            kv("path", f.path().toString());
            kv("format", f.format());
        }
        MetricsConfig m = c.metrics();
        section("metrics");
        kv("interval_seconds", m.intervalSeconds());
        kv("enabled", m.enabled());
        kv("disk_enabled", m.diskEnabled());
        kv("pressure_warning_percent", m.pressureWarningPercent());
        kv("pressure_critical_percent", m.pressureCriticalPercent());
        kv("disk_exclude", m.diskExclude());
        kv("top_processes", m.topProcesses());
        section("buffer");
        kv("max_age_seconds", c.buffer().maxAgeSeconds());
        kv("max_size", c.buffer().maxSize());
        TriggersConfig t = c.triggers();
        section("triggers");
        kv("error_threshold", t.errorThreshold());
        kv("error_window_seconds", t.errorWindowSeconds());
        kv("memory_threshold", t.memoryThreshold().wireName());
        kv("cooldown_seconds", t.cooldownSeconds());
        RulesConfig r = c.rules();
        section("rules.error_frequency");
        kv("enabled", r.errorFrequency().enabled());
        section("rules.crash");
        kv("enabled", r.crash().enabled());
        kv("extra_keywords", r.crash().extraKeywords());
        section("rules.benign");
        kv("patterns", r.benign().patterns().stream().map(Pattern::pattern).toList());
        section("rules.memory_pressure");
        kv("enabled", r.memoryPressure().enabled());
        section("rules.resource_spike");
        kv("enabled", r.resourceSpike().enabled());
        kv("comparison_window_seconds", r.resourceSpike().comparisonWindowSeconds());
        kv("cpu_power_delta_mw", r.resourceSpike().cpuPowerDeltaMw());
        kv("gpu_power_delta_mw", r.resourceSpike().gpuPowerDeltaMw());
        kv("cpu_usage_delta_percent", r.resourceSpike().cpuUsageDeltaPercent());
        section("rules.disk_io_spike");
        kv("enabled", r.diskIoSpike().enabled());
        kv("comparison_window_seconds", r.diskIoSpike().comparisonWindowSeconds());
        kv("read_delta_kb_per_sec", r.diskIoSpike().readDeltaKbPerSec());
        kv("write_delta_kb_per_sec", r.diskIoSpike().writeDeltaKbPerSec());
        AiConfig a = c.ai();
        section("ai");
        kv("backend", a.backend());
        kv("endpoint", a.endpoint());
        kv("model", a.model());
        if (a.apiKey() != null) {
            kv("api_key", MASK);
        }
        kv("base_url", a.baseUrl());
        kv("automatic_analysis", a.automaticAnalysis());
        kv("max_concurrent", a.maxConcurrent());
        kv("timeout_seconds", a.timeoutSeconds());
        kv("max_attempts", a.maxAttempts());
        kv("retry_max_delay_seconds", a.retryMaxDelaySeconds());
        kv("retry_queue_size", a.retryQueueSize());
        kv("max_response_tokens", a.maxResponseTokens());
        kv("max_response_bytes", a.maxResponseBytes());
        kv("redact", a.redact());
        kv("redact_network_identities", a.redactNetworkIdentities());
        kv("mock_delay_ms", a.mockDelayMillis());
        kv("mock_pattern", a.mockPattern());
        AlertsConfig al = c.alerts();
        section("alerts");
        kv("rate_limit_per_minute", al.rateLimitPerMinute());
        kv("minimum_severity", al.minimumSeverity().wireName());
        kv("queue_size", al.queueSize());
        kv("group_window_hours", al.groupWindowHours());
        for (AlertsConfig.Webhook h : al.webhooks()) {
            out.append("\n[[alerts.webhooks]]\n");
            kv("url", maskedUrl(h.url()));
            kv("format", h.format());
            StringBuilder hs = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<String, String> e : h.headers().entrySet()) {
                hs.append(first ? " " : ", ").append(quote(e.getKey())).append(" = ").append(quote(MASK));
                first = false;
            }
            hs.append(first ? "}" : " }");
            out.append("headers = ").append(hs).append('\n');
            kv("timeout_seconds", h.timeoutSeconds());
            kv("minimum_severity", h.minimumSeverity().wireName());
        }
        section("storage");
        kv("database_path", c.storage().databasePath().toString());
        kv("checkpoint_batch", c.storage().checkpointBatch());
        kv("checkpoint_interval_ms", c.storage().checkpointIntervalMillis());
        WebConfig web = c.web();
        section("web");
        kv("enabled", web.enabled());
        kv("bind_address", web.bindAddress());
        kv("token", web.token().isEmpty() ? "" : MASK);
        kv("allowed_hosts", web.allowedHosts());
        SelfMonitoringConfig s = c.selfMonitoring();
        section("self_monitoring");
        kv("enabled", s.enabled());
        kv("interval_seconds", s.intervalSeconds());
        kv("memory_warning_mb", s.memoryWarningMb());
        kv("latency_warning_ms", s.latencyWarningMillis());
        kv("notification_success_warning_percent", s.notificationSuccessWarningPercent());
        kv("pressure_memory_mb", s.pressureMemoryMb());
        kv("pressure_latency_ms", s.pressureLatencyMillis());
        kv("pressure_events_per_minute", s.pressureEventsPerMinute());
        kv("adaptive_sampling", s.adaptiveSampling());
        kv("slowdown_factor", s.slowdownFactor());
        kv("recovery_factor", s.recoveryFactor());
        kv("max_interval_seconds", s.maxIntervalSeconds());
        kv("metrics_bind_address", s.metricsBindAddress());
    }

    private void section(String name) {
        if (!out.isEmpty()) {
            out.append('\n');
        }
        out.append('[').append(name).append("]\n");
    }

    private void kv(String key, Object value) {
        out.append(key).append(" = ").append(literal(value)).append('\n');
    }

    private static String literal(Object v) {
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(literal(list.get(i)));
            }
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        b.append(String.format("\\u%04X", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * A webhook URL without its path, query and user info, which often are the secret (Slack's
     * {@code /services/T…/B…/…}, an ntfy topic): {@code https://hooks.slack.com/***}.
     */
    static String maskedUrl(java.net.URI u) {
        boolean secretPart = (u.getRawPath() != null && u.getRawPath().length() > 1) || u.getRawQuery() != null
                || u.getRawUserInfo() != null;
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
                + (secretPart ? "/" + MASK : "");
    }
}
