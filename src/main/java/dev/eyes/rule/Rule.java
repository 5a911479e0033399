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

    /** What a rule may do when its condition holds. */
    interface Firing {
        /** True when (rule, source) fired within the cooldown; the rule should then not build evidence. */
        boolean coolingDown(String rule, String source, java.time.Instant at);

        RecentEvents recent();

        void fire(Trigger trigger);
    }
}
