package dev.eyes.rule;

import dev.eyes.event.LogEvent;
import java.util.Locale;

/**
 * The identity errors are clustered by (reference §7): process, subsystem (the systemd unit on Linux) and, for
 * macOS {@code runningboardd}, the client bundle id named in its message. Named
 * {@code "{subsystem}/{process}"} (just the process when there is no subsystem) plus {@code " client {id}"}.
 */
public record LogSource(String process, String subsystem, String client) {

    public static LogSource of(LogEvent e) {
        return new LogSource(e.process(), e.subsystem(), brokerClientIdentity(e));
    }

    public boolean matches(LogEvent e) {
        return process.equals(e.process()) && subsystem.equals(e.subsystem())
                && (client == null ? brokerClientIdentityIsNull(e) : client.equals(brokerClientIdentity(e)));
    }

    private static boolean brokerClientIdentityIsNull(LogEvent e) {
        return brokerClientIdentity(e) == null;
    }

    public String displayName() {
        String base = subsystem.isEmpty() ? (process.isEmpty() ? "unknown" : process)
                : subsystem + "/" + process;
        return client == null ? base : base + " client " + client;
    }

    /**
     * For {@code runningboardd} only: the client bundle id in the message — scanning tokens (split on characters
     * outside {@code [A-Za-z0-9._-]}) from the end, the first with at least two dots, a letter and no empty
     * components, that is not the subsystem and does not start with {@code com.apple.runningboard}.
     */
    static String brokerClientIdentity(LogEvent e) {
        if (!"runningboardd".equals(e.process())) {
            return null;
        }
        String[] tokens = e.message().split("[^A-Za-z0-9._-]+");
        for (int i = tokens.length - 1; i >= 0; i--) {
            String t = tokens[i];
            if (isBundleId(t) && !t.equalsIgnoreCase(e.subsystem())
                    && !t.toLowerCase(Locale.ROOT).startsWith("com.apple.runningboard")) {
                return t;
            }
        }
        return null;
    }

    private static boolean isBundleId(String t) {
        int dots = 0;
        boolean letter = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.') {
                dots++;
                if (i == 0 || i == t.length() - 1 || t.charAt(i - 1) == '.') {
                    return false;
                }
            } else if (Character.isLetter(c)) {
                letter = true;
            }
        }
        return dots >= 2 && letter;
    }
}
