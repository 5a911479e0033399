package dev.eyes.rule;

import static dev.eyes.rule.RuleHarness.error;
import static dev.eyes.rule.RuleHarness.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.MessageType;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every clause of reference §7 rule 3: keywords, case, word boundaries, levels, benign lines, one per source. */
class CrashDetectionRuleTest {

    static CrashDetectionRule rule(List<String> extra) {
        return new CrashDetectionRule(extra, Duration.ofSeconds(10), new BenignNoise(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"crash", "crashed", "segmentation fault", "segfault", "kernel panic", "panic(cpu",
        "abort trap", "abort() called", "aborted due to signal", "terminated unexpectedly", "signal 11", "sigsegv",
        "sigabrt", "exc_bad_access", "termination reason: namespace signal", "fatal error"})
    void everyOriginalSignatureMatchesInAnyCase(String keyword) {
        CrashDetectionRule r = rule(List.of());
        assertThat(r.signature("process " + keyword + " here")).isEqualToIgnoringCase(keyword);
        assertThat(r.signature(keyword.toUpperCase())).isEqualToIgnoringCase(keyword);
        assertThat(r.signature("(" + keyword + ")")).isEqualToIgnoringCase(keyword);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Crashpad handler started", "abortGated flag set", "aborting the request",
        "crash_reporter enabled", "segfaults", "xsigsegv", "signal 110 received", "Crashed2"})
    void wordBoundariesKeepLookalikesOut(String message) {
        assertThat(rule(List.of()).signature(message)).isNull();
    }

    @Test
    void punctuationIsABoundary() {
        CrashDetectionRule r = rule(List.of());
        assertThat(r.signature("worker segfault, restarting")).isEqualTo("segfault");
        assertThat(r.signature("it crashed.")).isEqualTo("crashed");
    }

    @Test
    void firesCriticalOncePerSourceForErrorsAndFaults() {
        RuleHarness h = new RuleHarness(rule(List.of()));
        h.feed(log(0, MessageType.INFO, "app", "previous crash recovered")); // info: ignored
        h.feed(log(0.5, MessageType.WARNING, "app", "crash report uploaded")); // warning: ignored
        assertThat(h.triggers).isEmpty();
        h.feed(error(1, "app", "worker died: segmentation fault"));
        h.feed(log(2, MessageType.FAULT, "app", "segfault again"));
        h.feed(error(2, "other", "SIGSEGV in thread 3"));
        assertThat(h.triggers).extracting(Trigger::source).containsExactly("app", "other");
        Trigger t = h.triggers.getFirst();
        assertThat(t.expectedSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(t.rule()).isEqualTo("CrashDetectionRule");
        assertThat(t.reason()).contains("crash signature \"segmentation fault\"");
        assertThat(t.logEvents()).extracting(e -> e.message()).containsExactly("worker died: segmentation fault");
    }

    @Test
    void benignLinesNeverFire() {
        RuleHarness h = new RuleHarness(new CrashDetectionRule(List.of(), Duration.ofSeconds(10),
                new BenignNoise(List.of(Pattern.compile("simulated crash")))));
        h.feed(error(0, "ContextStoreAgent", "Simulating crash. Reason: <private>"));
        h.feed(error(1, "tester", "this is a simulated crash for drills"));
        assertThat(h.triggers).isEmpty();
    }

    @Test
    void extraKeywordsAreMatchedLikeBuiltInOnes() {
        RuleHarness h = new RuleHarness(rule(List.of("watchdog timeout")));
        h.feed(error(0, "fw", "device watchdog timeouts counted")); // not a whole word
        h.feed(error(1, "fw", "Watchdog Timeout on cpu 2"));
        assertThat(h.triggers).hasSize(1);
        assertThat(h.triggers.getFirst().reason()).contains("Watchdog Timeout");
    }

    @Test
    void linuxSignatures() {
        CrashDetectionRule r = rule(List.of());
        assertThat(r.signature("fwupd.service: Main process exited, code=dumped, status=11/SEGV")).isEqualTo("code=dumped");
        assertThat(r.signature("Out of memory: Killed process 931 (firewalld)")).isEqualToIgnoringCase("out of memory");
        assertThat(r.signature("fprintd.service: Failed with result 'core-dump'.")).isEqualTo("core-dump");
    }

    @Test
    void evidenceHoldsTheSourcesRecentErrorsInTheWindow() {
        RuleHarness h = new RuleHarness(rule(List.of()));
        h.feed(error(0, "app", "old error"));
        h.feed(error(15, "app", "recent error"));
        h.feed(error(16, "other", "unrelated"));
        h.feed(error(20, "app", "boom: segfault"));
        assertThat(h.triggers.getFirst().logEvents()).extracting(e -> e.message())
                .containsExactly("recent error", "boom: segfault");
    }
}
