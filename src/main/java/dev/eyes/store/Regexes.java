package dev.eyes.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regular expressions of auto-group rules and silences. They are Java patterns, written by people and by
 * agents who often think in Rust or Python syntax, so {@code (?P<name>…)} and {@code (?P=name)} are accepted as
 * Java's {@code (?<name>…)} and {@code \k<name>}. Unlike Rust's regex engine, Java's backtracks, and a pattern
 * such as {@code (a+)+$} can take exponential time on a hostile log line: every search runs against a deadline
 * ({@link #BUDGET_NANOS}) and counts as "no match" when it passes it (logged once per pattern).
 */
public final class Regexes {
    private static final Logger LOG = LoggerFactory.getLogger(Regexes.class);
    public static final int MAX_LENGTH = 1000;
    static final long BUDGET_NANOS = 50_000_000L;
    private static final Pattern PY_GROUP = Pattern.compile("\\(\\?P<");
    private static final Pattern PY_BACKREF = Pattern.compile("\\(\\?P=(\\w+)\\)");
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> WARNED = new ConcurrentHashMap<>();

    private Regexes() {
    }

    /**
     * Compiles {@code regex} (cached).
     *
     * @throws PatternSyntaxException when it is not a valid pattern, or longer than {@link #MAX_LENGTH}
     */
    public static Pattern compile(String regex) {
        Pattern p = CACHE.get(regex);
        if (p != null) {
            return p;
        }
        if (regex.length() > MAX_LENGTH) {
            throw new PatternSyntaxException("longer than " + MAX_LENGTH + " characters", "…", -1);
        }
        String java = PY_BACKREF.matcher(PY_GROUP.matcher(regex).replaceAll("(?<")).replaceAll("\\\\k<$1>");
        p = Pattern.compile(java);
        if (CACHE.size() > 10_000) {
            CACHE.clear();
        }
        CACHE.put(regex, p);
        return p;
    }

    /** A one-line reason why {@code regex} is refused, or null when it compiles. */
    public static String problem(String regex) {
        try {
            compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            String d = e.getDescription();
            return e.getIndex() >= 0 ? d + " near index " + e.getIndex() : d;
        }
    }

    /** True when {@code p} is found in {@code text} within the time budget. */
    public static boolean find(Pattern p, String text) {
        Matcher m = p.matcher(new Deadline(text, System.nanoTime() + BUDGET_NANOS));
        try {
            return m.find();
        } catch (TooSlow e) {
            if (WARNED.putIfAbsent(p.pattern(), Boolean.TRUE) == null) {
                LOG.warn("the pattern /{}/ took longer than {} ms on a {}-character message; such messages count as "
                        + "not matching it", p.pattern(), BUDGET_NANOS / 1_000_000, text.length());
            }
            return false;
        }
    }

    private static final class TooSlow extends RuntimeException {
        TooSlow() {
            super(null, null, false, false);
        }
    }

    /** A string that stops a backtracking search once its deadline has passed. */
    private static final class Deadline implements CharSequence {
        private final String s;
        private final long deadline;
        private int reads;

        Deadline(String s, long deadline) {
            this.s = s;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0x3FF) == 0 && System.nanoTime() - deadline > 0) {
                throw new TooSlow();
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(s.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
