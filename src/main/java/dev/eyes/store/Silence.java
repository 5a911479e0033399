package dev.eyes.store;

import dev.eyes.event.Severity;
import java.time.Instant;

/**
 * Keeps matching alerts from being notified while it is active (as Alertmanager's silences): they are stored with
 * status {@code silenced} and this silence's id. Active from {@code startsAt} until {@code endsAt} (exclusive) or
 * until it is expired by hand; an expired silence stops matching on its own, nothing needs to remove it.
 *
 * <p>Matchers (null = any; at least one is set): {@code rule} and {@code source} equal the candidate's trigger
 * rule and source; {@code process}, {@code subsystem} and {@code messageRegex} must all hold for one of its log
 * events (so a candidate without logs never matches them); {@code minimumSeverity} matches alerts at least that
 * severe.
 *
 * @param state          pending (starts later) | active | expired, as of the time it was read
 * @param silencedAlerts how many alerts it has silenced
 */
public record Silence(long id, Instant createdAt, Instant startsAt, Instant endsAt, Instant expiredAt,
                      String createdBy, String comment, String rule, String source, String process,
                      String subsystem, Severity minimumSeverity, String messageRegex, String state,
                      long silencedAlerts) {
    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String EXPIRED = "expired";

    /** True when it silences at {@code now}. */
    public boolean activeAt(Instant now) {
        return expiredAt == null && !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    static String stateAt(Instant now, Instant startsAt, Instant endsAt, Instant expiredAt) {
        if (expiredAt != null || !now.isBefore(endsAt)) {
            return EXPIRED;
        }
        return now.isBefore(startsAt) ? PENDING : ACTIVE;
    }
}
