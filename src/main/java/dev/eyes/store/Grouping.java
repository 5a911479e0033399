package dev.eyes.store;

import dev.eyes.event.LogEvent;
import dev.eyes.rule.Trigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a newly recorded candidate into a group, inside the transaction that records it:
 * <ol>
 *   <li>auto-group rules, in id order, first match wins (reference §10);</li>
 *   <li>otherwise same-source grouping: the newest open root with the same rule and source, raised within the
 *       window (default 24 h, {@code alerts.group_window_hours}; 0 turns it off).</li>
 * </ol>
 * A match sets {@code group_parent_id} and moves the root's {@code updated_at} up to the trigger time (so a
 * recurring problem floats to the top of the list); the child's history says why.
 */
public final class Grouping {
    private static final Logger LOG = LoggerFactory.getLogger(Grouping.class);
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final Duration sameSourceWindow;

    public Grouping(Duration sameSourceWindow) {
        this.sameSourceWindow = sameSourceWindow;
    }

    public Duration sameSourceWindow() {
        return sameSourceWindow;
    }

    /** Groups candidate {@code id} (just inserted) if a rule or an open same-source root says so. */
    void apply(Connection c, long id, Trigger t) throws SQLException {
        Instant at = Instant.now();
        for (AutoGroupRule rule : rules(c)) {
            if (matches(rule, t)) {
                Long root = rootOf(c, rule.targetAlertId());
                if (root != null && root != id) {
                    attach(c, id, root, Timestamps.format(t.timestamp()), "auto-group rule " + rule.id() + " ("
                            + describe(rule) + ") groups it under alert " + root, at);
                    return;
                }
            }
        }
        if (sameSourceWindow.isZero()) {
            return;
        }
        // without statistics SQLite would pick the (resolution_status, triggered_at) index and read every open
        // candidate of the window; (rule, source, triggered_at) finds the few of this rule and source
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, triggered_at FROM alert_candidates INDEXED BY alert_candidates_rule_source
                WHERE trigger_rule = ? AND trigger_source IS ? AND group_parent_id IS NULL
                  AND resolution_status = 'open' AND id <> ? AND triggered_at >= ? AND triggered_at <= ?
                ORDER BY triggered_at DESC, id DESC LIMIT 1""")) {
            ps.setString(1, t.rule());
            ps.setString(2, t.source());
            ps.setLong(3, id);
            ps.setString(4, Timestamps.format(t.timestamp().minus(sameSourceWindow)));
            ps.setString(5, Timestamps.format(t.timestamp()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long root = rs.getLong(1);
                    attach(c, id, root, Timestamps.format(t.timestamp()), "same rule and source as open alert " + root
                            + " (raised " + rs.getString(2) + ", within " + hours(sameSourceWindow) + ")", at);
                }
            }
        }
    }

    private static String hours(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private static void attach(Connection c, long id, long root, String triggeredAt, String reason, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert_candidates SET group_parent_id = ? WHERE id = ?")) {
            ps.setLong(1, root);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert_candidates SET updated_at = ? WHERE id = ? AND updated_at < ?")) {
            ps.setString(1, triggeredAt);
            ps.setLong(2, root);
            ps.setString(3, triggeredAt);
            ps.executeUpdate();
        }
        Transitions.record(c, id, "group", null, "child of " + root, reason, at);
    }

    /** The root of {@code id}'s group (itself when it is a root), or null when it does not exist. */
    static Long rootOf(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(group_parent_id, id) FROM alert_candidates WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    static List<AutoGroupRule> rules(Connection c) throws SQLException {
        List<AutoGroupRule> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, created_at, target_alert_id, process, subsystem, trigger_source, triggered_by, message_regex
                FROM auto_group_rules ORDER BY id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AutoGroupRule(rs.getLong(1), Timestamps.parse(rs.getString(2)), rs.getLong(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
            }
        }
        return out;
    }

    /** Whether {@code rule} groups a candidate with trigger {@code t} (reference §10 auto-group match). */
    public static boolean matches(AutoGroupRule rule, Trigger t) {
        if (rule.triggerSource() != null && !rule.triggerSource().equals(t.source())) {
            return false;
        }
        if (rule.triggeredBy() != null && !rule.triggeredBy().equals(t.rule())) {
            return false;
        }
        Pattern p;
        try {
            p = Regexes.compile(rule.messageRegex());
        } catch (PatternSyntaxException e) {
            LOG.warn("auto-group rule {} is skipped: its message_regex is invalid ({})", rule.id(),
                    e.getDescription());
            return false;
        }
        for (LogEvent e : t.logEvents()) {
            if ((rule.process() == null || rule.process().equals(e.process()))
                    && (rule.subsystem() == null || rule.subsystem().equals(e.subsystem()))
                    && Regexes.find(p, e.message())) {
                return true;
            }
        }
        return false;
    }

    static String describe(AutoGroupRule r) {
        List<String> parts = new ArrayList<>();
        if (r.process() != null) {
            parts.add("process " + r.process());
        }
        if (r.subsystem() != null) {
            parts.add("subsystem " + r.subsystem());
        }
        if (r.triggerSource() != null) {
            parts.add("source " + r.triggerSource());
        }
        if (r.triggeredBy() != null) {
            parts.add("rule " + r.triggeredBy());
        }
        parts.add("message /" + r.messageRegex() + "/");
        return String.join(", ", parts);
    }
}
