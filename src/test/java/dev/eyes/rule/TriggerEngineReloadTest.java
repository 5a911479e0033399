package dev.eyes.rule;

import static dev.eyes.rule.RuleHarness.disk;
import static dev.eyes.rule.RuleHarness.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.pipeline.CheckpointTracker;
import dev.eyes.pipeline.EventLoop;
import dev.eyes.pipeline.EventProcessor;
import dev.eyes.pipeline.RecentBuffers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Replacing the rule set while running: what is kept, what is primed, what fires, and what is counted. */
class TriggerEngineReloadTest {
    static EyesConfig config(String toml) throws Exception {
        return ConfigLoader.parse(toml, null, Map.of()).config();
    }

    final List<Trigger> fired = new ArrayList<>();

    EventProcessor processor(EyesConfig c) {
        RecentBuffers buffers = new RecentBuffers(c.buffer());
        TriggerEngine engine = TriggerEngine.of(TriggerEngine.definitionsFor(c), TriggerEngine.cooldownsFor(c),
                buffers, TriggerEngine.listener(fired::add));
        return new EventProcessor(buffers, engine, null);
    }

    static void feed(EventProcessor p, Event... events) {
        for (Event e : events) {
            p.process(e, null, 0);
        }
    }

    @Test
    void aChangedRuleIsPrimedFromTheBuffersAndFiresOnlyOnNewEvents() throws Exception {
        EyesConfig before = config("[triggers]\nerror_threshold = 100\nerror_window_seconds = 60\n");
        EventProcessor p = processor(before);
        for (int i = 0; i < 6; i++) {
            feed(p, error(i, "app", "failure " + i));
        }
        assertThat(fired).isEmpty();
        Rule crashBefore = ruleNamed(p, CrashDetectionRule.NAME);

        EyesConfig after = config("[triggers]\nerror_threshold = 5\nerror_window_seconds = 60\n");
        TriggerEngine.Reconfigured r = p.reconfigure(after.buffer(), TriggerEngine.definitionsFor(after),
                TriggerEngine.cooldownFor(after));
        assertThat(r.changed()).containsExactly(ErrorFrequencyRule.NAME);
        assertThat(r.kept()).containsExactly(CrashDetectionRule.NAME, MemoryPressureRule.NAME,
                ResourceSpikeRule.NAME, DiskIOSpikeRule.NAME);
        assertThat(r.added()).isEmpty();
        assertThat(r.removed()).isEmpty();
        assertThat(r.cooldownChanged()).isFalse();
        // the six buffered errors are already above the new threshold, but priming never fires
        assertThat(fired).isEmpty();
        assertThat(ruleNamed(p, CrashDetectionRule.NAME)).isSameAs(crashBefore);

        feed(p, error(7, "app", "failure 7"));
        assertThat(fired).singleElement().satisfies(t -> {
            assertThat(t.rule()).isEqualTo(ErrorFrequencyRule.NAME);
            assertThat(t.reason()).contains("7 distinct error messages");
            assertThat(t.logEvents()).hasSize(7);
        });
    }

    @Test
    void cooldownsAreKeptAndTheirLengthChanges() throws Exception {
        EyesConfig c = config("[triggers]\nerror_threshold = 2\ncooldown_seconds = 300\n");
        EventProcessor p = processor(c);
        feed(p, error(0, "app", "a"), error(1, "app", "b"), error(2, "app", "c"));
        assertThat(fired).hasSize(1);
        EyesConfig shorter = config("[triggers]\nerror_threshold = 2\ncooldown_seconds = 30\n");
        TriggerEngine.Reconfigured r = p.reconfigure(shorter.buffer(), TriggerEngine.definitionsFor(shorter),
                TriggerEngine.cooldownFor(shorter));
        assertThat(r.cooldownChanged()).isTrue();
        assertThat(r.rulesChanged()).isFalse();
        feed(p, error(10, "app", "d"));
        assertThat(fired).hasSize(1); // the stamp from t=2 s still holds, for 30 s now
        feed(p, error(40, "app", "e"), error(41, "app", "f"), error(42, "app", "g"));
        assertThat(fired).hasSize(2);
    }

    @Test
    void disabledRulesGoAwayAndEvaluationsNeverGoDown() throws Exception {
        EyesConfig c = config("");
        EventProcessor p = processor(c);
        feed(p, error(0, "app", "x"), error(1, "app", "y"), disk(1, "vda", 10, 10));
        Map<String, Long> before = p.engine().evaluations();
        assertThat(before).containsEntry(ErrorFrequencyRule.NAME, 2L).containsEntry(CrashDetectionRule.NAME, 2L)
                .containsEntry(DiskIOSpikeRule.NAME, 1L).containsEntry(MemoryPressureRule.NAME, 0L);

        EyesConfig off = config("[rules.disk_io_spike]\nenabled = false\n[rules.crash]\nextra_keywords = [\"boom\"]\n");
        TriggerEngine.Reconfigured r = p.reconfigure(off.buffer(), TriggerEngine.definitionsFor(off),
                TriggerEngine.cooldownFor(off));
        assertThat(r.removed()).containsExactly(DiskIOSpikeRule.NAME);
        assertThat(r.changed()).containsExactly(CrashDetectionRule.NAME);
        assertThat(p.engine().rules()).extracting(Rule::name).doesNotContain(DiskIOSpikeRule.NAME);
        feed(p, error(2, "app", "z"), disk(2, "vda", 10, 10));
        Map<String, Long> after = p.engine().evaluations();
        assertThat(after).containsEntry(ErrorFrequencyRule.NAME, 3L).containsEntry(CrashDetectionRule.NAME, 3L)
                .containsEntry(DiskIOSpikeRule.NAME, 1L); // kept from before its removal
    }

    @Test
    void buffersAreResizedWithTheirContents() throws Exception {
        EventProcessor p = processor(config("[buffer]\nmax_size = 100\n"));
        for (int i = 0; i < 50; i++) {
            feed(p, error(i * 0.1, "app", "m" + i));
        }
        RecentBuffers old = p.buffers();
        EyesConfig smaller = config("[buffer]\nmax_size = 10\n");
        p.reconfigure(smaller.buffer(), TriggerEngine.definitionsFor(smaller), TriggerEngine.cooldownFor(smaller));
        assertThat(p.buffers()).isNotSameAs(old);
        assertThat(p.buffers().logBuffer().capacity()).isEqualTo(10);
        assertThat(p.buffers().logBuffer().snapshot()).extracting(e -> e.message())
                .containsExactly("m40", "m41", "m42", "m43", "m44", "m45", "m46", "m47", "m48", "m49");
    }

    /** The loop runs a submitted task after everything queued before it, and on its own thread. */
    @Test
    void loopTasksRunInQueueOrderOnTheLoopThread() throws Exception {
        EyesConfig c = config("");
        List<Map<String, String>> saved = new CopyOnWriteArrayList<>();
        RecentBuffers buffers = new RecentBuffers(c.buffer());
        TriggerEngine engine = TriggerEngine.of(TriggerEngine.definitionsFor(c), TriggerEngine.cooldownsFor(c),
                buffers, TriggerEngine.listener(fired::add));
        CheckpointTracker tracker = new CheckpointTracker(1000, TimeUnit.SECONDS.toNanos(60), positions -> {
            saved.add(positions);
            return CompletableFuture.completedFuture(null);
        }, () -> true, Duration.ofSeconds(1));
        EventLoop loop = new EventLoop(new EventProcessor(buffers, engine, tracker), 64, 8);
        assertThat(loop.submit(() -> 1)).isCompletedExceptionally(); // not started yet
        loop.start();
        try {
            for (int i = 0; i < 40; i++) {
                loop.put(error(i, "app", "line " + i), new Checkpoint("file:/x", "k|" + (i + 1)));
            }
            Map<String, String> positions = loop.submit(() -> loop.processor().latestPositions())
                    .get(5, TimeUnit.SECONDS);
            assertThat(positions).containsEntry("file:/x", "k|40");
            assertThat(saved).isEmpty(); // the latest position is known before it is saved
            String thread = loop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            assertThat(thread).isEqualTo("eyes-event-loop");
            CompletableFuture<Object> failing = loop.submit(() -> {
                throw new IllegalStateException("boom");
            });
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> failing.get(5, TimeUnit.SECONDS)))
                    .isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
            assertThat(loop.processed()).isEqualTo(40);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
        assertThat(loop.submit(() -> 1)).isCompletedExceptionally();
        assertThat(saved).last().isEqualTo(Map.of("file:/x", "k|40"));
    }

    static Rule ruleNamed(EventProcessor p, String name) {
        return p.engine().rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
