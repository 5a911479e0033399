package dev.eyes.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service definitions {@code eyes service install} writes: a systemd unit (Linux) and a launchd property list
 * (macOS). Pure functions of {@link Spec}, so they are tested as text and with the platforms' own checkers
 * ({@code systemd-analyze verify}; a property-list parser).
 */
final class ServiceFiles {
    static final String UNIT_NAME = "eyes.service";
    static final String LAUNCHD_LABEL = "dev.eyes.observer";
    /**
     * cgroup memory: reclaim and throttle above MemoryHigh, kill (and restart) above MemoryMax. Idle, Eyes and its
     * journalctl hold ~75 MB; the JVM's own ceilings (192 MB heap, 96 MB metaspace, 32 MB code) plus native memory
     * stay under MemoryMax, so reaching it means a leak, not a busy day.
     */
    static final String MEMORY_HIGH = "256M";
    static final String MEMORY_MAX = "384M";

    /**
     * What a service runs.
     *
     * @param system     a system unit / launch daemon (true) or a user unit / launch agent (false)
     * @param launcher   the absolute path of the {@code eyes} launcher ({@code bin/eyes} of a checkout)
     * @param config     the absolute configuration file, or null for Eyes' own discovery (defaults)
     * @param writable   directories the service must be able to write besides its state and cache directories
     *                   (an absolute {@code storage.database_path}'s directory)
     * @param kill       absolute path of {@code kill} for {@code ExecReload}
     * @param version    Eyes' version, written in a comment
     * @param docs       where the documentation is (the checkout's README), or null
     */
    record Spec(boolean system, Path launcher, Path config, List<Path> writable, String kill, String version,
                Path docs) {
        List<String> arguments() {
            List<String> args = new ArrayList<>();
            args.add(launcher.toString());
            args.add("run");
            if (config != null) {
                args.add("--config");
                args.add(config.toString());
            }
            return args;
        }
    }

    private ServiceFiles() {
    }

    /**
     * A systemd unit. It restarts Eyes when it fails (not after a clean stop), caps its memory, reloads it with
     * SIGHUP, and sandboxes it as far as reading the journal, {@code /proc}, {@code /sys} and {@code /dev/nvidia*}
     * allows. A user unit gets only the settings a user manager can apply without user namespaces (which would
     * hide the journal's group permissions): file-system namespacing ({@code ProtectSystem=} and friends) is for
     * system units only.
     */
    static String systemdUnit(Spec s) {
        StringBuilder b = new StringBuilder();
        b.append("# Written by `eyes service install").append(s.system() ? " --system" : "").append("` (Eyes ")
                .append(s.version()).append("); `eyes service uninstall").append(s.system() ? " --system" : "")
                .append("` removes it.\n");
        b.append("# Edit with `systemctl").append(s.system() ? "" : " --user")
                .append(" edit eyes.service` (a drop-in survives a re-install).\n");
        b.append("[Unit]\n");
        b.append("Description=Eyes host observer (logs, metrics and disk I/O; AI triage)\n");
        if (s.docs() != null && s.docs().toString().matches("[A-Za-z0-9/._+-]+")) {
            b.append("Documentation=file://").append(s.docs()).append('\n');
        }
        if (s.system()) {
            b.append("After=systemd-journald.service\n");
        }
        b.append('\n');
        b.append("[Service]\n");
        b.append("Type=exec\n");
        b.append("ExecStart=").append(execLine(s.arguments())).append('\n');
        b.append("ExecReload=").append(s.kill()).append(" -HUP $MAINPID\n");
        b.append("Restart=on-failure\n");
        b.append("RestartSec=5s\n");
        // SIGTERM makes Eyes stop its sources, drain the loop and write what is pending (≈5 s at most); its own
        // children (journalctl, nvidia-smi) are stopped by Eyes itself, so only the main process gets SIGTERM
        b.append("KillMode=mixed\n");
        b.append("TimeoutStopSec=20s\n");
        // the launcher must not try to rebuild the jar under a read-only sandbox
        b.append("Environment=EYES_NO_BUILD=1\n");
        b.append("StateDirectory=eyes\n");
        b.append("WorkingDirectory=%S/eyes\n");
        b.append("MemoryHigh=").append(MEMORY_HIGH).append('\n');
        b.append("MemoryMax=").append(MEMORY_MAX).append('\n');
        b.append("TasksMax=256\n");
        b.append("UMask=0077\n");
        b.append("NoNewPrivileges=yes\n");
        b.append("LockPersonality=yes\n");
        b.append("RestrictRealtime=yes\n");
        b.append("RestrictSUIDSGID=yes\n");
        b.append("RestrictNamespaces=yes\n");
        b.append("SystemCallArchitectures=native\n");
        b.append("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n");
        if (s.system()) {
            // read-only everything but the state/cache directories (and the database's, when it lives elsewhere);
            // /proc, /sys and /dev stay readable
            b.append("ProtectSystem=strict\n");
            for (Path w : s.writable()) {
                b.append("ReadWritePaths=").append(pathValue(w)).append('\n');
            }
            b.append("ProtectHome=read-only\n");
            b.append("PrivateTmp=yes\n");
            b.append("ProtectKernelTunables=yes\n");
            b.append("ProtectKernelModules=yes\n");
            b.append("ProtectKernelLogs=yes\n");
            b.append("ProtectControlGroups=yes\n");
            b.append("ProtectHostname=yes\n");
            // root, but only able to read what it is not the owner of (log files of other users); no other powers
            b.append("CapabilityBoundingSet=CAP_DAC_READ_SEARCH\n");
            // not set: ProtectClock= and PrivateDevices= (both close /dev, and nvidia-smi needs /dev/nvidia*),
            // ProtectProc=invisible (hides the processes Eyes reports), MemoryDenyWriteExecute= (breaks the JIT),
            // PrivateUsers=/DynamicUser= (the journal is readable by root and the systemd-journal group only)
        }
        b.append('\n');
        b.append("[Install]\n");
        b.append("WantedBy=").append(s.system() ? "multi-user.target" : "default.target").append('\n');
        return b.toString();
    }

    /** A path for a path-list setting (ReadWritePaths=): quoted when it has spaces; % and \\ escaped. */
    static String pathValue(Path p) {
        String v = p.toString().replace("\\", "\\\\").replace("%", "%%");
        return v.matches("[^\\s\"']+") ? v : "\"" + v.replace("\"", "\\\"") + "\"";
    }

    /** Quotes arguments for a systemd command line: plain when safe, else in double quotes with escapes. */
    static String execLine(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            if (a.matches("[A-Za-z0-9_@+=:,./-]+")) {
                b.append(a);
            } else {
                b.append('"');
                for (char c : a.toCharArray()) {
                    switch (c) {
                        case '"', '\\' -> b.append('\\').append(c);
                        case '%' -> b.append("%%");
                        case '$' -> b.append("$$");
                        default -> b.append(c);
                    }
                }
                b.append('"');
            }
        }
        return b.toString();
    }

    /**
     * A launchd property list: a launch agent (the user's, {@code ~/Library/LaunchAgents}) or a launch daemon
     * ({@code --system}, {@code /Library/LaunchDaemons}). {@code KeepAlive} restarts Eyes when it exits with a
     * failure (not after a clean stop), like {@code Restart=on-failure}; stdout and stderr go to log files.
     */
    static String launchdPlist(Spec s, Path workingDirectory, Path logDirectory) {
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""
                + " \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        // (an XML comment may not contain "--", so the option is not spelled out)
        b.append("<!-- Written by eyes service install").append(s.system() ? ", system-wide" : "").append(" (Eyes ")
                .append(xml(s.version()).replace("--", "")).append("); eyes service uninstall removes it. -->\n");
        b.append("<plist version=\"1.0\">\n<dict>\n");
        key(b, "Label").append("  <string>").append(LAUNCHD_LABEL).append("</string>\n");
        key(b, "ProgramArguments").append("  <array>\n");
        for (String a : s.arguments()) {
            b.append("    <string>").append(xml(a)).append("</string>\n");
        }
        b.append("  </array>\n");
        key(b, "RunAtLoad").append("  <true/>\n");
        key(b, "KeepAlive").append("  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
        key(b, "ThrottleInterval").append("  <integer>10</integer>\n");
        key(b, "ExitTimeOut").append("  <integer>20</integer>\n");
        key(b, "ProcessType").append("  <string>Background</string>\n");
        key(b, "WorkingDirectory").append("  <string>").append(xml(workingDirectory.toString())).append("</string>\n");
        key(b, "StandardOutPath").append("  <string>").append(xml(logDirectory.resolve("eyes.out.log").toString()))
                .append("</string>\n");
        key(b, "StandardErrorPath").append("  <string>").append(xml(logDirectory.resolve("eyes.err.log").toString()))
                .append("</string>\n");
        key(b, "EnvironmentVariables").append("  <dict>\n");
        b.append("    <key>EYES_NO_BUILD</key>\n    <string>1</string>\n");
        b.append("  </dict>\n");
        b.append("</dict>\n</plist>\n");
        return b.toString();
    }

    private static StringBuilder key(StringBuilder b, String k) {
        return b.append("  <key>").append(k).append("</key>\n");
    }

    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
