package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.ConfigException;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.source.Platform;
import dev.eyes.store.Database;
import dev.eyes.store.Heartbeat;
import dev.eyes.store.HeartbeatStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eyes service install|uninstall|status}: run Eyes as a service — a systemd unit on Linux (a user unit, or a
 * system unit with {@code --system}), a launchd agent (or daemon) on macOS. See {@link ServiceFiles} for what the
 * files contain.
 */
@Command(name = "service", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Install Eyes as a service (systemd on Linux, launchd on macOS), remove it, or show its state.",
        subcommands = {ServiceCommand.Install.class, ServiceCommand.Uninstall.class, ServiceCommand.Status.class})
final class ServiceCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new UserError("choose a subcommand: install, uninstall or status");
    }

    /** Where things are for one kind of service on one platform. */
    record Layout(Platform os, boolean system, Path file, Path stateDirectory, Path logDirectory) {
        static Layout of(Platform os, boolean system, Map<String, String> env) {
            Path home = home(env);
            if (os == Platform.MACOS) {
                if (system) {
                    return new Layout(os, true, Path.of("/Library/LaunchDaemons", ServiceFiles.LAUNCHD_LABEL + ".plist"),
                            Path.of("/Library/Application Support/eyes"), Path.of("/Library/Logs/eyes"));
                }
                return new Layout(os, false, home.resolve("Library/LaunchAgents/" + ServiceFiles.LAUNCHD_LABEL + ".plist"),
                        home.resolve("Library/Application Support/eyes"), home.resolve("Library/Logs/eyes"));
            }
            if (system) {
                return new Layout(os, true, Path.of("/etc/systemd/system", ServiceFiles.UNIT_NAME),
                        Path.of("/var/lib/eyes"), null);
            }
            Path config = xdg(env, "XDG_CONFIG_HOME", home.resolve(".config"));
            Path state = xdg(env, "XDG_STATE_HOME", home.resolve(".local/state"));
            return new Layout(os, false, config.resolve("systemd/user").resolve(ServiceFiles.UNIT_NAME),
                    state.resolve("eyes"), null);
        }

        private static Path home(Map<String, String> env) {
            String h = env.get("HOME");
            return Path.of(h != null && !h.isBlank() ? h : System.getProperty("user.home", "/"));
        }

        private static Path xdg(Map<String, String> env, String name, Path fallback) {
            String v = env.get(name);
            return v != null && v.startsWith("/") ? Path.of(v) : fallback;
        }

        String manager() {
            return os == Platform.MACOS ? "launchd" : "systemd";
        }
    }

    abstract static class Common {
        @Spec
        CommandSpec spec;

        @Option(names = "--system", description = "A system-wide service (systemd system unit / launchd daemon;"
                + " needs root) instead of one for the current user.")
        boolean system;

        @Option(names = "--os", hidden = true, description = "Write the file of another platform (linux, macos);"
                + " only with --dry-run. For tests.")
        String os;

        Platform platform() {
            Platform host = Platform.detect();
            if (os == null) {
                if (host == Platform.OTHER) {
                    throw new UserError("services are supported on Linux (systemd) and macOS (launchd), not on "
                            + System.getProperty("os.name"));
                }
                return host;
            }
            return switch (os.toLowerCase(Locale.ROOT)) {
                case "linux" -> Platform.LINUX;
                case "macos", "darwin" -> Platform.MACOS;
                default -> throw new UserError("--os must be linux or macos, got \"" + os + "\"");
            };
        }

        Layout layout() {
            return Layout.of(platform(), system, System.getenv());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Write the service file and (where the service manager runs) enable and start it.")
    static final class Install extends Common implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file the service"
                + " runs with (default: the one eyes run would find now, else built-in defaults).")
        Path config;

        @Option(names = "--launcher", paramLabel = "PATH", description = "The eyes launcher the service runs"
                + " (default: bin/eyes of this checkout).")
        Path launcher;

        @Option(names = "--dry-run", description = "Print the file instead of writing it; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Logging.configure(false, Level.WARN);
            if (os != null && !dryRun) {
                throw new UserError("--os is only for --dry-run");
            }
            Layout layout = layout();
            Path launcherPath = Launcher.locate(launcher);
            Path configFile = configFile();
            EyesConfig cfg = loadConfig(configFile);
            List<Path> writable = new ArrayList<>();
            Path db = cfg.storage().databasePath();
            if (db.isAbsolute() && db.getParent() != null) {
                writable.add(db.getParent());
            }
            Path readme = launcherPath.getParent() == null ? null : launcherPath.getParent().resolveSibling("README.md");
            ServiceFiles.Spec s = new ServiceFiles.Spec(system, launcherPath, configFile, writable,
                    Platform.which("kill").map(Path::toString).orElse("/bin/kill"), Version.current(),
                    readme != null && Files.isRegularFile(readme) ? readme : null);
            String text = layout.os() == Platform.MACOS
                    ? ServiceFiles.launchdPlist(s, layout.stateDirectory(), layout.logDirectory())
                    : ServiceFiles.systemdUnit(s);
            if (dryRun) {
                out().print(text);
                out().flush();
                return 0;
            }
            Files.createDirectories(layout.file().getParent());
            Files.writeString(layout.file(), text, StandardCharsets.UTF_8);
            out().println("wrote " + layout.file());
            out().println("runs: " + String.join(" ", s.arguments()));
            return layout.os() == Platform.MACOS ? launchdLoad(layout) : systemdEnable(layout);
        }

        private Path configFile() {
            if (config != null) {
                return config.toAbsolutePath().normalize();
            }
            Map<String, String> env = System.getenv();
            String fromEnv = env.get(ConfigLoader.ENV_CONFIG);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Path.of(fromEnv).toAbsolutePath().normalize();
            }
            Path user = Layout.home(env).resolve(".config/eyes/config.toml");
            return Files.isRegularFile(user) ? user.toAbsolutePath().normalize() : null;
        }

        private int systemdEnable(Layout layout) {
            Optional<String> notRunning = Systemd.notRunning();
            String ctl = "systemctl" + (layout.system() ? "" : " --user");
            if (notRunning.isPresent()) {
                out().println("systemd: " + notRunning.get() + ", so the unit was written but not enabled.");
                out().println("Where systemd runs: " + ctl + " daemon-reload && " + ctl + " enable --now eyes.service");
                if (!layout.system()) {
                    out().println("To keep a user service running while you are logged out: loginctl enable-linger");
                }
                return 0;
            }
            Exec.quiet(systemctl(layout, "daemon-reload"));
            Exec.Result r = Exec.quiet(systemctl(layout, "enable", "--now", ServiceFiles.UNIT_NAME));
            if (!r.ok()) {
                throw new UserError(ctl + " enable --now eyes.service failed: " + r.output().strip());
            }
            out().println("enabled and started eyes.service; logs: journalctl " + (layout.system() ? "" : "--user ")
                    + "-u eyes");
            if (!layout.system()) {
                out().println("To keep it running while you are logged out: loginctl enable-linger");
            }
            return 0;
        }

        private int launchdLoad(Layout layout) throws IOException {
            Files.createDirectories(layout.stateDirectory());
            Files.createDirectories(layout.logDirectory());
            String domain = Launchd.domain(layout);
            Exec.quiet(List.of("launchctl", "bootout", domain + "/" + ServiceFiles.LAUNCHD_LABEL));
            Exec.Result r = Exec.quiet(List.of("launchctl", "bootstrap", domain, layout.file().toString()));
            if (!r.ok()) {
                throw new UserError("launchctl bootstrap " + domain + " failed: " + r.output().strip());
            }
            out().println("loaded " + ServiceFiles.LAUNCHD_LABEL + "; logs: " + layout.logDirectory());
            return 0;
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Stop and disable the service and remove its file.")
    static final class Uninstall extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Logging.configure(false, Level.WARN);
            Layout layout = layout();
            if (!Files.exists(layout.file())) {
                out().println("not installed: " + layout.file() + " does not exist");
                return 0;
            }
            if (layout.os() == Platform.MACOS) {
                Exec.quiet(List.of("launchctl", "bootout",
                        Launchd.domain(layout) + "/" + ServiceFiles.LAUNCHD_LABEL));
            } else if (Systemd.notRunning().isEmpty()) {
                Exec.quiet(systemctl(layout, "disable", "--now", ServiceFiles.UNIT_NAME));
            }
            Files.delete(layout.file());
            out().println("removed " + layout.file());
            if (layout.os() == Platform.LINUX && Systemd.notRunning().isEmpty()) {
                Exec.quiet(systemctl(layout, "daemon-reload"));
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Show whether the service is installed, what the service manager says about it, and"
                    + " whether an observer is running (its heartbeat). Exit 0 when installed, 1 when not.")
    static final class Status extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Logging.configure(false, Level.WARN);
            Layout layout = layout();
            PrintWriter out = out();
            boolean installed = Files.isRegularFile(layout.file());
            out.println((layout.os() == Platform.MACOS ? "plist: " : "unit: ") + layout.file()
                    + (installed ? " (installed)" : " (not installed)"));
            List<String> args = List.of();
            if (installed) {
                args = installedArguments(layout, Files.readString(layout.file(), StandardCharsets.UTF_8));
                out.println("runs: " + String.join(" ", args));
            }
            if (layout.os() == Platform.LINUX) {
                Optional<String> notRunning = Systemd.notRunning();
                if (notRunning.isPresent()) {
                    out.println("systemd: " + notRunning.get() + "; the service cannot be started here");
                } else if (installed) {
                    Exec.Result enabled = Exec.quiet(systemctl(layout, "is-enabled", ServiceFiles.UNIT_NAME));
                    Exec.Result active = Exec.quiet(systemctl(layout, "is-active", ServiceFiles.UNIT_NAME));
                    out.println("systemd: " + enabled.output().strip() + ", " + active.output().strip());
                }
            } else if (installed) {
                Exec.Result r = Exec.quiet(List.of("launchctl", "print",
                        Launchd.domain(layout) + "/" + ServiceFiles.LAUNCHD_LABEL));
                String state = r.output().lines().map(String::strip).filter(l -> l.startsWith("state = "))
                        .findFirst().orElse(r.ok() ? "loaded" : "not loaded");
                out.println("launchd: " + state);
            }
            if (installed) {
                heartbeat(out, layout, args);
            }
            out.flush();
            return installed ? 0 : 1;
        }

        /** The observer's heartbeat in the database the service uses. */
        private static void heartbeat(PrintWriter out, Layout layout, List<String> args) {
            Path config = null;
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).equals("--config") || args.get(i).equals("-c")) {
                    config = Path.of(args.get(i + 1));
                }
            }
            EyesConfig cfg;
            try {
                cfg = config == null ? EyesConfig.defaults() : ConfigLoader.load(config, System.getenv()).config();
            } catch (ConfigException e) {
                out.println("observer: unknown (" + e.getMessage() + ")");
                return;
            }
            Path db = layout.stateDirectory().resolve(cfg.storage().databasePath());
            if (!Files.exists(db)) {
                out.println("observer: never ran (no database at " + db + ")");
                return;
            }
            try {
                Optional<Heartbeat> hb = new HeartbeatStore(Database.open(db)).read();
                out.println("observer: " + hb.map(h -> h.describe(Instant.now()))
                        .orElse("never ran (no heartbeat in " + db + ")") + "; database " + db);
            } catch (Exception e) {
                out.println("observer: unknown (cannot read " + db + ": " + e.getMessage() + ")");
            }
        }
    }

    /** ExecStart's words (systemd) or ProgramArguments (launchd) of an installed file. */
    static List<String> installedArguments(Layout layout, String text) {
        if (layout.os() == Platform.MACOS) {
            List<String> out = new ArrayList<>();
            int start = text.indexOf("<key>ProgramArguments</key>");
            int end = text.indexOf("</array>", start);
            if (start < 0 || end < 0) {
                return out;
            }
            for (String part : text.substring(start, end).split("<string>")) {
                int close = part.indexOf("</string>");
                if (close >= 0) {
                    out.add(part.substring(0, close).replace("&lt;", "<").replace("&gt;", ">")
                            .replace("&quot;", "\"").replace("&amp;", "&"));
                }
            }
            return out;
        }
        return text.lines().filter(l -> l.startsWith("ExecStart=")).findFirst()
                .map(l -> splitExec(l.substring("ExecStart=".length()))).orElse(List.of());
    }

    /** Splits a systemd command line written by {@link ServiceFiles#execLine}. */
    static List<String> splitExec(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else if ((c == '%' || c == '$') && i + 1 < line.length() && line.charAt(i + 1) == c) {
                    cur.append(c);
                    i++;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || !cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (any || !cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static EyesConfig loadConfig(Path file) {
        if (file == null) {
            return EyesConfig.defaults();
        }
        try {
            return ConfigLoader.load(file, System.getenv()).config();
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static List<String> systemctl(Layout layout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("systemctl");
        if (!layout.system()) {
            cmd.add("--user");
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Whether systemd is the service manager here (sd_booted(3): {@code /run/systemd/system} exists). */
    static final class Systemd {
        private Systemd() {
        }

        /** Empty when systemd runs; else why not, e.g. "systemd is not running on this machine (PID 1 is init)". */
        static Optional<String> notRunning() {
            if (Files.isDirectory(Path.of("/run/systemd/system"))) {
                return Optional.empty();
            }
            String pid1;
            try {
                pid1 = Files.readString(Path.of("/proc/1/comm")).strip();
            } catch (IOException e) {
                pid1 = "unknown";
            }
            return Optional.of("systemd is not running on this machine (PID 1 is " + pid1 + ")");
        }
    }

    static final class Launchd {
        private Launchd() {
        }

        static String domain(Layout layout) {
            if (layout.system()) {
                return "system";
            }
            long uid;
            try {
                uid = new com.sun.security.auth.module.UnixSystem().getUid();
            } catch (RuntimeException | LinkageError e) {
                uid = 501;
            }
            return "gui/" + uid;
        }
    }

    /** Where the launcher is: {@code --launcher}, else {@code $EYES_LAUNCHER} (set by bin/eyes), else the checkout's. */
    static final class Launcher {
        private Launcher() {
        }

        static Path locate(Path given) {
            if (given != null) {
                Path p = given.toAbsolutePath().normalize();
                if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                    throw new UserError("--launcher " + given + " is not an executable file");
                }
                return p;
            }
            String env = System.getenv("EYES_LAUNCHER");
            if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
                return checkBuilt(Path.of(env).toAbsolutePath().normalize());
            }
            try {
                Path code = Path.of(ServiceCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                // target/eyes.jar or target/classes → the checkout → bin/eyes
                Path target = code.getParent();
                if (target != null && target.getParent() != null) {
                    Path bin = target.getParent().resolve("bin/eyes");
                    if (Files.isExecutable(bin)) {
                        return checkBuilt(bin.toAbsolutePath().normalize());
                    }
                }
            } catch (Exception e) {
                // fall through
            }
            throw new UserError("cannot tell where the eyes launcher is; pass --launcher /path/to/bin/eyes");
        }

        /** A checkout's launcher runs its built jar: the service must not have to build it. */
        private static Path checkBuilt(Path launcher) {
            Path root = launcher.getParent() == null ? null : launcher.getParent().getParent();
            if (root != null && Files.isRegularFile(root.resolve("pom.xml"))
                    && !Files.isRegularFile(root.resolve("target/eyes.jar"))) {
                throw new UserError("build Eyes first (run " + launcher + " version): the service runs "
                        + root.resolve("target/eyes.jar") + " and does not build it");
            }
            return launcher;
        }
    }

    /** Runs a service-manager command and returns its exit status and output (stdout and stderr together). */
    static final class Exec {
        record Result(int code, String output) {
            boolean ok() {
                return code == 0;
            }
        }

        private Exec() {
        }

        static Result quiet(List<String> cmd) {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                byte[] b = p.getInputStream().readNBytes(64 * 1024);
                if (!p.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, String.join(" ", cmd) + " timed out");
                }
                return new Result(p.exitValue(), new String(b, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return new Result(-1, "cannot run " + cmd.getFirst() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(-1, "interrupted");
            }
        }
    }
}
