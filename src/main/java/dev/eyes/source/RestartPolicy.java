package dev.eyes.source;

import java.time.Duration;

/**
 * When to restart a subprocess that ended (reference §5): wait {@code initialDelay}, doubling up to
 * {@code maxDelay}; after {@code failuresBeforePause} failures in a row wait {@code pause} and start over.
 * A run that delivered at least one line, or lasted {@code healthyAfter}, was healthy and resets the count.
 */
public record RestartPolicy(Duration initialDelay, Duration maxDelay, int failuresBeforePause, Duration pause,
                            Duration healthyAfter) {

    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 5,
            Duration.ofSeconds(60), Duration.ofSeconds(30));

    /** The wait before the next start after {@code failures} failures in a row (1-based). */
    public Duration delayAfter(int failures) {
        if (failures >= failuresBeforePause) {
            return pause;
        }
        long ms = initialDelay.toMillis();
        for (int i = 1; i < failures && ms < maxDelay.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }
}
