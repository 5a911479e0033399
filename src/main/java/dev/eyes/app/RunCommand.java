package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.BindAddress;
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

/** {@code eyes run}: the observer. Stops cleanly on SIGINT/SIGTERM (exit 0). */
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

    /** Testing only: see {@link EventLedger}. */
    @Option(names = "--event-ledger", paramLabel = "FILE", hidden = true)
    Path eventLedger;

    @Override
    public Integer call() throws Exception {
        Logging.configure(configOptions.verbose, Level.INFO);
        ConfigLoader.Loaded loaded = configOptions.load();
        EyesConfig config = loaded.config();
        if (database != null) {
            config = config.withStorage(config.storage().withDatabasePath(database));
        }
        if (bind != null) {
            config = config.withWeb(withBind(config.web(), bind));
        }
        Signals signals = new Signals();
        signals.install(null);
        Observer observer = new Observer(config, new Observer.Options(enableNotifications), Platform.detect(),
                RestartPolicy.DEFAULT);
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
}
