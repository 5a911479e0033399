package dev.eyes.app;

import dev.eyes.config.ConfigException;
import dev.eyes.config.ConfigLoader;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --verbose}, shared by the commands that read the configuration. */
final class ConfigOptions {
    private static final Logger LOG = LoggerFactory.getLogger("eyes");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $EYES_CONFIG, then ~/.config/eyes/config.toml, then built-in defaults).")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging (also: env EYES_LOG=debug|info|warn).")
    boolean verbose;

    /** Loads the effective configuration; an invalid explicit file is a {@link UserError}. Warns once about unknown keys. */
    ConfigLoader.Loaded load() {
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.discover(config, System.getenv(),
                    Path.of(System.getProperty("user.home", ".")));
            if (!loaded.unknownKeys().isEmpty()) {
                LOG.warn("{}: unknown keys ignored: {}", loaded.file() == null ? "configuration" : loaded.file(),
                        String.join(", ", loaded.unknownKeys()));
            }
            return loaded;
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        }
    }
}
