package dev.eyes.rule;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * When each (rule, source) pair last fired, in event time. A pair is quiet while the new event's time is within
 * the cooldown of the last firing, <em>in either direction</em>: entries seen a second time after a restart
 * carry their original timestamps, so they cannot fire again. Single-threaded; bounded by pruning pairs whose
 * cooldown is long over.
 */
public final class Cooldowns {
    private final Duration cooldown;
    private final Map<String, Instant> lastFired = new HashMap<>();
    private int sinceCleanup;

    public Cooldowns(Duration cooldown) {
        this.cooldown = cooldown;
    }

    public boolean active(String key, Instant at) {
        Instant last = lastFired.get(key);
        return last != null && Duration.between(last, at).abs().compareTo(cooldown) < 0;
    }

    public void stamp(String key, Instant at) {
        Instant prev = lastFired.get(key);
        if (prev == null || at.isAfter(prev)) {
            lastFired.put(key, at);
        }
        if (++sinceCleanup >= 1024) {
            sinceCleanup = 0;
            prune(at);
        }
    }

    /** Loads persisted stamps (at start). */
    public void restore(Map<String, Instant> stamps) {
        stamps.forEach(this::stamp);
    }

    public int size() {
        return lastFired.size();
    }

    public Duration cooldown() {
        return cooldown;
    }

    /** The same stamps under another cooldown length (a reloaded {@code triggers.cooldown_seconds}). */
    public Cooldowns withCooldown(Duration other) {
        Cooldowns c = new Cooldowns(other);
        c.lastFired.putAll(lastFired);
        return c;
    }

    private void prune(Instant now) {
        Instant horizon = now.minus(cooldown.multipliedBy(2));
        for (Iterator<Instant> it = lastFired.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(horizon)) {
                it.remove();
            }
        }
    }
}
