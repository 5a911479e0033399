package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.BindAddress;
import dev.eyes.config.ConfigException;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.config.WebConfig;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eyes run}: the observer. Stops cleanly on SIGINT/SIGTERM (exit 0); reloads its configuration on SIGHUP
 * (an invalid one is rejected with the reason in the log, and the running one kept).
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Watch this host: follow its logs and resources, store triggers, analyse and alert.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    static final Duration STOP_DEADLINE = Duration.ofMillis(4500);

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--database", paramLabel = "FILE", description = "SQLite file (overrides storage.database_path).")
    Path database;

    @Option(names = "--enable-notifications", description = "Deliver desktop notifications (off by default).")
    boolean enableNotifications;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Serve the dashboard on host:port (overrides "
            + "web.bind_address and turns the dashboard on; off loopback it needs web.token).")
    String bind;

    @Option(names = "--metrics-bind", paramLabel = "ADDR",
            description = "Serve Prometheus /metrics on host:port (e.g. 127.0.0.1:9464; overrides"
                    + " self_monitoring.metrics_bind_address). Off loopback it needs web.token, sent as a bearer token.")
    String metricsBind;

    /** Testing only: see {@link EventLedger}. */
    @Option(names = "--event-ledger", paramLabel = "FILE", hidden = true)
    Path eventLedger;

    @Override
    public Integer call() throws Exception {
        Logging.configure(configOptions.verbose, Level.INFO);
        EyesConfig config = effective(configOptions.load());
        Signals signals = new Signals();
        Observer observer = new Observer(config, new Observer.Options(enableNotifications), Platform.detect(),
                RestartPolicy.DEFAULT);
        signals.install(() -> reload(observer));
        EventLedger ledger = eventLedger == null ? null : EventLedger.open(eventLedger);
        observer.setEventTap(ledger);
        try {
            observer.start();
        } catch (UserError e) {
            observer.stop(Duration.ofSeconds(2));
            throw e;
        }
        signals.await();
        LOG.info("{} received; stopping", signals.received());
        observer.stop(STOP_DEADLINE);
        if (ledger != null) {
            ledger.close();
        }
        return 0;
    }

    /** {@code --bind ADDR}: the dashboard on, at that address; refused off loopback without a token. */
    static WebConfig withBind(WebConfig web, String address) {
        BindAddress a;
        try {
            a = BindAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new UserError("--bind " + e.getMessage());
        }
        if (!a.isLoopback() && web.token().isBlank()) {
            throw new UserError("--bind " + address + " is not a loopback address: set web.token in the "
                    + "configuration first (the dashboard never serves other machines without a token)");
        }
        return new WebConfig(true, address, web.token(), web.allowedHosts());
    }

    /** The loaded configuration with the command-line overrides applied; a refused override is a {@link UserError}. */
    private EyesConfig effective(ConfigLoader.Loaded loaded) {
        EyesConfig config = loaded.config();
        if (database != null) {
            config = config.withStorage(config.storage().withDatabasePath(database));
        }
        if (bind != null) {
            config = config.withWeb(withBind(config.web(), bind));
        }
        if (metricsBind != null) {
            try {
                ConfigLoader.checkMetricsBind(metricsBind, config.web(), "--metrics-bind");
            } catch (ConfigException e) {
                throw new UserError(e.getMessage());
            }
            config = config.withSelfMonitoring(config.selfMonitoring().withMetricsBindAddress(metricsBind.trim()));
        }
        return config;
    }

    /** SIGHUP: read the configuration again (the same way as at start) and apply it, or keep the running one. */
    private void reload(Observer observer) {
        LOG.info("SIGHUP received; reloading the configuration");
        try {
            ConfigLoader.Loaded loaded = configOptions.load();
            String summary = observer.reload(effective(loaded));
            LOG.info("configuration reloaded from {}: {}", loaded.file() == null ? "built-in defaults" : loaded.file(),
                    summary);
        } catch (UserError e) {
            LOG.error("configuration reload rejected: {}; keeping the running configuration", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("configuration reload failed: {}", e.toString());
            LOG.debug("reload failure", e);
        }
    }
}
