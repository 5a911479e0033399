package dev.eyes.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

/** Auto-group rules: created, listed and deleted; applied by {@link Grouping} when a candidate is recorded. */
final class AutoGroupRuleTable {
    private final SqliteAlertStore store;

    AutoGroupRuleTable(SqliteAlertStore store) {
        this.store = store;
    }

    AutoGroupRule create(AutoGroupRuleRequest r) throws StoreException {
        String process = Params.trimmed(r.process());
        String subsystem = Params.trimmed(r.subsystem());
        String source = Params.trimmed(r.triggerSource());
        String by = Params.trimmed(r.triggeredBy());
        if (process == null && subsystem == null && source == null && by == null) {
            throw AlertException.invalid("Invalid auto-group rule: at least one of process, subsystem, trigger_source "
                    + "or triggered_by is required");
        }
        String regex = r.messageRegex() == null ? "" : r.messageRegex().trim();
        if (regex.isEmpty()) {
            throw AlertException.invalid("Invalid auto-group rule: message_regex cannot be empty");
        }
        String problem = Regexes.problem(regex);
        if (problem != null) {
            throw AlertException.invalid("Invalid auto-group rule: message_regex is not a valid regular expression: "
                    + problem);
        }
        return store.write(c -> {
            Long target = Grouping.rootOf(c, r.targetAlertId());
            if (target == null) {
                throw AlertException.noCandidate(r.targetAlertId());
            }
            Instant at = store.now();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO auto_group_rules (created_at, target_alert_id, process, subsystem, trigger_source,
                        triggered_by, message_regex)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, Timestamps.format(at));
                ps.setLong(2, target);
                Params.setNullable(ps, 3, process);
                Params.setNullable(ps, 4, subsystem);
                Params.setNullable(ps, 5, source);
                Params.setNullable(ps, 6, by);
                ps.setString(7, regex);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new AutoGroupRule(keys.getLong(1), at, target, process, subsystem, source, by, regex);
                }
            }
        });
    }

    AutoGroupRule delete(long ruleId) throws StoreException {
        return store.write(c -> {
            AutoGroupRule found = null;
            for (AutoGroupRule r : Grouping.rules(c)) {
                if (r.id() == ruleId) {
                    found = r;
                }
            }
            if (found == null) {
                throw AlertException.notFound("rule " + ruleId + " does not exist");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM auto_group_rules WHERE id = ?")) {
                ps.setLong(1, ruleId);
                ps.executeUpdate();
            }
            return found;
        });
    }

}
