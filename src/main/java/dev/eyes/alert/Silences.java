package dev.eyes.alert;

import dev.eyes.event.LogEvent;
import dev.eyes.store.AlertLedger;
import dev.eyes.store.Regexes;
import dev.eyes.store.Silence;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether a silence matches an alert (as Alertmanager's matchers, on Eyes' fields): every matcher that is set
 * must hold. {@code rule} and {@code source} compare with the trigger's rule and source; {@code minimum_severity}
 * holds for alerts at least that severe; {@code process}, {@code subsystem} and {@code message_regex} must hold
 * together for one of the trigger's log events (the regex is searched in the message). Activity (start, end,
 * expiry) is the store's business: it hands over only the silences active now.
 */
public final class Silences {
    private Silences() {
    }

    /** The first (lowest id) of {@code active} that matches, or null. */
    public static Silence firstMatch(List<Silence> active, AlertLedger.Facts f) {
        for (Silence s : active) {
            if (matches(s, f)) {
                return s;
            }
        }
        return null;
    }

    public static boolean matches(Silence s, AlertLedger.Facts f) {
        if (s.rule() != null && !s.rule().equals(f.rule())) {
            return false;
        }
        if (s.source() != null && !s.source().equals(f.source())) {
            return false;
        }
        if (s.minimumSeverity() != null && !f.severity().atLeast(s.minimumSeverity())) {
            return false;
        }
        if (s.process() == null && s.subsystem() == null && s.messageRegex() == null) {
            return true;
        }
        Pattern p = null;
        if (s.messageRegex() != null) {
            try {
                p = Regexes.compile(s.messageRegex());
            } catch (PatternSyntaxException e) {
                return false;
            }
        }
        for (LogEvent e : f.logs()) {
            if ((s.process() == null || s.process().equals(e.process()))
                    && (s.subsystem() == null || s.subsystem().equals(e.subsystem()))
                    && (p == null || Regexes.find(p, e.message()))) {
                return true;
            }
        }
        return false;
    }
}
