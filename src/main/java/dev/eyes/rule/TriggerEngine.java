package dev.eyes.rule;

import dev.eyes.config.EyesConfig;
import dev.eyes.config.RulesConfig;
import dev.eyes.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs every enabled rule on every event, applies the per-(rule, source) cooldown, and hands each trigger on.
 * Owned by the event-loop thread.
 */
public final class TriggerEngine {
    /** Notified of every trigger; receives it after its cooldown was stamped. */
    public interface Listener {
        void onTrigger(Trigger trigger);

        /** A rule's condition held but its (rule, source) was cooling down. */
        default void onSuppressed(String rule, String source) {
        }
    }

    private final List<Rule> rules;
    private final Cooldowns cooldowns;
    private final RecentEvents recent;
    private final Listener listener;
    private final Rule.Firing firing = new Rule.Firing() {
        @Override
        public boolean coolingDown(String rule, String source, Instant at) {
            boolean active = cooldowns.active(Trigger.cooldownKey(rule, source), at);
            if (active) {
                listener.onSuppressed(rule, source);
            }
            return active;
        }

        @Override
        public RecentEvents recent() {
            return recent;
        }

        @Override
        public void fire(Trigger trigger) {
            cooldowns.stamp(trigger.cooldownKey(), trigger.timestamp());
            listener.onTrigger(trigger);
        }
    };

    public TriggerEngine(List<Rule> rules, Cooldowns cooldowns, RecentEvents recent, Listener listener) {
        this.rules = List.copyOf(rules);
        this.cooldowns = cooldowns;
        this.recent = recent;
        this.listener = listener;
    }

    /** A listener that only forwards triggers. */
    public static Listener listener(Consumer<Trigger> onTrigger) {
        return onTrigger::accept;
    }

    public void onEvent(Event event) {
        for (Rule r : rules) {
            r.onEvent(event, firing);
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    public Cooldowns cooldowns() {
        return cooldowns;
    }

    /** Restores persisted cooldown stamps (key → time it last fired). */
    public void restoreCooldowns(Map<String, Instant> stamps) {
        cooldowns.restore(stamps);
    }

    /** The built-in rules that the configuration enables, in a fixed order. */
    public static List<Rule> rulesFor(EyesConfig config) {
        RulesConfig rc = config.rules();
        BenignNoise benign = new BenignNoise(rc.benign().patterns());
        Duration window = Duration.ofSeconds(config.triggers().errorWindowSeconds());
        List<Rule> rules = new ArrayList<>();
        if (rc.errorFrequency().enabled()) {
            rules.add(new ErrorFrequencyRule(config.triggers().errorThreshold(), window,
                    config.buffer().maxSize(), benign));
        }
        if (rc.crash().enabled()) {
            rules.add(new CrashDetectionRule(rc.crash().extraKeywords(), window, benign));
        }
        if (rc.memoryPressure().enabled()) {
            rules.add(new MemoryPressureRule(config.triggers().memoryThreshold(),
                    Duration.ofSeconds(config.buffer().maxAgeSeconds()), benign));
        }
        if (rc.resourceSpike().enabled()) {
            RulesConfig.ResourceSpike rs = rc.resourceSpike();
            rules.add(new ResourceSpikeRule(Duration.ofSeconds(rs.comparisonWindowSeconds()), rs.cpuPowerDeltaMw(),
                    rs.gpuPowerDeltaMw(), rs.cpuUsageDeltaPercent(), config.buffer().maxSize(), benign));
        }
        if (rc.diskIoSpike().enabled()) {
            RulesConfig.DiskIoSpike ds = rc.diskIoSpike();
            rules.add(new DiskIOSpikeRule(Duration.ofSeconds(ds.comparisonWindowSeconds()), ds.readDeltaKbPerSec(),
                    ds.writeDeltaKbPerSec(), config.buffer().maxSize(), benign));
        }
        return rules;
    }

    public static Cooldowns cooldownsFor(EyesConfig config) {
        return new Cooldowns(Duration.ofSeconds(config.triggers().cooldownSeconds()));
    }
}
