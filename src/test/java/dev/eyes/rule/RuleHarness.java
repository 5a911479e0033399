package dev.eyes.rule;

import dev.eyes.config.BufferConfig;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.pipeline.RecentBuffers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Feeds events through buffers and a {@link TriggerEngine} the way the event loop does, collecting triggers. */
final class RuleHarness {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final List<Trigger> triggers = new ArrayList<>();
    final List<String> suppressed = new ArrayList<>();
    final RecentBuffers buffers;
    final TriggerEngine engine;

    RuleHarness(List<Rule> rules, Duration cooldown) {
        buffers = new RecentBuffers(new BufferConfig(60, 1000));
        engine = new TriggerEngine(rules, new Cooldowns(cooldown), buffers, new TriggerEngine.Listener() {
            @Override
            public void onTrigger(Trigger t) {
                triggers.add(t);
            }

            @Override
            public void onSuppressed(String rule, String source) {
                suppressed.add(rule + ":" + source);
            }
        });
    }

    RuleHarness(Rule rule) {
        this(List.of(rule), Duration.ofSeconds(300));
    }

    void feed(Event e) {
        buffers.add(e);
        engine.onEvent(e);
    }

    static LogEvent log(double atSeconds, MessageType type, String process, String message) {
        return log(atSeconds, type, "", process, message);
    }

    static LogEvent log(double atSeconds, MessageType type, String subsystem, String process, String message) {
        return new LogEvent(T0.plusNanos((long) (atSeconds * 1e9)), type, subsystem, "", process, 100, message);
    }

    static LogEvent error(double atSeconds, String process, String message) {
        return log(atSeconds, MessageType.ERROR, process, message);
    }
}
