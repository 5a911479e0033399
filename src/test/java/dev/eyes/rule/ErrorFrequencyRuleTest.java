package dev.eyes.rule;

import static dev.eyes.rule.RuleHarness.T0;
import static dev.eyes.rule.RuleHarness.error;
import static dev.eyes.rule.RuleHarness.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.MessageType;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every clause of reference §7 rule 1, with the boundaries. Threshold 5, window 10 s unless said otherwise. */
class ErrorFrequencyRuleTest {

    static ErrorFrequencyRule rule() {
        return new ErrorFrequencyRule(5, Duration.ofSeconds(10), 1000, new BenignNoise(List.of()));
    }

    @Test
    void exactlyThresholdDistinctMessagesDoNotFire() {
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 5; i++) {
            h.feed(error(i, "app", "failure " + i));
        }
        assertThat(h.triggers).isEmpty();
    }

    @Test
    void thresholdPlusOneDistinctMessagesFireOnceWithWarningAndEvidence() {
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 7; i++) {
            h.feed(error(i, "app", "failure " + i));
        }
        assertThat(h.triggers).hasSize(1);
        Trigger t = h.triggers.getFirst();
        assertThat(t.rule()).isEqualTo("ErrorFrequencyRule");
        assertThat(t.source()).isEqualTo("app");
        assertThat(t.expectedSeverity()).isEqualTo(Severity.WARNING);
        assertThat(t.timestamp()).isEqualTo(T0.plusSeconds(5)); // the 6th event crossed the threshold
        assertThat(t.logEvents()).extracting(e -> e.message())
                .containsExactly("failure 0", "failure 1", "failure 2", "failure 3", "failure 4", "failure 5");
        assertThat(t.reason()).contains("6 distinct error messages from app within 10 s (threshold 5)");
        assertThat(h.suppressed).containsExactly("ErrorFrequencyRule:app"); // the 7th: cooling down
    }

    @Test
    void repeatsOfTheSameMessageCountOnceForDistinct() {
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 5; i++) {
            h.feed(error(i, "app", "same"));
        }
        for (int i = 0; i < 4; i++) {
            h.feed(error(5 + i * 0.1, "app", "other " + i));
        }
        // distinct = 1 + 4 = 5: not above 5; "same" occurs 5 times: not above 5
        assertThat(h.triggers).isEmpty();
    }

    @Test
    void distinctCountsOnlyTheCurrentWindowAndTheWindowIncludesItsStart() {
        RuleHarness h = new RuleHarness(rule());
        h.feed(error(0, "app", "m0"));
        for (int i = 1; i <= 4; i++) {
            h.feed(error(i, "app", "m" + i));
        }
        // at t=10, m0 (t=0) is exactly at now-W: still current → 6 distinct
        h.feed(error(10, "app", "m5"));
        assertThat(h.triggers).hasSize(1);

        RuleHarness late = new RuleHarness(rule());
        late.feed(error(0, "app", "m0"));
        for (int i = 1; i <= 4; i++) {
            late.feed(error(i, "app", "m" + i));
        }
        // one nanosecond later m0 has left the current window → 5 distinct
        late.feed(error(10.000000001, "app", "m5"));
        assertThat(late.triggers).isEmpty();
    }

    @Test
    void sameMessageMoreThanThresholdTimesWithNoBaselineFires() {
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 5; i++) {
            h.feed(error(i * 0.5, "app", "disk full"));
        }
        assertThat(h.triggers).isEmpty();
        h.feed(error(3, "app", "disk full"));
        assertThat(h.triggers).hasSize(1);
        assertThat(h.triggers.getFirst().reason()).contains("the same error from app 6 times within 10 s")
                .contains("none in the 10 s before").contains("disk full");
    }

    @Test
    void repeatFiresAtTwiceTheBaselineButNotBelow() {
        // baseline window [now-20, now-10): 3 occurrences; current: 6 → 6 >= 2*3 fires
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 3; i++) {
            h.feed(error(1 + i, "app", "flaky"));
        }
        for (int i = 0; i < 6; i++) {
            h.feed(error(15 + i * 0.1, "app", "flaky"));
        }
        assertThat(h.triggers).hasSize(1);
        assertThat(h.triggers.getFirst().reason()).contains("6 times").contains("3 in the 10 s before");

        // baseline 4: current 6 < 8 must not fire; 7 < 8 neither; 8 >= 8 fires
        RuleHarness b = new RuleHarness(rule());
        for (int i = 0; i < 4; i++) {
            b.feed(error(1 + i, "app", "flaky"));
        }
        for (int i = 0; i < 7; i++) {
            b.feed(error(15 + i * 0.1, "app", "flaky"));
        }
        assertThat(b.triggers).isEmpty();
        b.feed(error(16, "app", "flaky"));
        assertThat(b.triggers).hasSize(1);
    }

    @Test
    void eventsOlderThanTwoWindowsAreForgotten() {
        RuleHarness fresh = new RuleHarness(rule());
        for (int i = 0; i < 10; i++) {
            fresh.feed(error(i * 0.1, "app", "noise " + (i % 2))); // 5 + 5 at t≈0..1: no trigger
        }
        assertThat(fresh.triggers).isEmpty();
        // 21+ s later the old ones are outside the baseline window: 6 repeats fire (baseline 0)
        for (int i = 0; i < 6; i++) {
            fresh.feed(error(25 + i * 0.1, "app", "noise 0"));
        }
        assertThat(fresh.triggers).hasSize(1);
    }

    @Test
    void sourcesAreClusteredSeparately() {
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 4; i++) {
            h.feed(error(i, "alpha", "a" + i));
            h.feed(error(i, "beta", "b" + i));
        }
        assertThat(h.triggers).isEmpty(); // 8 distinct in total, but 4 per source
        for (int i = 4; i < 6; i++) {
            h.feed(error(i, "beta", "b" + i));
        }
        assertThat(h.triggers).extracting(Trigger::source).containsExactly("beta");
        assertThat(h.triggers.getFirst().logEvents()).allMatch(e -> e.process().equals("beta"));
    }

    @Test
    void sourceNameIncludesTheUnitAndSubsystemSplitsSources() {
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 3; i++) {
            h.feed(log(i, MessageType.ERROR, "a.service", "sshd", "x" + i));
            h.feed(log(i, MessageType.ERROR, "b.service", "sshd", "y" + i));
        }
        assertThat(h.triggers).isEmpty();
        for (int i = 3; i < 6; i++) {
            h.feed(log(i, MessageType.FAULT, "a.service", "sshd", "x" + i));
        }
        assertThat(h.triggers).extracting(Trigger::source).containsExactly("a.service/sshd");
    }

    @Test
    void runningboarddClientsAreSeparateSources() {
        RuleHarness h = new RuleHarness(rule());
        for (int i = 0; i < 6; i++) {
            h.feed(log(i, MessageType.ERROR, "com.apple.runningboard", "runningboardd",
                    "Failed to acquire assertion " + i + " for com.example.app"));
        }
        assertThat(h.triggers).extracting(Trigger::source)
                .containsExactly("com.apple.runningboard/runningboardd client com.example.app");
    }

    @Test
    void onlyErrorsAndFaultsCountAndBenignLinesAreIgnored() {
        RuleHarness h = new RuleHarness(new ErrorFrequencyRule(5, Duration.ofSeconds(10), 1000,
                new BenignNoise(List.of(Pattern.compile("^app: noisy")))));
        for (int i = 0; i < 10; i++) {
            h.feed(log(i * 0.1, MessageType.WARNING, "app", "w" + i));
            h.feed(log(i * 0.1, MessageType.INFO, "app", "i" + i));
            h.feed(error(i * 0.1, "app", "noisy " + i));
            h.feed(log(i * 0.1, MessageType.ERROR, "syspolicyd", "Unable to initialize qtn_proc: 3"));
        }
        assertThat(h.triggers).isEmpty();
    }

    @Test
    void oneTriggerPerSourcePerCooldownThenAgainAfterIt() {
        RuleHarness h = new RuleHarness(List.of(rule()), Duration.ofSeconds(300));
        for (int i = 0; i < 20; i++) {
            h.feed(error(i * 0.2, "app", "m" + i));
        }
        assertThat(h.triggers).hasSize(1);
        for (int i = 0; i < 6; i++) {
            h.feed(error(200 + i * 0.2, "app", "again " + i));
        }
        assertThat(h.triggers).hasSize(1); // 196 s after: still cooling down
        for (int i = 0; i < 6; i++) {
            h.feed(error(400 + i * 0.2, "app", "later " + i));
        }
        assertThat(h.triggers).hasSize(2);
    }

    @Test
    void costPerEventDoesNotKeepStateForIdleSources() {
        ErrorFrequencyRule r = rule();
        RuleHarness h = new RuleHarness(r);
        for (int i = 0; i < 5000; i++) {
            h.feed(error(i * 0.01, "proc-" + i, "m"));
        }
        // sources idle for more than 2W are evicted as time moves on
        assertThat(r.trackedSources()).isLessThan(2100);
        h.feed(error(1000, "late", "m"));
        assertThat(r.trackedSources()).isLessThan(2100);
    }

    /** A storm from many sources: the windows together stay within 100 × maxPerSource, and bursts still fire. */
    @Test
    void allSourcesTogetherStayWithinTheirTotalAndEveryBurstStillFires() {
        ErrorFrequencyRule r = new ErrorFrequencyRule(5, Duration.ofSeconds(10), 12, new BenignNoise(List.of()));
        RuleHarness h = new RuleHarness(r);
        long most = 0;
        for (int s = 0; s < 500; s++) {
            for (int k = 0; k < 12; k++) {
                h.feed(error(s * 0.01 + k * 0.0001, "svc" + s, "failure " + k));
                most = Math.max(most, r.trackedEntries());
            }
        }
        assertThat(most).isEqualTo(12L * ErrorFrequencyRule.TOTAL_PER_SOURCE_LIMIT);
        assertThat(r.trackedSources()).isEqualTo(ErrorFrequencyRule.TOTAL_PER_SOURCE_LIMIT);
        assertThat(h.triggers).hasSize(500); // each source's 6th distinct message, none forgotten mid-burst
        // later, one source alone: the idle ones are forgotten and the count follows them down
        for (int i = 0; i < 200; i++) {
            h.feed(error(100 + i * 0.01, "late", "failure " + i));
        }
        assertThat(r.trackedSources()).isEqualTo(1);
        assertThat(r.trackedEntries()).isEqualTo(12);
    }
}
