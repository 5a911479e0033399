package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.ConfigException;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.ConfigWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eyes config check [FILE]} and {@code eyes config show}. */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Check or show the configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new UserError("choose a subcommand: check or show");
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Validate a configuration file (or the one Eyes would use): exit 0 valid, 1 invalid.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions configOptions = new ConfigOptions();

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to check (default: as eyes run finds it).")
        Path file;

        @Override
        public Integer call() {
            Logging.configure(configOptions.verbose, Level.WARN);
            ConfigLoader.Loaded loaded;
            if (file != null) {
                try {
                    loaded = ConfigLoader.load(file, System.getenv());
                } catch (ConfigException e) {
                    throw new UserError(e.getMessage());
                }
            } else {
                loaded = configOptions.load();
            }
            PrintWriter out = spec.commandLine().getOut();
            String what = loaded.file() == null ? "built-in defaults (no config file found)" : loaded.file().toString();
            if (!loaded.unknownKeys().isEmpty()) {
                spec.commandLine().getErr().println("warning: " + what + ": unknown keys ignored: "
                        + String.join(", ", loaded.unknownKeys()));
            }
            out.println("valid: " + what);
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Print the effective configuration as TOML (secrets shown as ***).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions configOptions = new ConfigOptions();

        @Override
        public Integer call() {
            Logging.configure(configOptions.verbose, Level.WARN);
            ConfigLoader.Loaded loaded = configOptions.load();
            PrintWriter out = spec.commandLine().getOut();
            out.println("# effective configuration from "
                    + (loaded.file() == null ? "built-in defaults" : loaded.file()));
            out.print(ConfigWriter.toToml(loaded.config()));
            out.flush();
            return 0;
        }
    }
}
