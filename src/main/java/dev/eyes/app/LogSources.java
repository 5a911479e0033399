package dev.eyes.app;

import dev.eyes.config.EyesConfig;
import dev.eyes.config.LoggingConfig;
import dev.eyes.source.LogFormat;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.Source;
import dev.eyes.source.journald.JournaldSource;
import dev.eyes.source.oslog.OsLogSource;
import dev.eyes.source.syslog.FileTailSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds the log sources the configuration asks for on this platform, and says why any cannot run. */
final class LogSources {
    static final Duration FILE_POLL = Duration.ofMillis(500);

    /** The sources that can run, and a reason for each configured one that cannot. */
    record Plan(List<Source> sources, List<String> unavailable) {
    }

    private LogSources() {
    }

    static Plan build(EyesConfig config, Platform platform, Map<String, String> checkpoints, RestartPolicy policy) {
        LoggingConfig logging = config.logging();
        List<Source> sources = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : logging.sources()) {
            switch (s) {
                case "auto" -> {
                    if (platform == Platform.LINUX) {
                        wanted.add("journald");
                    } else if (platform == Platform.MACOS) {
                        wanted.add("oslog");
                    } else {
                        unavailable.add("no system log source is known for " + System.getProperty("os.name"));
                    }
                }
                case "none" -> {
                }
                default -> wanted.add(s);
            }
        }
        for (String s : wanted) {
            switch (s) {
                case "journald" -> {
                    Optional<java.nio.file.Path> journalctl = Platform.which("journalctl");
                    if (journalctl.isEmpty()) {
                        unavailable.add("journald: journalctl was not found on PATH");
                    } else {
                        sources.add(new JournaldSource(journalctl.get().toString(), logging.journaldPriority(),
                                logging.journaldDirectory(), logging.journaldNamespace(),
                                checkpoints.get(JournaldSource.ID), policy));
                    }
                }
                case "oslog" -> {
                    Optional<java.nio.file.Path> log = platform == Platform.MACOS ? Platform.which("log")
                            : Optional.empty();
                    if (platform != Platform.MACOS) {
                        unavailable.add("oslog: the unified log exists only on macOS");
                    } else if (log.isEmpty()) {
                        unavailable.add("oslog: the log command was not found on PATH");
                    } else {
                        sources.add(new OsLogSource(log.get().toString(), logging.predicate(), policy));
                    }
                }
                default -> unavailable.add(s + ": unknown source");
            }
        }
        for (LoggingConfig.FileSource f : logging.files()) {
            LogFormat format;
            try {
                format = LogFormat.parse(f.format());
            } catch (IllegalArgumentException e) {
                unavailable.add(f.path() + ": " + e.getMessage());
                continue;
            }
            sources.add(new FileTailSource(f.path(), format, logging, checkpoints.get(FileTailSource.idFor(f.path())),
                    FILE_POLL));
        }
        return new Plan(sources, unavailable);
    }
}
