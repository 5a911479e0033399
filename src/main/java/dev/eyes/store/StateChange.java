package dev.eyes.store;

import java.time.Instant;

/**
 * One entry of a candidate's history ({@code alert_candidate_transitions}).
 *
 * @param aspect analysis | alert | resolution | acknowledgement | group
 * @param from   the state before (null for the first)
 */
public record StateChange(Instant at, String aspect, String from, String to, String reason) {
}
