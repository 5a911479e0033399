package dev.eyes.store;

import dev.eyes.selfmon.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The observer's heartbeat as stored in {@code observer_heartbeat}: when it was written, by which process, and
 * the {@link Health} snapshot it carries (null when the payload cannot be read, e.g. written by an incompatible
 * version; {@code payload} still holds the text).
 */
public record Heartbeat(Instant at, long pid, String payload, Health health) {
    /** A heartbeat older than this means the observer is not running (three missed heartbeats). */
    public static final Duration STALE_AFTER = Duration.ofSeconds(3L * dev.eyes.selfmon.SelfMonitor.HEARTBEAT_SECONDS);

    /** What the heartbeat says about the observer. */
    public enum Liveness {
        /** Fresh, and the observer said it was running (or starting/stopping). */
        RUNNING,
        /** The observer stopped cleanly and said so. */
        STOPPED,
        /** Stale: the observer died or hung without saying so. */
        NOT_RUNNING;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public Liveness liveness(Instant now) {
        if (health != null && health.state() == Health.State.STOPPED) {
            return Liveness.STOPPED;
        }
        return age(now).compareTo(STALE_AFTER) > 0 ? Liveness.NOT_RUNNING : Liveness.RUNNING;
    }

    public Duration age(Instant now) {
        Duration d = Duration.between(at, now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** One line for people: "running (pid 123, last heartbeat 4 s ago)", "not running (last heartbeat …)". */
    public String describe(Instant now) {
        String ago = ago(age(now));
        return switch (liveness(now)) {
            case RUNNING -> "running (pid " + pid + ", last heartbeat " + ago + " ago)";
            case STOPPED -> "stopped (cleanly, " + ago + " ago; it was pid " + pid + ")";
            case NOT_RUNNING -> "not running (the last heartbeat, from pid " + pid + ", is " + ago + " old)";
        };
    }

    static String ago(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        if (s < 172_800) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " days";
    }
}
