package dev.eyes.config;

/** The whole effective configuration: one record per TOML section. Immutable. */
public record EyesConfig(LoggingConfig logging, MetricsConfig metrics, BufferConfig buffer, TriggersConfig triggers,
                         RulesConfig rules, AiConfig ai, AlertsConfig alerts, StorageConfig storage, WebConfig web,
                         SelfMonitoringConfig selfMonitoring) {

    public static EyesConfig defaults() {
        return new EyesConfig(LoggingConfig.defaults(), MetricsConfig.defaults(), BufferConfig.defaults(),
                TriggersConfig.defaults(), RulesConfig.defaults(), AiConfig.defaults(), AlertsConfig.defaults(),
                StorageConfig.defaults(), WebConfig.defaults(), SelfMonitoringConfig.defaults());
    }

    public EyesConfig withStorage(StorageConfig s) {
        return new EyesConfig(logging, metrics, buffer, triggers, rules, ai, alerts, s, web, selfMonitoring);
    }

    public EyesConfig withWeb(WebConfig w) {
        return new EyesConfig(logging, metrics, buffer, triggers, rules, ai, alerts, storage, w, selfMonitoring);
    }

    public EyesConfig withSelfMonitoring(SelfMonitoringConfig s) {
        return new EyesConfig(logging, metrics, buffer, triggers, rules, ai, alerts, storage, web, s);
    }

    public EyesConfig withLogging(LoggingConfig l) {
        return new EyesConfig(l, metrics, buffer, triggers, rules, ai, alerts, storage, web, selfMonitoring);
    }
}
