package dev.eyes.selfmon;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The original's adaptive sampling (reference §13): under pressure the metrics and disk interval is slowed by
 * {@code slowdown_factor} (×1.5) up to {@code max_interval_seconds} (60 s); without pressure it comes back by
 * {@code recovery_factor} (×0.9) until it is the configured {@code metrics.interval_seconds} again. Each
 * {@link #update} is one step; the self-check calls it every {@code self_monitoring.interval_seconds}. Changes are
 * handed to {@code apply} (the samplers' {@code setInterval}); thread-safe.
 */
public final class AdaptiveSampling {
    private final Consumer<Duration> apply;
    private Duration base;
    private double maxSeconds;
    private double slowdown;
    private double recovery;
    private double currentSeconds;

    public AdaptiveSampling(Duration base, int maxIntervalSeconds, double slowdown, double recovery,
                            Consumer<Duration> apply) {
        this.apply = apply;
        this.base = base;
        this.maxSeconds = maxIntervalSeconds;
        this.slowdown = slowdown;
        this.recovery = recovery;
        this.currentSeconds = seconds(base);
    }

    /**
     * New settings from a reloaded configuration. A new base interval is applied at once (the adaptive state
     * starts over from it); new factors and maximum apply from the next step.
     */
    public synchronized void reconfigure(Duration base, int maxIntervalSeconds, double slowdown, double recovery) {
        boolean newBase = !base.equals(this.base);
        this.base = base;
        this.maxSeconds = maxIntervalSeconds;
        this.slowdown = slowdown;
        this.recovery = recovery;
        if (newBase) {
            currentSeconds = seconds(base);
            apply.accept(base);
        }
    }

    /** One step: slower under pressure, back towards the base without. Returns the interval now in effect. */
    public synchronized Duration update(boolean underPressure) {
        double baseSeconds = seconds(base);
        double ceiling = Math.max(baseSeconds, maxSeconds);
        double next;
        if (underPressure) {
            next = Math.min(ceiling, currentSeconds * slowdown);
        } else {
            next = Math.max(baseSeconds, currentSeconds * recovery);
            if (next - baseSeconds < baseSeconds * 0.01) {
                next = baseSeconds;
            }
        }
        if (Math.abs(next - currentSeconds) >= 0.001) {
            currentSeconds = next;
            apply.accept(current());
        }
        return current();
    }

    /** Back to the base interval at once (adaptive sampling switched off by a reload). */
    public synchronized void reset() {
        if (currentSeconds != seconds(base)) {
            currentSeconds = seconds(base);
            apply.accept(base);
        }
    }

    public synchronized Duration current() {
        return currentSeconds == seconds(base) ? base : Duration.ofMillis(Math.round(currentSeconds * 1000));
    }

    public synchronized Duration base() {
        return base;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
