package dev.eyes.rule;

import static dev.eyes.rule.RuleHarness.NO_BENIGN;
import static dev.eyes.rule.RuleHarness.at;
import static dev.eyes.rule.RuleHarness.metrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsProvenance;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceSpikeRuleTest {
    private static RuleHarness harness(Duration cooldown) {
        return new RuleHarness(cooldown, new ResourceSpikeRule(Duration.ofSeconds(30), 1000, 2000, 50, 1000,
                NO_BENIGN));
    }

    private static RuleHarness harness() {
        return harness(Duration.ofSeconds(300));
    }

    @Test
    void cpuPowerExactlyAtTheThresholdFires() {
        RuleHarness h = harness();
        h.feed(metrics(0, 1500.0, null, null), metrics(5, 2000.0, null, null));
        assertThat(h.fired).isEmpty();
        h.feed(metrics(10, 2500.0, null, null)); // +1000 over the minimum 1500
        assertThat(h.fired).singleElement().satisfies(t -> {
            assertThat(t.rule()).isEqualTo("ResourceSpikeRule");
            assertThat(t.source()).isNull();
            assertThat(t.expectedSeverity()).isEqualTo(Severity.WARNING);
            assertThat(t.reason()).isEqualTo("Rule 'ResourceSpikeRule' triggered: CPU power spike: baseline 1500.0 mW,"
                    + " peak 2500.0 mW, delta +1000.0 mW (threshold 1000.0 mW) within 30 s");
            assertThat(t.metricsEvents()).hasSize(3);
        });
    }

    @Test
    void justBelowTheThresholdDoesNot() {
        RuleHarness h = harness();
        h.feed(metrics(0, 1500.0, 100.0, 10.0), metrics(5, 2499.9, 2099.9, 59.9));
        assertThat(h.fired).isEmpty();
    }

    @Test
    void gpuPowerAndCpuUsageClauses() {
        RuleHarness g = harness();
        g.feed(metrics(0, null, 500.0, null), metrics(5, null, 2500.0, null));
        assertThat(g.fired).singleElement().extracting(Trigger::reason).asString()
                .contains("GPU power spike: baseline 500.0 mW, peak 2500.0 mW, delta +2000.0 mW (threshold 2000.0 mW)");
        RuleHarness c = harness();
        c.feed(metrics(0, null, null, 3.0), metrics(5, null, null, 40.0), metrics(10, null, null, 53.0));
        assertThat(c.fired).singleElement().extracting(Trigger::reason).asString()
                .contains("CPU usage spike: baseline 3.0 %, peak 53.0 %, delta +50.0 points (threshold 50.0 points)");
    }

    @Test
    void severalClausesInOneSampleMakeOneTriggerLargestFirst() {
        RuleHarness h = harness();
        h.feed(metrics(0, 1000.0, 1000.0, 10.0), metrics(5, 2200.0, 7000.0, 70.0));
        assertThat(h.fired).hasSize(1);
        String reason = h.fired.getFirst().reason();
        // GPU +6000/2000 = 3.0, CPU power +1200/1000 = 1.2, CPU usage +60/50 = 1.2 (stable order)
        assertThat(reason.indexOf("GPU power")).isLessThan(reason.indexOf("CPU power"));
        assertThat(reason).contains("CPU usage spike");
    }

    @Test
    void decreasesNeverFire() {
        RuleHarness h = harness();
        h.feed(metrics(0, 9000.0, 9000.0, 99.0), metrics(5, 100.0, 100.0, 1.0), metrics(10, 50.0, 50.0, 0.0));
        assertThat(h.fired).isEmpty();
    }

    @Test
    void aTransientSpikeThatReturnsToBaselineFiresOnceAndTheReturnDoesNot() {
        RuleHarness h = harness(Duration.ofSeconds(10));
        h.feed(metrics(0, null, null, 5.0), metrics(5, null, null, 90.0), metrics(10, null, null, 5.0),
                metrics(15, null, null, 6.0), metrics(20, null, null, 5.0));
        assertThat(h.fired).hasSize(1);
        assertThat(h.fired.getFirst().timestamp()).isEqualTo(at(5));
        // a second spike after the cooldown fires again
        h.feed(metrics(25, null, null, 95.0));
        assertThat(h.fired).hasSize(2);
    }

    @Test
    void theWindowExpiresSoASlowClimbIsNoSpike() {
        RuleHarness h = harness();
        // +20 points every 20 s: each sample is within 50 of everything in the 30 s before it
        for (int i = 0; i < 5; i++) {
            h.feed(metrics(i * 20, null, null, 10.0 + i * 20));
        }
        assertThat(h.fired).isEmpty();
        // the same rise inside the window fires
        RuleHarness fast = harness();
        fast.feed(metrics(0, null, null, 10.0), metrics(29, null, null, 40.0), metrics(30, null, null, 60.0));
        assertThat(fast.fired).hasSize(1);
        RuleHarness late = harness();
        late.feed(metrics(0, null, null, 10.0), metrics(31, null, null, 60.0));
        assertThat(late.fired).as("the baseline sample is 31 s old").isEmpty();
    }

    @Test
    void aSustainedRiseBecomesTheNewBaseline() {
        RuleHarness h = harness(Duration.ofSeconds(5));
        h.feed(metrics(0, null, null, 10.0), metrics(5, null, null, 80.0));
        for (int t = 10; t <= 100; t += 5) {
            h.feed(metrics(t, null, null, 80.0));
        }
        // while the 10 % sample (t=0) is in the window the rise still counts (each time the 5 s cooldown ends);
        // once it has left (t > 30) the 80 % plateau is the baseline and nothing fires
        assertThat(h.fired).isNotEmpty().allSatisfy(t -> assertThat(t.timestamp()).isBeforeOrEqualTo(at(30)));
        assertThat(h.fired.getLast().timestamp()).isEqualTo(at(30));
    }

    @Test
    void cooldownSuppressesWithoutBuildingEvidence() {
        RuleHarness h = harness();
        h.feed(metrics(0, 1000.0, null, null), metrics(5, 3000.0, null, null), metrics(10, 1000.0, null, null),
                metrics(15, 3000.0, null, null));
        assertThat(h.fired).hasSize(1);
        assertThat(h.suppressed).containsExactly("ResourceSpikeRule:null");
    }

    @Test
    void estimatedPowerIsNotCompared() {
        MetricsProvenance est = new MetricsProvenance(MetricsSource.TOP_VM_STAT, MeasurementKind.MEASURED,
                MeasurementKind.ESTIMATED, MeasurementKind.UNAVAILABLE, MeasurementKind.UNAVAILABLE,
                MeasurementKind.MEASURED, MeasurementKind.DERIVED, MeasurementKind.ESTIMATED);
        RuleHarness h = harness();
        h.feed(new MetricsEvent(at(0), 200.0, 5.0, null, null, MemoryPressure.NORMAL, 1.0, 200.0, est, List.of()),
                new MetricsEvent(at(5), 1800.0, 45.0, null, null, MemoryPressure.NORMAL, 1.0, 1800.0, est, List.of()));
        assertThat(h.fired).as("+1600 estimated mW, +40 points").isEmpty();
    }

    @Test
    void disabledByConfigurationIsAbsentFromTheEngine() {
        var d = dev.eyes.config.EyesConfig.defaults();
        assertThat(TriggerEngine.rulesFor(d)).extracting(Rule::name).containsExactly("ErrorFrequencyRule",
                "CrashDetectionRule", "MemoryPressureRule", "ResourceSpikeRule", "DiskIOSpikeRule");
        var rc = d.rules();
        var off = new dev.eyes.config.RulesConfig(rc.errorFrequency(), rc.crash(), rc.benign(),
                new dev.eyes.config.RulesConfig.MemoryPressureRule(false),
                new dev.eyes.config.RulesConfig.ResourceSpike(false, 30, 1000, 2000, 50),
                new dev.eyes.config.RulesConfig.DiskIoSpike(false, 30, 524288, 262144));
        var cfg = new dev.eyes.config.EyesConfig(d.logging(), d.metrics(), d.buffer(), d.triggers(), off, d.ai(),
                d.alerts(), d.storage(), d.web(), d.selfMonitoring());
        assertThat(TriggerEngine.rulesFor(cfg)).extracting(Rule::name).containsExactly("ErrorFrequencyRule",
                "CrashDetectionRule");
    }
}
