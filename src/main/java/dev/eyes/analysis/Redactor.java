package dev.eyes.analysis;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.ProcessMetric;
import dev.eyes.rule.Trigger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets with {@code [REDACTED:kind]} before any text leaves the process: private-key blocks, URLs with
 * credentials, JWTs, bearer and basic credentials, AWS access keys, well-known API token formats, and the values
 * of {@code password=}, {@code passwd=}, {@code secret=}, {@code token=}, {@code api_key=} … assignments (also
 * {@code key: value} and JSON {@code "key": "value"}). With {@code networkIdentities} on, e-mail, IPv4 and IPv6
 * addresses too. Applying it twice changes nothing the second time. Thread-safe.
 */
public final class Redactor {
    /** What was replaced; the text that replaces it is {@code [REDACTED:<wireName>]}. */
    public enum Kind {
        PRIVATE_KEY, URL_CREDENTIALS, JWT, BEARER, AWS_KEY, TOKEN, PASSWORD, SECRET, EMAIL, IPV4, IPV6;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String marker() {
            return "[REDACTED:" + wireName() + "]";
        }
    }

    /** A redacted text and what was replaced in it. */
    public record Result(String text, Map<Kind, Integer> counts) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** A redacted trigger and the number of replacements made in it. */
    public record RedactedTrigger(Trigger trigger, int count) {
    }

    /**
     * One kind of secret. {@code mayMatch} is a cheap test on the text (and its lower-case copy) that must hold
     * for the pattern to match anywhere — most texts skip most patterns. {@code start}, when set, says where a
     * match may begin (the pattern is then tried only there), for patterns without a literal to search for.
     */
    private record Rule(Kind kind, Pattern pattern, Function<Matcher, String> replacement,
                        BiPredicate<String, String> mayMatch, StartAt start) {
        Rule(Kind kind, Pattern pattern, Function<Matcher, String> replacement, BiPredicate<String, String> mayMatch) {
            this(kind, pattern, replacement, mayMatch, null);
        }
    }

    @FunctionalInterface
    private interface StartAt {
        boolean test(String text, int i);
    }

    private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA",
        "ABIA", "ACCA"};
    private static final String[] TOKEN_PREFIXES = {"sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
        "glpat-", "xox", "AIza", "_live_", "_test_", "npm_", "hf_"};
    private static final String[] ASSIGNMENT_WORDS = {"pass", "pwd", "secret", "token", "key", "credential"};

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----.*?(-----END ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|\\z)",
            Pattern.DOTALL);
    /** scheme://userinfo@ — the userinfo (user:password, or a token alone) is the secret. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.-]{1,20}://)(?!\\[REDACTED)([^\\s/?#\"'<>]+)@(?=[^\\s@/])");
    private static final Pattern JWT = Pattern.compile(
            "\\beyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    /** {@code Bearer X} anywhere, {@code Basic X} after an Authorization header name. */
    private static final Pattern BEARER = Pattern.compile(
            "(?i)(\\bbearer\\s+|\\b(?:proxy-)?authorization\\s*[:=]\\s*[\"']?basic\\s+)(?!\\[REDACTED)"
                    + "([A-Za-z0-9._~+/=-]{8,})");
    private static final Pattern AWS_KEY = Pattern.compile(
            "(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])");
    /** Formats that identify themselves: OpenAI, GitHub, GitLab, Slack, Google, Stripe, npm, Hugging Face. */
    private static final Pattern KNOWN_TOKEN = Pattern.compile(
            "(?<![A-Za-z0-9_-])(?:sk-(?:proj-|svcacct-|ant-)?[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{30,}"
                    + "|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}"
                    + "|AIza[0-9A-Za-z_-]{35}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36}"
                    + "|hf_[A-Za-z0-9]{30,})");
    /**
     * {@code name=value}, {@code name: value}, {@code "name": "value"} where the name mentions a password, a
     * secret or a token. Group 1 is the name (with its quotes and separator), group 2 the value.
     */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)([\"']?\\b[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey"
                    + "|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*[\"']?\\s*(?:=|:(?!//))\\s*)"
                    + "(?![\"']?\\[REDACTED)(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s\"',;&)}\\]]+)");
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![A-Za-z0-9-])");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![0-9.])" + OCTET + "(?:\\." + OCTET + "){3}(?![0-9]|\\.[0-9])");
    /** Candidates only; {@link #isIpv6} decides. */
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![A-Za-z0-9_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" + OCTET + "(?:\\." + OCTET
                    + "){3}|[0-9A-Fa-f]{1,4})?(?:%[A-Za-z0-9_-]+)?(?![A-Za-z0-9_:]|\\.[0-9A-Za-z])");

    private final boolean enabled;
    private final boolean networkIdentities;
    private final List<Rule> rules;

    /**
     * @param enabled           {@code ai.redact}; when false, {@link #redact} returns its input unchanged
     * @param networkIdentities also replace e-mail and IP addresses
     */
    public Redactor(boolean enabled, boolean networkIdentities) {
        this.enabled = enabled;
        this.networkIdentities = enabled && networkIdentities;
        List<Rule> r = new ArrayList<>();
        r.add(new Rule(Kind.PRIVATE_KEY, PRIVATE_KEY, m -> Kind.PRIVATE_KEY.marker(),
                (t, l) -> t.contains("PRIVATE KEY")));
        r.add(new Rule(Kind.URL_CREDENTIALS, URL_CREDENTIALS, m -> m.group(1) + Kind.URL_CREDENTIALS.marker() + "@",
                (t, l) -> t.contains("://") && t.indexOf('@') >= 0));
        r.add(new Rule(Kind.JWT, JWT, m -> Kind.JWT.marker(), (t, l) -> t.contains("eyJ")));
        r.add(new Rule(Kind.BEARER, BEARER, m -> m.group(1) + Kind.BEARER.marker(),
                (t, l) -> l.contains("bearer") || l.contains("authorization")));
        r.add(new Rule(Kind.AWS_KEY, AWS_KEY, m -> Kind.AWS_KEY.marker(), (t, l) -> containsAny(t, AWS_PREFIXES)));
        r.add(new Rule(Kind.TOKEN, KNOWN_TOKEN, m -> Kind.TOKEN.marker(), (t, l) -> containsAny(t, TOKEN_PREFIXES)));
        r.add(new Rule(Kind.TOKEN, ASSIGNMENT, m -> looksLikeKey(m.group(2)) ? null
                : m.group(1) + quoted(m.group(2), assignmentKind(m.group(1))),
                (t, l) -> (t.indexOf('=') >= 0 || t.indexOf(':') >= 0) && containsAny(l, ASSIGNMENT_WORDS)));
        if (this.networkIdentities) {
            r.add(new Rule(Kind.EMAIL, EMAIL, m -> Kind.EMAIL.marker(), (t, l) -> t.indexOf('@') >= 0));
            r.add(new Rule(Kind.IPV6, IPV6, m -> isIpv6(m.group()) ? Kind.IPV6.marker() : null,
                    (t, l) -> t.contains("::") || count(t, ':') >= 6, Redactor::ipv6Start));
            r.add(new Rule(Kind.IPV4, IPV4, m -> Kind.IPV4.marker(), (t, l) -> count(t, '.') >= 3,
                    Redactor::ipv4Start));
        }
        this.rules = List.copyOf(r);
    }

    /**
     * The redactor for a backend: secrets always (when {@code redact}); network identities too when the backend
     * is reached over the network, i.e. {@code target} is not a loopback URL, and {@code redactNetworkIdentities}.
     */
    public static Redactor forTarget(boolean redact, boolean redactNetworkIdentities, String target) {
        return new Redactor(redact, redactNetworkIdentities && !isLoopback(target));
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean redactsNetworkIdentities() {
        return networkIdentities;
    }

    public Result redact(String text) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        if (!enabled || text == null || text.isEmpty()) {
            return new Result(text, counts);
        }
        String out = text;
        String lower = text.toLowerCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (!rule.mayMatch().test(out, lower)) {
                continue;
            }
            String next = apply(rule, out, counts);
            if (!next.equals(out)) {
                out = next;
                lower = out.toLowerCase(Locale.ROOT);
            }
        }
        return new Result(out, counts);
    }

    /** Redacts one string, adding the number of replacements to {@code counter[0]}. */
    public String redact(String text, int[] counter) {
        Result r = redact(text);
        counter[0] += r.total();
        return r.text();
    }

    /**
     * The trigger with every text that came from the host redacted: the reason, the source, and each log event's
     * message, process, subsystem and category, each process metric's name, each disk path.
     */
    public RedactedTrigger redact(Trigger t) {
        if (!enabled) {
            return new RedactedTrigger(t, 0);
        }
        int[] n = {0};
        List<LogEvent> logs = new ArrayList<>(t.logEvents().size());
        for (LogEvent e : t.logEvents()) {
            logs.add(new LogEvent(e.timestamp(), e.messageType(), redact(e.subsystem(), n), redact(e.category(), n),
                    redact(e.process(), n), e.processId(), redact(e.message(), n)));
        }
        List<MetricsEvent> metrics = new ArrayList<>(t.metricsEvents().size());
        for (MetricsEvent m : t.metricsEvents()) {
            if (m.processes().isEmpty()) {
                metrics.add(m);
                continue;
            }
            List<ProcessMetric> procs = new ArrayList<>(m.processes().size());
            for (ProcessMetric p : m.processes()) {
                procs.add(new ProcessMetric(p.processId(), redact(p.process(), n), p.cpuUsagePercent(),
                        p.residentMemoryMb()));
            }
            metrics.add(new MetricsEvent(m.timestamp(), m.cpuPowerMw(), m.cpuUsagePercent(), m.gpuPowerMw(),
                    m.gpuUsagePercent(), m.memoryPressure(), m.memoryUsedMb(), m.energyImpact(), m.provenance(), procs));
        }
        List<DiskEvent> disks = new ArrayList<>(t.diskEvents().size());
        for (DiskEvent d : t.diskEvents()) {
            disks.add(new DiskEvent(d.timestamp(), d.readKbPerSec(), d.writeKbPerSec(), d.readOpsPerSec(),
                    d.writeOpsPerSec(), redact(d.diskName(), n),
                    d.filesystemPath() == null ? null : redact(d.filesystemPath(), n)));
        }
        Trigger out = new Trigger(t.timestamp(), t.rule(), t.source() == null ? null : redact(t.source(), n),
                t.expectedSeverity(), redact(t.reason(), n), logs, metrics, disks);
        return new RedactedTrigger(out, n[0]);
    }

    private static String apply(Rule rule, String text, Map<Kind, Integer> counts) {
        Matcher m = rule.pattern().matcher(text);
        m.useTransparentBounds(true).useAnchoringBounds(false); // lookbehinds see before a region's start
        StringBuilder sb = null;
        int last = 0;
        int from = 0;
        while (from <= text.length() && find(rule, m, text, from)) {
            String replacement = rule.replacement().apply(m);
            if (replacement == null) {
                from = m.start() + 1; // not one after all: look again from the next character
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, m.start()).append(replacement);
            last = m.end();
            from = Math.max(m.end(), m.start() + 1);
            Kind kind = rule.pattern() == ASSIGNMENT ? assignmentKind(m.group(1)) : rule.kind();
            counts.merge(kind, 1, Integer::sum);
        }
        if (sb == null) {
            return text;
        }
        sb.append(text, last, text.length());
        return sb.toString();
    }

    /** The next match at or after {@code from}: by a plain search, or tried only where a match may start. */
    private static boolean find(Rule rule, Matcher m, String text, int from) {
        if (rule.start() == null) {
            return m.find(from);
        }
        for (int i = from; i < text.length(); i++) {
            if (rule.start().test(text, i)) {
                m.region(i, text.length());
                if (m.lookingAt()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean ipv4Start(String t, int i) {
        char c = t.charAt(i);
        if (c < '0' || c > '9') {
            return false;
        }
        char p = i == 0 ? ' ' : t.charAt(i - 1);
        return !(p >= '0' && p <= '9') && p != '.';
    }

    private static boolean ipv6Start(String t, int i) {
        char c = t.charAt(i);
        if (c != ':' && Character.digit(c, 16) < 0) {
            return false;
        }
        char p = i == 0 ? ' ' : t.charAt(i - 1);
        return !(Character.isLetterOrDigit(p) || p == '_' || p == ':' || p == '.');
    }

    private static boolean containsAny(String s, String[] needles) {
        for (String n : needles) {
            if (s.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) {
            n++;
        }
        return n;
    }

    private static Kind assignmentKind(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("pass") || n.contains("pwd")) {
            return Kind.PASSWORD;
        }
        if (n.contains("secret")) {
            return Kind.SECRET;
        }
        return Kind.TOKEN;
    }

    /** "passwd:" in "chpasswd: passwd: x" is the next key, not a value. */
    private static boolean looksLikeKey(String value) {
        return value.endsWith(":") || value.endsWith("=");
    }

    /** Keeps the quotes of a quoted value around the marker. */
    private static String quoted(String value, Kind kind) {
        char first = value.charAt(0);
        if ((first == '"' || first == '\'') && value.length() >= 2 && value.charAt(value.length() - 1) == first) {
            return first + kind.marker() + first;
        }
        return kind.marker();
    }

    /** A strict IPv6 check: 8 groups, or fewer with exactly one {@code ::}; an IPv4 tail counts as two groups. */
    static boolean isIpv6(String s) {
        int pct = s.indexOf('%');
        String a = pct >= 0 ? s.substring(0, pct) : s;
        int lastColon = a.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        int extra = 0;
        if (a.indexOf('.', lastColon) > 0) {
            if (!IPV4.matcher(a.substring(lastColon + 1)).matches()) {
                return false;
            }
            extra = 2;
            a = a.substring(0, lastColon + 1);
            if (!a.endsWith("::")) {
                a = a.substring(0, a.length() - 1);
            }
        }
        int dc = a.indexOf("::");
        if (dc < 0) {
            int g = countGroups(a);
            return g >= 0 && g + extra == 8;
        }
        if (a.indexOf("::", dc + 1) >= 0 || a.contains(":::")) {
            return false;
        }
        int l = countGroups(a.substring(0, dc));
        int r = countGroups(a.substring(dc + 2));
        return l >= 0 && r >= 0 && l + r + extra <= 7;
    }

    /** Number of 1–4 digit hex groups separated by single colons; 0 for ""; -1 if malformed. */
    private static int countGroups(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        String[] parts = s.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 4) {
                return -1;
            }
            for (int i = 0; i < p.length(); i++) {
                if (Character.digit(p.charAt(i), 16) < 0) {
                    return -1;
                }
            }
        }
        return parts.length;
    }

    /**
     * True when the URL's host is a loopback literal or {@code localhost} (no DNS lookup is made), or when the
     * target is not a URL at all (the mock backend sends nothing anywhere).
     */
    public static boolean isLoopback(String target) {
        if (target == null || !target.contains("://")) {
            return true;
        }
        String host;
        try {
            host = URI.create(target.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (IPV4.matcher(h).matches() || (h.contains(":") && isIpv6(h))) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
