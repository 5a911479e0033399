package dev.eyes.rule;

import dev.eyes.config.BufferConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsProvenance;
import dev.eyes.event.MetricsSource;
import dev.eyes.pipeline.EventProcessor;
import dev.eyes.pipeline.RecentBuffers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rules run as in the pipeline: the real buffers, engine and cooldowns, in event time. */
final class RuleHarness {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final BenignNoise NO_BENIGN = new BenignNoise(List.of());

    final List<Trigger> fired = new ArrayList<>();
    /** The same list as {@link #fired}. */
    final List<Trigger> triggers = fired;
    final List<String> suppressed = new ArrayList<>();
    private final EventProcessor processor;

    RuleHarness(Duration cooldown, Rule... rules) {
        RecentBuffers buffers = new RecentBuffers(new BufferConfig(600, 1000));
        TriggerEngine engine = new TriggerEngine(List.of(rules), new Cooldowns(cooldown), buffers,
                new TriggerEngine.Listener() {
                    @Override
                    public void onTrigger(Trigger trigger) {
                        fired.add(trigger);
                    }

                    @Override
                    public void onSuppressed(String rule, String source) {
                        suppressed.add(rule + ":" + source);
                    }
                });
        processor = new EventProcessor(buffers, engine, null);
    }

    RuleHarness(Rule rule) {
        this(Duration.ofSeconds(300), rule);
    }

    RuleHarness(List<Rule> rules, Duration cooldown) {
        this(cooldown, rules.toArray(new Rule[0]));
    }

    RuleHarness feed(Event... events) {
        for (Event e : events) {
            processor.process(e, null, 0);
        }
        return this;
    }

    static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    static final MetricsProvenance MEASURED = new MetricsProvenance(MetricsSource.PROC, MeasurementKind.MEASURED,
            MeasurementKind.MEASURED, MeasurementKind.MEASURED, MeasurementKind.MEASURED, MeasurementKind.MEASURED,
            MeasurementKind.DERIVED, MeasurementKind.DERIVED);

    static MetricsEvent pressure(double t, MemoryPressure p, MeasurementKind kind) {
        MetricsProvenance prov = new MetricsProvenance(MetricsSource.PROC, MeasurementKind.MEASURED,
                MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE, kind,
                MeasurementKind.DERIVED, MeasurementKind.UNAVAILABLE);
        return new MetricsEvent(at(t), null, 5.0, null, null, p, 1000.0, null, prov, List.of());
    }

    /** A sample with the given CPU power, GPU power and CPU usage (null = unavailable). */
    static MetricsEvent metrics(double t, Double cpuMw, Double gpuMw, Double cpuPct) {
        MetricsProvenance prov = new MetricsProvenance(MetricsSource.PROC, kind(cpuPct), kind(cpuMw),
                MeasurementKind.UNAVAILABLE, kind(gpuMw), MeasurementKind.MEASURED, MeasurementKind.DERIVED,
                MeasurementKind.UNAVAILABLE);
        return new MetricsEvent(at(t), cpuMw, cpuPct, gpuMw, null, MemoryPressure.NORMAL, 1000.0, null, prov,
                List.of());
    }

    private static MeasurementKind kind(Double v) {
        return v == null ? MeasurementKind.UNAVAILABLE : MeasurementKind.MEASURED;
    }

    static dev.eyes.event.LogEvent log(double atSeconds, dev.eyes.event.MessageType type, String process,
                                       String message) {
        return log(atSeconds, type, "", process, message);
    }

    static dev.eyes.event.LogEvent log(double atSeconds, dev.eyes.event.MessageType type, String subsystem,
                                       String process, String message) {
        return new dev.eyes.event.LogEvent(T0.plusNanos((long) (atSeconds * 1e9)), type, subsystem, "", process, 100,
                message);
    }

    static dev.eyes.event.LogEvent error(double atSeconds, String process, String message) {
        return log(atSeconds, dev.eyes.event.MessageType.ERROR, process, message);
    }

    static DiskEvent disk(double t, String name, double readKb, double writeKb) {
        return new DiskEvent(at(t), readKb, writeKb, readKb / 64, writeKb / 64, name, null);
    }
}
