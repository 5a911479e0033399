package dev.eyes.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Sets the log level: {@code --verbose} → debug; else env {@code EYES_LOG} (debug|info|warn|error); else the command's default. */
final class Logging {
    static final String ENV = "EYES_LOG";

    private Logging() {
    }

    static void configure(boolean verbose, Level defaultLevel) {
        Level level = defaultLevel;
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Level parsed = Level.toLevel(env.trim().toUpperCase(Locale.ROOT), null);
            if (parsed != null) {
                level = parsed;
            }
        }
        if (verbose) {
            level = Level.DEBUG;
        }
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
    }
}
