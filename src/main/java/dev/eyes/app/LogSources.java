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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Plans the log sources the configuration asks for on this platform, and says why any cannot run. */
final class LogSources {
    /** Tailed files wake on inotify; this is only the fallback look (a watch can miss some rotation schemes). */
    static final Duration FILE_POLL = Duration.ofSeconds(5);

    /**
     * One log source to run.
     *
     * @param id       its name and checkpoint id ({@code journald}, {@code oslog}, {@code file:/var/log/syslog})
     * @param settings everything it is built from: equal settings mean a reload can leave it running
     * @param location where it reads: a saved position carries over to a rebuilt source only for the same location
     * @param create   builds it, resuming at the given position (null: its first-start rule)
     */
    record Spec(String id, Object settings, Object location, Function<String, Source> create) {
    }

    /** A configured source that cannot run here, and why. */
    record Unavailable(String name, String reason) {
        @Override
        public String toString() {
            return name + ": " + reason;
        }
    }

    /** The sources that can run, and a reason for each configured one that cannot. */
    record Plan(List<Spec> specs, List<Unavailable> unavailable) {
    }

    private LogSources() {
    }

    static Plan plan(EyesConfig config, Platform platform, RestartPolicy policy) {
        LoggingConfig logging = config.logging();
        List<Spec> specs = new ArrayList<>();
        List<Unavailable> unavailable = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : logging.sources()) {
            switch (s) {
                case "auto" -> {
                    if (platform == Platform.LINUX) {
                        wanted.add("journald");
                    } else if (platform == Platform.MACOS) {
                        wanted.add("oslog");
                    } else {
                        unavailable.add(new Unavailable("system log",
                                "no system log source is known for " + System.getProperty("os.name")));
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
                    Optional<Path> journalctl = Platform.which("journalctl");
                    if (journalctl.isEmpty()) {
                        unavailable.add(new Unavailable(JournaldSource.ID, "journalctl was not found on PATH"));
                    } else {
                        String bin = journalctl.get().toString();
                        String priority = logging.journaldPriority();
                        String dir = logging.journaldDirectory();
                        String ns = logging.journaldNamespace();
                        specs.add(new Spec(JournaldSource.ID, List.of(bin, priority, dir, ns), List.of(dir, ns),
                                cursor -> new JournaldSource(bin, priority, dir, ns, cursor, policy)));
                    }
                }
                case "oslog" -> {
                    Optional<Path> log = platform == Platform.MACOS ? Platform.which("log") : Optional.empty();
                    if (platform != Platform.MACOS) {
                        unavailable.add(new Unavailable(OsLogSource.ID, "the unified log exists only on macOS"));
                    } else if (log.isEmpty()) {
                        unavailable.add(new Unavailable(OsLogSource.ID, "the log command was not found on PATH"));
                    } else {
                        String bin = log.get().toString();
                        String predicate = logging.predicate();
                        specs.add(new Spec(OsLogSource.ID, List.of(bin, predicate), List.of(),
                                ignored -> new OsLogSource(bin, predicate, policy)));
                    }
                }
                default -> unavailable.add(new Unavailable(s, "unknown source"));
            }
        }
        for (LoggingConfig.FileSource f : logging.files()) {
            LogFormat format;
            try {
                format = LogFormat.parse(f.format());
            } catch (IllegalArgumentException e) {
                unavailable.add(new Unavailable(FileTailSource.idFor(f.path()), e.getMessage()));
                continue;
            }
            String id = FileTailSource.idFor(f.path());
            // the error keywords shape how syslog and plain lines are read
            Object settings = List.of(format, format == LogFormat.SYSLOG || format == LogFormat.PLAIN
                    ? logging.errorKeywords() : List.of());
            specs.add(new Spec(id, settings, id,
                    position -> new FileTailSource(f.path(), format, logging, position, FILE_POLL)));
        }
        return new Plan(specs, unavailable);
    }

    /** The sources themselves, resuming at the saved positions (for tests and simple callers). */
    static List<Source> build(Plan plan, Map<String, String> positions) {
        List<Source> out = new ArrayList<>();
        for (Spec s : plan.specs()) {
            out.add(s.create().apply(positions.get(s.id())));
        }
        return out;
    }
}
