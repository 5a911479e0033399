package dev.eyes.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eyes.alert.AlertText;
import dev.eyes.analysis.Insight;
import dev.eyes.event.Severity;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.store.DeliveryAttempt;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Desktop notifications never pass text through a shell or into script source: recording stand-ins for
 * {@code osascript} and {@code notify-send}, first on PATH, receive hostile titles and bodies as exact argv entries,
 * and nothing in them runs.
 */
class DesktopNotifierTest {
    @TempDir
    Path dir;

    Path bin;
    Path calls;
    String path;

    /** A stand-in that writes its arguments, NUL-separated, to a new file per call, and exits {@code status}. */
    private void standIn(String name, int status, String stderr) throws Exception {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n"
                + "printf '%s\\0' \"$@\" > \"" + calls + "/" + name + ".$$\"\n"
                + (stderr.isEmpty() ? "" : "echo '" + stderr + "' >&2\n")
                + "exit " + status + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @BeforeEach
    void setUp() throws Exception {
        bin = Files.createDirectories(dir.resolve("bin"));
        calls = Files.createDirectories(dir.resolve("calls"));
        path = bin + File.pathSeparator + System.getenv("PATH");
    }

    private List<List<String>> recorded(String name) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(calls)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(name + ".")).sorted().toList()) {
                String all = Files.readString(f, StandardCharsets.UTF_8);
                List<String> args = new ArrayList<>(Arrays.asList(all.split("\0", -1)));
                args.removeLast(); // after the last NUL
                out.add(args);
            }
        }
        return out;
    }

    private String hostile() {
        return "It's \"broken\" `touch " + dir.resolve("backtick") + "` $(touch " + dir.resolve("dollar") + ")"
                + " \" & do shell script \"touch " + dir.resolve("applescript") + "\" & \"\n; rm -rf / #\n"
                + "-e 'end run' -- --urgency=low <b>bold</b> & more\n" + "x".repeat(5 * 1024);
    }

    private static Notification note(Severity s, String title, String body) {
        return new Notification(1, 42, 42, s, title, body, "CrashDetectionRule", "app.service/app", () -> null);
    }

    private void assertNothingRan() {
        assertThat(dir.resolve("backtick")).doesNotExist();
        assertThat(dir.resolve("dollar")).doesNotExist();
        assertThat(dir.resolve("applescript")).doesNotExist();
    }

    @Test
    void osascriptGetsTitleAndBodyAsArgumentsOfAConstantScript() throws Exception {
        standIn("osascript", 0, "");
        String title = hostile();
        String body = "body " + hostile();
        DesktopNotifier n = new DesktopNotifier(DesktopNotifier.Kind.OSASCRIPT, path, CommandRunner.SYSTEM,
                InstantSource.system());
        List<DeliveryAttempt> attempts = n.deliver(note(Severity.CRITICAL, title, body));
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.delivered()).isTrue();
            assertThat(a.notifier()).isEqualTo("desktop (osascript)");
        });
        assertThat(recorded("osascript")).singleElement().isEqualTo(List.of(
                "-e", "on run argv",
                "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
                "-e", "end run",
                "--", title, body));
        assertNothingRan();
    }

    @Test
    void notifySendGetsAnArgumentListWithUrgencyBySeverityAndALiteralBody() throws Exception {
        standIn("notify-send", 0, "");
        String title = hostile();
        DesktopNotifier n = new DesktopNotifier(DesktopNotifier.Kind.NOTIFY_SEND, path, CommandRunner.SYSTEM,
                InstantSource.system());
        for (Severity s : Severity.values()) {
            assertThat(n.deliver(note(s, title, "<i>" + s + "</i> & " + hostile())).getFirst().delivered()).isTrue();
        }
        List<List<String>> calls = recorded("notify-send");
        assertThat(calls).hasSize(3);
        assertThat(calls).extracting(c -> c.get(1)).containsExactlyInAnyOrder("--urgency=low", "--urgency=normal",
                "--urgency=critical");
        for (List<String> c : calls) {
            assertThat(c).hasSize(5);
            assertThat(c.get(0)).isEqualTo("--app-name=Eyes");
            assertThat(c.get(2)).isEqualTo("--");
            assertThat(c.get(3)).isEqualTo(title);
            // the body is markup to notification servers: escaped so it shows as written
            assertThat(c.get(4)).startsWith("&lt;i&gt;").contains("&lt;b&gt;bold&lt;/b&gt; &amp; more\n")
                    .doesNotContain("<").endsWith("x".repeat(5 * 1024));
        }
        assertNothingRan();
    }

    @Test
    void throughTheAlertTextTheArgumentsAreTheStoredTitleAndBody() throws Exception {
        standIn("notify-send", 0, "");
        Insight i = new Insight(hostile(), "`id`", List.of("$(reboot)"), List.of(), "high", "low", List.of(),
                Severity.WARNING);
        DesktopNotifier n = new DesktopNotifier(DesktopNotifier.Kind.NOTIFY_SEND, path, CommandRunner.SYSTEM,
                InstantSource.system());
        n.deliver(note(Severity.WARNING, AlertText.title(i), AlertText.body(i)));
        List<String> args = recorded("notify-send").getFirst();
        assertThat(args.get(3)).isEqualTo(AlertText.title(i));
        assertThat(args.get(3).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256);
        assertThat(args.get(4)).isEqualTo(AlertText.body(i)).contains("Cause: `id`").contains("1. $(reboot)");
        assertNothingRan();
    }

    @Test
    void aFailingCommandIsRecordedWithItsExitStatusAndStderr() throws Exception {
        standIn("notify-send", 1, "Could not connect: No such file or directory");
        DesktopNotifier n = new DesktopNotifier(DesktopNotifier.Kind.NOTIFY_SEND, path, CommandRunner.SYSTEM,
                InstantSource.system());
        DeliveryAttempt a = n.deliver(note(Severity.WARNING, "t", "b")).getFirst();
        assertThat(a.delivered()).isFalse();
        assertThat(a.error()).isEqualTo("notify-send exited with status 1: Could not connect: No such file or "
                + "directory");
    }

    @Test
    void aMissingBinaryIsReportedOnceAndEachDeliveryRecordedFailed() {
        Logger log = (Logger) LoggerFactory.getLogger(DesktopNotifier.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        log.addAppender(logs);
        try {
            DesktopNotifier n = new DesktopNotifier(DesktopNotifier.Kind.NOTIFY_SEND, bin.toString(),
                    CommandRunner.SYSTEM, InstantSource.system());
            for (int i = 0; i < 3; i++) {
                DeliveryAttempt a = n.deliver(note(Severity.WARNING, "t", "b")).getFirst();
                assertThat(a.delivered()).isFalse();
                assertThat(a.error()).isEqualTo("notify-send not found on PATH (install libnotify-bin (Debian, "
                        + "Ubuntu) or libnotify (Fedora, Arch))");
            }
            assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("not found on PATH")).hasSize(1);
            DesktopNotifier mac = new DesktopNotifier(DesktopNotifier.Kind.OSASCRIPT, "", CommandRunner.SYSTEM,
                    InstantSource.system());
            assertThat(mac.deliver(note(Severity.WARNING, "t", "b")).getFirst().error())
                    .startsWith("osascript not found on PATH");
        } finally {
            log.detachAppender(logs);
        }
    }
}
