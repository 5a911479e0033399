package dev.eyes.rule;

import static dev.eyes.rule.RuleHarness.NO_BENIGN;
import static dev.eyes.rule.RuleHarness.at;
import static dev.eyes.rule.RuleHarness.pressure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.LogEvent;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MessageType;
import dev.eyes.event.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryPressureRuleTest {
    private static final Duration COOLDOWN = Duration.ofSeconds(300);

    private static RuleHarness harness(MemoryPressure threshold) {
        return new RuleHarness(COOLDOWN, new MemoryPressureRule(threshold, Duration.ofSeconds(60), NO_BENIGN));
    }

    @Test
    void firesAtTheThresholdNotBelow() {
        RuleHarness h = harness(MemoryPressure.WARNING);
        h.feed(pressure(0, MemoryPressure.NORMAL, MeasurementKind.MEASURED),
                pressure(5, MemoryPressure.NORMAL, MeasurementKind.MEASURED));
        assertThat(h.fired).isEmpty();
        h.feed(pressure(10, MemoryPressure.WARNING, MeasurementKind.MEASURED));
        assertThat(h.fired).singleElement().satisfies(t -> {
            assertThat(t.rule()).isEqualTo("MemoryPressureRule");
            assertThat(t.source()).isNull();
            assertThat(t.expectedSeverity()).isEqualTo(Severity.WARNING);
            assertThat(t.timestamp()).isEqualTo(at(10));
            assertThat(t.reason()).isEqualTo("Rule 'MemoryPressureRule' triggered: memory pressure Warning"
                    + " (measured by Linux /proc; threshold Warning)");
            assertThat(t.metricsEvents()).hasSize(3);
        });
    }

    @Test
    void estimatedOrUnknownLevelsNeverFire() {
        RuleHarness h = harness(MemoryPressure.NORMAL);
        h.feed(pressure(0, MemoryPressure.CRITICAL, MeasurementKind.ESTIMATED),
                pressure(5, MemoryPressure.CRITICAL, MeasurementKind.DERIVED),
                pressure(10, MemoryPressure.UNKNOWN, MeasurementKind.MEASURED),
                pressure(15, MemoryPressure.UNKNOWN, MeasurementKind.UNAVAILABLE));
        assertThat(h.fired).isEmpty();
        h.feed(pressure(20, MemoryPressure.NORMAL, MeasurementKind.MEASURED));
        assertThat(h.fired).as("threshold Normal fires on any measured level").hasSize(1);
    }

    @Test
    void criticalThresholdIgnoresWarning() {
        RuleHarness h = harness(MemoryPressure.CRITICAL);
        h.feed(pressure(0, MemoryPressure.WARNING, MeasurementKind.MEASURED));
        assertThat(h.fired).isEmpty();
        h.feed(pressure(5, MemoryPressure.CRITICAL, MeasurementKind.MEASURED));
        assertThat(h.fired).singleElement().extracting(Trigger::expectedSeverity).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void cooldownHoldsRepeatsButAnEscalationToCriticalFiresAtOnce() {
        RuleHarness h = harness(MemoryPressure.WARNING);
        h.feed(pressure(0, MemoryPressure.WARNING, MeasurementKind.MEASURED),
                pressure(5, MemoryPressure.WARNING, MeasurementKind.MEASURED),
                pressure(10, MemoryPressure.WARNING, MeasurementKind.MEASURED));
        assertThat(h.fired).hasSize(1);
        assertThat(h.suppressed).hasSize(2);
        h.feed(pressure(15, MemoryPressure.CRITICAL, MeasurementKind.MEASURED));
        assertThat(h.fired).hasSize(2);
        assertThat(h.fired.get(1).expectedSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(h.fired.get(1).reason()).endsWith("; escalated from Warning");
        h.feed(pressure(20, MemoryPressure.CRITICAL, MeasurementKind.MEASURED),
                pressure(25, MemoryPressure.WARNING, MeasurementKind.MEASURED));
        assertThat(h.fired).as("critical again within the cooldown").hasSize(2);
        h.feed(pressure(400, MemoryPressure.WARNING, MeasurementKind.MEASURED));
        assertThat(h.fired).as("after the cooldown").hasSize(3);
    }

    @Test
    void severityFollowsTheHighestMeasuredLevelInTheWindow() {
        RuleHarness h = new RuleHarness(Duration.ofSeconds(30),
                new MemoryPressureRule(MemoryPressure.WARNING, Duration.ofSeconds(60), NO_BENIGN));
        h.feed(pressure(0, MemoryPressure.CRITICAL, MeasurementKind.MEASURED));
        // 40 s later the cooldown (30 s) is over; Critical (t=0) is still in the 60 s evidence window
        h.feed(pressure(40, MemoryPressure.WARNING, MeasurementKind.MEASURED));
        assertThat(h.fired).hasSize(2);
        assertThat(h.fired.get(1).expectedSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(h.fired.get(1).reason()).contains("Critical within the last 60 s");
    }

    @Test
    void evidenceHoldsRecentErrors() {
        RuleHarness h = harness(MemoryPressure.WARNING);
        h.feed(new LogEvent(at(1), MessageType.ERROR, "", "", "kernel", 0, "Out of memory: Killed process 42"),
                new LogEvent(at(2), MessageType.INFO, "", "", "x", 0, "fine"),
                pressure(3, MemoryPressure.WARNING, MeasurementKind.MEASURED));
        assertThat(h.fired.getFirst().logEvents()).extracting(LogEvent::message)
                .containsExactly("Out of memory: Killed process 42");
    }
}
