package dev.eyes.alert.notify;

import dev.eyes.config.AlertsConfig;
import dev.eyes.source.Platform;
import dev.eyes.source.metrics.CommandRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The notifiers {@code eyes run} uses: the desktop (only with {@code --enable-notifications}) and each webhook. */
public final class Notifiers {
    private static final Logger LOG = LoggerFactory.getLogger(Notifiers.class);
    public static final Duration WEBHOOK_BACKOFF = Duration.ofSeconds(1);

    private Notifiers() {
    }

    public static List<Notifier> create(AlertsConfig config, boolean desktop, Platform platform, InstantSource clock) {
        List<Notifier> out = new ArrayList<>();
        if (desktop) {
            String path = System.getenv("PATH");
            switch (platform) {
                case MACOS -> out.add(new DesktopNotifier(DesktopNotifier.Kind.OSASCRIPT, path, CommandRunner.SYSTEM,
                        clock));
                case LINUX -> out.add(new DesktopNotifier(DesktopNotifier.Kind.NOTIFY_SEND, path,
                        CommandRunner.SYSTEM, clock));
                default -> LOG.warn("--enable-notifications: desktop notifications are not available on {}",
                        platform.display());
            }
        }
        String host = hostname();
        int i = 1;
        for (AlertsConfig.Webhook w : config.webhooks()) {
            out.add(new WebhookNotifier(i++, w, host, WEBHOOK_BACKOFF, clock));
        }
        return out;
    }

    /** This machine's name, without a DNS lookup where the kernel says it. */
    public static String hostname() {
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) {
                String h = Files.readString(p).strip();
                if (!h.isEmpty()) {
                    return h;
                }
            }
        } catch (IOException ignored) {
            // fall back
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
