package dev.eyes.config;

import java.util.List;

/**
 * {@code [web]}: the local dashboard.
 *
 * @param bindAddress  host:port; binding off loopback requires {@code token}
 * @param token        bearer token for the dashboard and API ("" = none; required off loopback)
 * @param allowedHosts extra Host header names accepted besides loopback names (DNS-rebinding guard)
 */
public record WebConfig(boolean enabled, String bindAddress, String token, List<String> allowedHosts) {
    public static WebConfig defaults() {
        return new WebConfig(true, "127.0.0.1:8787", "", List.of());
    }
}
