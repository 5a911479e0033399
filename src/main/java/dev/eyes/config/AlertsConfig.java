package dev.eyes.config;

import dev.eyes.event.Severity;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code [alerts]}: delivery of insights.
 *
 * @param rateLimitPerMinute successful deliveries allowed per sliding 60 s window
 * @param minimumSeverity    insights below it are stored but not delivered
 * @param queueSize          alerts waiting for the rate limit; the oldest is dropped (recorded) beyond it
 * @param groupWindowHours   a new trigger with the rule and source of an open root raised this recently joins its group
 * @param webhooks           {@code [[alerts.webhooks]]}
 */
public record AlertsConfig(int rateLimitPerMinute, Severity minimumSeverity, int queueSize, int groupWindowHours,
                           List<Webhook> webhooks) {

    /** One webhook. format: json | slack | ntfy. Header values are secrets: never logged or shown. */
    public record Webhook(URI url, String format, Map<String, String> headers, int timeoutSeconds,
                          Severity minimumSeverity) {
        public Webhook {
            headers = Map.copyOf(headers);
        }
    }

    public static AlertsConfig defaults() {
        return new AlertsConfig(3, Severity.WARNING, 100, 24, List.of());
    }
}
