package dev.eyes.rule;

import dev.eyes.event.LogEvent;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Known-harmless log lines that the rules ignore: the original's macOS list (reference §2), plus the user's
 * {@code [rules.benign] patterns} — regexes searched in {@code "process: message"}.
 */
public final class BenignNoise {
    private final List<Pattern> patterns;

    public BenignNoise(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    public boolean isBenign(LogEvent e) {
        return isBuiltIn(e) || matchesUser(e);
    }

    private boolean matchesUser(LogEvent e) {
        if (patterns.isEmpty()) {
            return false;
        }
        String text = e.process() + ": " + e.message();
        for (Pattern p : patterns) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    static boolean isBuiltIn(LogEvent e) {
        String process = e.process();
        if (process.isEmpty()) {
            return false;
        }
        String p = process.toLowerCase(Locale.ROOT);
        String m = e.message().trim();
        return switch (p) {
            case "syspolicyd" -> m.equals("Unable to initialize qtn_proc: 3")
                    || m.equals("dispatch_mig_server returned 268435459");
            case "kernel" -> ((m.startsWith("decode mismatch for [") || m.startsWith("decode: mismatch for ["))
                    && m.contains("got [SCALAR private"))
                    || (m.contains("Sandbox: com.apple.WebKit.Networking") && m.contains("mach-lookup com.apple.diagnosticd"));
            case "contextstoreagent" -> m.equals("Simulating crash. Reason: <private>");
            default -> false;
        };
    }
}
