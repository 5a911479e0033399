package dev.eyes.app;

import dev.eyes.config.BindAddress;
import dev.eyes.config.ConfigException;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.selfmon.MetricsServer;
import dev.eyes.selfmon.Telemetry;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} on an address of its own ({@code self_monitoring.metrics_bind_address}, {@code --metrics-bind}),
 * beside or without the dashboard. Off loopback it requires {@code web.token} as a bearer token.
 */
final class MetricsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final Telemetry telemetry;
    private MetricsServer server;

    MetricsEndpoint(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** Serves {@code /metrics} where the configuration says (nothing when the address is blank). */
    synchronized void start(EyesConfig config) {
        String address = config.selfMonitoring().metricsBindAddress();
        if (address.isBlank()) {
            return;
        }
        BindAddress a;
        try {
            a = ConfigLoader.checkMetricsBind(address, config.web(), "the metrics address");
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        }
        try {
            server = MetricsServer.start(telemetry, a.host(), a.port(),
                    a.isLoopback() ? null : config.web().token(), a.isLoopback());
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot serve /metrics on " + a + ": " + e.getMessage());
        }
    }

    /** After a reload that moved the address: the old server stops; a refused new one is logged, not fatal. */
    synchronized void restart(EyesConfig next) {
        close();
        try {
            start(next);
        } catch (UserError e) {
            LOG.error("{}; /metrics is not served until the next reload or restart", e.getMessage());
        }
    }

    synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
