package dev.eyes.alert.notify;

import dev.eyes.event.Severity;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.store.DeliveryAttempt;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desktop notifications through a command, as an argument list — never a shell, never text spliced into a
 * script:
 * <ul>
 *   <li>macOS: {@code osascript -e 'on run argv' -e 'display notification (item 2 of argv) with title (item 1 of
 *       argv)' -e 'end run' -- TITLE BODY} — the script is constant; title and body are its arguments;</li>
 *   <li>Linux: {@code notify-send --app-name=Eyes --urgency=low|normal|critical -- TITLE BODY} (urgency by
 *       severity; the body's {@code & < >} are escaped because notification servers read the body as markup).</li>
 * </ul>
 * The binary is looked up on {@code PATH} at each delivery (so installing it later works); a missing one is
 * logged once and each delivery is recorded failed with the reason.
 */
public final class DesktopNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopNotifier.class);
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final List<String> OSASCRIPT_SCRIPT = List.of("on run argv",
            "display notification (item 2 of argv) with title (item 1 of argv)", "end run");

    /** Which command. */
    public enum Kind {
        NOTIFY_SEND("notify-send", "install libnotify-bin (Debian, Ubuntu) or libnotify (Fedora, Arch)"),
        OSASCRIPT("osascript", "it ships with macOS; is /usr/bin on PATH?");

        final String binary;
        final String hint;

        Kind(String binary, String hint) {
            this.binary = binary;
            this.hint = hint;
        }
    }

    private final Kind kind;
    private final String path;
    private final CommandRunner runner;
    private final InstantSource clock;
    private final AtomicBoolean missingReported = new AtomicBoolean();

    /**
     * @param path   the {@code PATH} to search (the process's own in production; tests put stand-ins first)
     * @param runner runs the command (with a timeout)
     */
    public DesktopNotifier(Kind kind, String path, CommandRunner runner, InstantSource clock) {
        this.kind = kind;
        this.path = path == null ? "" : path;
        this.runner = runner;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "desktop (" + kind.binary + ")";
    }

    @Override
    public boolean accepts(Severity severity) {
        return true;
    }

    @Override
    public Duration deadline() {
        return TIMEOUT.plusSeconds(2);
    }

    /** The executable {@code name} in one of {@code path}'s directories, if any. */
    static Optional<Path> which(String name, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The command for {@code n}, {@code binary} first. */
    public static List<String> command(Kind kind, String binary, Notification n) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary);
        switch (kind) {
            case OSASCRIPT -> {
                for (String line : OSASCRIPT_SCRIPT) {
                    cmd.add("-e");
                    cmd.add(line);
                }
                cmd.add("--");
                cmd.add(n.title());
                cmd.add(n.body());
            }
            case NOTIFY_SEND -> {
                cmd.add("--app-name=Eyes");
                cmd.add("--urgency=" + urgency(n.severity()));
                cmd.add("--");
                cmd.add(n.title());
                cmd.add(markupEscaped(n.body()));
            }
        }
        return cmd;
    }

    static String urgency(Severity s) {
        return switch (s) {
            case INFO -> "low";
            case WARNING -> "normal";
            case CRITICAL -> "critical";
        };
    }

    /** The body as literal text for servers that read it as markup (the Desktop Notifications spec). */
    static String markupEscaped(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public List<DeliveryAttempt> deliver(Notification n) {
        Optional<Path> bin = which(kind.binary, path);
        if (bin.isEmpty()) {
            String why = kind.binary + " not found on PATH (" + kind.hint + ")";
            if (missingReported.compareAndSet(false, true)) {
                LOG.warn("desktop notifications cannot be shown: {}; alerts are recorded as delivery_failed "
                        + "(webhooks still work)", why);
            }
            return List.of(DeliveryAttempt.failed(name(), clock.instant(), why));
        }
        missingReported.set(false);
        var at = clock.instant();
        CommandRunner.Result r = runner.run(command(kind, bin.get().toString(), n), TIMEOUT);
        if (r.ok()) {
            return List.of(DeliveryAttempt.delivered(name(), at));
        }
        return List.of(DeliveryAttempt.failed(name(), at, r.describe(kind.binary)));
    }
}
