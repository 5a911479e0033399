package dev.eyes.store;

import dev.eyes.event.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Silences (as Alertmanager has them): validated, stored, listed, expired; {@link #activeSilences} for triage. */
final class SilenceTable {
    private final SqliteAlertStore store;

    SilenceTable(SqliteAlertStore store) {
        this.store = store;
    }

    private record SilenceSpec(String createdBy, String comment, Instant startsAt, Instant endsAt, String rule,
                               String source, String process, String subsystem, Severity minimumSeverity,
                               String messageRegex) {
    }

    private SilenceSpec validate(SilenceRequest r, String existingCreator) throws AlertException {
        String creator = Params.trimmed(r.createdBy());
        if (creator == null) {
            creator = existingCreator;
        }
        if (creator == null) {
            throw AlertException.invalid("Invalid silence: created_by cannot be empty");
        }
        Severity min = null;
        if (Params.trimmed(r.minimumSeverity()) != null) {
            min = Severity.parse(r.minimumSeverity());
            if (min == null) {
                throw AlertException.invalid("Invalid silence: minimum_severity must be one of " + Severity.allowed());
            }
        }
        String regex = Params.trimmed(r.messageRegex());
        if (regex != null) {
            String problem = Regexes.problem(regex);
            if (problem != null) {
                throw AlertException.invalid("Invalid silence: message_regex is not a valid regular expression: "
                        + problem);
            }
        }
        String rule = Params.trimmed(r.rule());
        String source = Params.trimmed(r.source());
        String process = Params.trimmed(r.process());
        String subsystem = Params.trimmed(r.subsystem());
        if (rule == null && source == null && process == null && subsystem == null && min == null && regex == null) {
            throw AlertException.invalid("Invalid silence: at least one matcher is required (rule, source, process, "
                    + "subsystem, minimum_severity or message_regex)");
        }
        Instant now = store.now();
        Instant starts = r.startsAt() == null ? now : r.startsAt();
        if (r.endsAt() != null && r.duration() != null) {
            throw AlertException.invalid("Invalid silence: give ends_at or a duration, not both");
        }
        Instant ends;
        if (r.endsAt() != null) {
            ends = r.endsAt();
        } else if (r.duration() != null) {
            if (r.duration().isNegative() || r.duration().isZero()) {
                throw AlertException.invalid("Invalid silence: the duration must be positive");
            }
            ends = starts.plus(r.duration());
        } else {
            throw AlertException.invalid("Invalid silence: ends_at or a duration is required");
        }
        if (!ends.isAfter(starts)) {
            throw AlertException.invalid("Invalid silence: ends_at must be after starts_at");
        }
        if (!ends.isAfter(now)) {
            throw AlertException.invalid("Invalid silence: ends_at must be in the future");
        }
        return new SilenceSpec(creator, r.comment() == null ? "" : r.comment().trim(), starts, ends, rule, source,
                process, subsystem, min, regex);
    }

    private static void bindSpec(PreparedStatement ps, int from, SilenceSpec s) throws SQLException {
        ps.setString(from, Timestamps.format(s.startsAt()));
        ps.setString(from + 1, Timestamps.format(s.endsAt()));
        ps.setString(from + 2, s.comment());
        Params.setNullable(ps, from + 3, s.rule());
        Params.setNullable(ps, from + 4, s.source());
        Params.setNullable(ps, from + 5, s.process());
        Params.setNullable(ps, from + 6, s.subsystem());
        Params.setNullable(ps, from + 7, s.minimumSeverity() == null ? null : s.minimumSeverity().wireName());
        Params.setNullable(ps, from + 8, s.messageRegex());
    }

    Silence create(SilenceRequest r) throws StoreException {
        SilenceSpec s = validate(r, null);
        long id = store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO silences (created_at, created_by, starts_at, ends_at, comment, rule, source, process,
                        subsystem, minimum_severity, message_regex)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, Timestamps.format(store.now()));
                ps.setString(2, s.createdBy());
                bindSpec(ps, 3, s);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return get(id);
    }

    Silence update(long id, SilenceRequest r) throws StoreException {
        Silence existing = get(id);
        if (Silence.EXPIRED.equals(existing.state())) {
            throw AlertException.conflict("Silence " + id + " is already expired");
        }
        SilenceSpec s = validate(r, existing.createdBy());
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE silences SET starts_at = ?, ends_at = ?, comment = ?, rule = ?, source = ?, process = ?,
                        subsystem = ?, minimum_severity = ?, message_regex = ?
                    WHERE id = ? AND expired_at IS NULL""")) {
                bindSpec(ps, 1, s);
                ps.setLong(10, id);
                if (ps.executeUpdate() != 1) {
                    throw AlertException.conflict("Silence " + id + " is already expired");
                }
            }
            return null;
        });
        return get(id);
    }

    private static final String SILENCE_ROW = """
            SELECT s.id, s.created_at, s.starts_at, s.ends_at, s.expired_at, s.created_by, s.comment, s.rule, s.source,
                s.process, s.subsystem, s.minimum_severity, s.message_regex,
                (SELECT COUNT(*) FROM alerts al WHERE al.silence_id = s.id)
            FROM silences s""";

    private Silence silence(ResultSet rs, Instant now) throws SQLException {
        Instant starts = Timestamps.parse(rs.getString(3));
        Instant ends = Timestamps.parse(rs.getString(4));
        Instant expired = Timestamps.parse(rs.getString(5));
        return new Silence(rs.getLong(1), Timestamps.parse(rs.getString(2)), starts, ends, expired, rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                Severity.parse(rs.getString(12)), rs.getString(13), Silence.stateAt(now, starts, ends, expired),
                rs.getLong(14));
    }

    Silence get(long id) throws StoreException {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SILENCE_ROW + " WHERE s.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw AlertException.notFound("Silence " + id + " does not exist");
                    }
                    return silence(rs, store.now());
                }
            }
        });
    }

    List<Silence> list(boolean includeExpired) throws StoreException {
        Instant now = store.now();
        List<Silence> all = store.read(c -> {
            List<Silence> out = new ArrayList<>();
            String where = includeExpired ? "" : " WHERE s.expired_at IS NULL AND s.ends_at > ?";
            try (PreparedStatement ps = c.prepareStatement(SILENCE_ROW + where)) {
                if (!includeExpired) {
                    ps.setString(1, Timestamps.format(now));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(silence(rs, now));
                    }
                }
            }
            return out;
        });
        List<Silence> live = new ArrayList<>(all.stream().filter(s -> !Silence.EXPIRED.equals(s.state()))
                .sorted(Comparator.comparing(Silence::endsAt).thenComparing(Silence::id)).toList());
        all.stream().filter(s -> Silence.EXPIRED.equals(s.state()))
                .sorted(Comparator.comparing((Silence s) -> s.expiredAt() != null ? s.expiredAt() : s.endsAt())
                        .thenComparing(Silence::id).reversed())
                .forEach(live::add);
        return live;
    }

    /** Silences active at {@code now}, in id order (the first match names the silence). */
    static List<Silence> activeSilences(Connection c, Instant now) throws SQLException {
        List<Silence> out = new ArrayList<>();
        String ts = Timestamps.format(now);
        try (PreparedStatement ps = c.prepareStatement(SILENCE_ROW
                + " WHERE s.expired_at IS NULL AND s.starts_at <= ? AND s.ends_at > ? ORDER BY s.id")) {
            ps.setString(1, ts);
            ps.setString(2, ts);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant starts = Timestamps.parse(rs.getString(3));
                    Instant ends = Timestamps.parse(rs.getString(4));
                    out.add(new Silence(rs.getLong(1), Timestamps.parse(rs.getString(2)), starts, ends, null,
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), Severity.parse(rs.getString(12)), rs.getString(13), Silence.ACTIVE,
                            rs.getLong(14)));
                }
            }
        }
        return out;
    }

    Silence expire(long id) throws StoreException {
        store.write(c -> {
            Instant now = store.now();
            String starts;
            String ends;
            String expired;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT starts_at, ends_at, expired_at FROM silences WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw AlertException.notFound("Silence " + id + " does not exist");
                    }
                    starts = rs.getString(1);
                    ends = rs.getString(2);
                    expired = rs.getString(3);
                }
            }
            if (Silence.EXPIRED.equals(Silence.stateAt(now, Timestamps.parse(starts), Timestamps.parse(ends),
                    Timestamps.parse(expired)))) {
                throw AlertException.conflict("Silence " + id + " is already expired");
            }
            String ts = Timestamps.format(now);
            // it ended now (or, if it had not started, at its start)
            String end = ts.compareTo(starts) < 0 ? starts : ts;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE silences SET expired_at = ?, ends_at = ? WHERE id = ?")) {
                ps.setString(1, ts);
                ps.setString(2, end.compareTo(ends) < 0 ? end : ends);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            return null;
        });
        return get(id);
    }
}
