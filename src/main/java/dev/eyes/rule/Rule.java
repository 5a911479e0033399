package dev.eyes.rule;

import dev.eyes.event.Event;

/**
 * A trigger rule. Rules are incremental: each keeps the windowed state it needs and is updated once per
 * event, so its cost per event does not grow with the buffer size. A rule fires on the event that crosses
 * its threshold. Called only from the event-loop thread: no locks.
 */
public interface Rule {
    /** E.g. {@code ErrorFrequencyRule}; also the {@code trigger_rule} stored with candidates. */
    String name();

    void onEvent(Event event, Firing out);

    /**
     * The kinds of event this rule looks at. The engine hands a rule only these, and counts them as the rule's
     * evaluations (self-monitoring). Default: every kind.
     */
    default java.util.Set<Input> inputs() {
        return java.util.EnumSet.allOf(Input.class);
    }

    /** The kinds of event, as the engine dispatches them. */
    enum Input {
        LOG, METRICS, DISK;

        public static Input of(Event e) {
            return switch (e) {
                case dev.eyes.event.LogEvent l -> LOG;
                case dev.eyes.event.MetricsEvent m -> METRICS;
                case dev.eyes.event.DiskEvent d -> DISK;
            };
        }
    }

    /** What a rule may do when its condition holds. */
    interface Firing {
        /** True when (rule, source) fired within the cooldown; the rule should then not build evidence. */
        boolean coolingDown(String rule, String source, java.time.Instant at);

        RecentEvents recent();

        void fire(Trigger trigger);
    }
}
