package dev.eyes.analysis;

import dev.eyes.event.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes a parsed insight safe to store and show (reference §8 {@code sanitize_insight}, extended for Linux):
 * <ul>
 *   <li>severity capped at the trigger's expected severity (a lowered severity is noted as a limitation);</li>
 *   <li>confidences normalised to low | medium | high | unknown (numbers 0–1 or 0–100 too); no root cause →
 *       diagnosis confidence "low";</li>
 *   <li>recommendations with destructive advice removed — the original's markers ({@link #ORIGINAL_MARKERS})
 *       plus Linux ones ({@link #LINUX_PATTERNS}) — each removal recorded as a limitation naming what matched.</li>
 * </ul>
 * Matching is case-insensitive over the text with every whitespace run (also non-breaking and zero-width
 * spaces) made one space, so spacing tricks do not slip advice through.
 */
public final class InsightSanitizer {
    /** Substrings from the original (reference §8). */
    public static final List<String> ORIGINAL_MARKERS = List.of("csrutil disable", "delete ", "disable sip",
            "disk utility first aid", "erase ", "kill syspolicyd", "killall syspolicyd", "reboot", "reinstall macos",
            "restart the system", "rm -");

    private static final String UNIT = "[\\w@.:-]*";
    /** System units that must not be disabled, masked or stopped on advice alone. */
    private static final String SYSTEM_UNITS = "(?:systemd" + UNIT + "|dbus" + UNIT + "|sshd?" + UNIT
            + "|networkmanager" + UNIT + "|network" + UNIT + "|firewalld|ufw|nftables|iptables|ip6tables|apparmor"
            + "|auditd|selinux" + UNIT + "|polkit" + UNIT + "|udev" + UNIT + "|rsyslog|syslog|cron|crond|chronyd"
            + "|ntp" + UNIT + "|getty" + UNIT + "|gdm" + UNIT + "|lightdm|sddm|display-manager|login" + UNIT
            + "|\\w+\\.target)";

    /** Linux (and general) destructive advice, as patterns over the normalised lower-case text. */
    public static final List<Pattern> LINUX_PATTERNS = List.of(
            Pattern.compile("\\brm -"),
            Pattern.compile("\\bmkfs\\b"),
            Pattern.compile("\\bmkfs\\.\\w+"),
            Pattern.compile("\\bdd if="),
            Pattern.compile("\\bof=/dev/"),
            Pattern.compile("\\bwipefs\\b"),
            Pattern.compile("\\bshred\\b"),
            Pattern.compile("\\b(?:fdisk|sfdisk|gdisk|parted|sgdisk) /dev/"),
            Pattern.compile("\\bfsck\\b"),
            Pattern.compile("> ?/dev/(?:sd|nvme|vd|hd|xvd|mmcblk)"),
            Pattern.compile("\\bchmod (?:-r |--recursive )?0?777\\b"),
            Pattern.compile("\\bchmod (?:-r |--recursive )?a\\+rwx\\b"),
            Pattern.compile("\\bsetenforce (?:0|permissive)\\b"),
            Pattern.compile("\\bselinux=disabled\\b"),
            Pattern.compile("\\baa-(?:teardown|disable)\\b"),
            Pattern.compile("\\biptables (?:-f|--flush)\\b"),
            Pattern.compile("\\bip6tables (?:-f|--flush)\\b"),
            Pattern.compile("\\bnft flush ruleset\\b"),
            Pattern.compile("\\bufw disable\\b"),
            Pattern.compile("\\bkill (?:-9|-kill|-sigkill|-s kill|-s sigkill) -?1\\b"),
            Pattern.compile("\\bkillall5\\b"),
            Pattern.compile("\\bsystemctl (?:--now )?mask\\b"),
            Pattern.compile("\\bsystemctl (?:--now )?(?:disable|stop|kill)(?: --now)? " + SYSTEM_UNITS + "\\b"),
            Pattern.compile("\\bsystemctl (?:reboot|poweroff|halt|kexec|isolate|rescue|emergency)\\b"),
            Pattern.compile("\\bshutdown (?:-|now\\b|\\+|\\d)"),
            Pattern.compile("\\bpoweroff\\b"),
            Pattern.compile("\\bhalt (?:-|now\\b)"),
            Pattern.compile("\\binit [06]\\b"),
            Pattern.compile("\\btelinit [06]\\b"),
            Pattern.compile("sysrq-trigger"),
            Pattern.compile("\\btruncate -s ?0\\b"),
            Pattern.compile("\\bjournalctl (?:.* )?--vacuum"),
            Pattern.compile("\\b(?:apt|apt-get|aptitude) (?:-y )?(?:purge|remove|autoremove)\\b"),
            Pattern.compile("\\b(?:dnf|yum|zypper) (?:-y )?(?:remove|erase)\\b"),
            Pattern.compile("\\bpacman -r"),
            Pattern.compile("\\b(?:userdel|deluser|groupdel)\\b"),
            Pattern.compile("\\bpasswd -d\\b"),
            Pattern.compile("\\bdocker (?:system|volume|image) prune\\b"),
            Pattern.compile("\\b(?:drop|truncate) (?:database|table)\\b"),
            Pattern.compile(":\\(\\)\\s?\\{"));

    private static final Pattern SPACES = Pattern.compile("[\\s\\u00a0\\u1680\\u2000-\\u200b\\u202f\\u205f\\u3000"
            + "\\ufeff]+");

    public Insight sanitize(Insight in, Severity ceiling) {
        List<String> limitations = new ArrayList<>(in.limitations());
        Severity severity = in.severity();
        if (severity.compareTo(ceiling) > 0) {
            limitations.add("Severity lowered from " + severity.wireName() + " to " + ceiling.wireName()
                    + ", the most this trigger allows");
            severity = ceiling;
        }
        List<String> kept = new ArrayList<>();
        for (String r : in.recommendations()) {
            String match = destructive(r);
            if (match == null) {
                kept.add(r);
            } else {
                limitations.add("A recommendation was removed because it contained potentially destructive advice"
                        + " (matched \"" + match + "\")");
            }
        }
        String observation = normalizeConfidence(in.observationConfidence());
        String diagnosis = in.rootCause() == null ? "low" : normalizeConfidence(in.diagnosisConfidence());
        return new Insight(in.summary(), in.rootCause(), kept, in.evidence(), observation, diagnosis, limitations,
                severity);
    }

    /** The marker a recommendation matches, or null when it is safe. */
    public static String destructive(String recommendation) {
        String t = SPACES.matcher(recommendation.toLowerCase(Locale.ROOT)).replaceAll(" ");
        // zero-width joiners and soft hyphens inside words
        t = t.replaceAll("[\\u00ad\\u200c\\u200d\\u2060]", "");
        for (String m : ORIGINAL_MARKERS) {
            if (t.contains(m)) {
                return m.strip();
            }
        }
        for (Pattern p : LINUX_PATTERNS) {
            var matcher = p.matcher(t);
            if (matcher.find()) {
                return matcher.group().strip();
            }
        }
        return null;
    }

    /** low | medium | high | unknown, from words ("High", "moderate", "very low") or numbers (0–1, or 0–100). */
    public static String normalizeConfidence(String c) {
        if (c == null) {
            return "unknown";
        }
        String s = c.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return "unknown";
        }
        try {
            double v = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
            if (s.endsWith("%") || v > 1) {
                v = v / 100;
            }
            if (Double.isNaN(v) || v < 0 || v > 1) {
                return "unknown";
            }
            return v >= 0.75 ? "high" : v >= 0.4 ? "medium" : "low";
        } catch (NumberFormatException ignored) {
            // words
        }
        if (s.contains("high")) {
            return "high";
        }
        if (s.contains("medium") || s.contains("moderate") || s.contains("mid")) {
            return "medium";
        }
        if (s.contains("low")) {
            return "low";
        }
        return "unknown";
    }
}
