package dev.eyes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.BufferConfig;
import dev.eyes.event.Checkpoint;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.rule.Cooldowns;
import dev.eyes.rule.Rule;
import dev.eyes.rule.TriggerEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static LogEvent log(double s, String msg) {
        return new LogEvent(T0.plusMillis((long) (s * 1000)), MessageType.ERROR, "", "", "p", 1, msg);
    }

    @Test
    void rollingBufferKeepsSizeAndAgeInEventTime() {
        RollingBuffer<LogEvent> b = new RollingBuffer<>(3, Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            b.add(log(i, "m" + i));
        }
        assertThat(b.snapshot()).extracting(LogEvent::message).containsExactly("m2", "m3", "m4");
        b.add(log(13, "m13")); // overwrites m2; m3 (t=3) is exactly at the age limit 13-10 and stays
        assertThat(b.snapshot()).extracting(LogEvent::message).containsExactly("m3", "m4", "m13");
        b.add(log(14.5, "m14.5")); // now m3 and m4 are older than 14.5-10
        assertThat(b.snapshot()).extracting(LogEvent::message).containsExactly("m13", "m14.5");
        assertThat(b.since(T0.plusSeconds(5), e -> e.message().equals("m13"), 10)).extracting(LogEvent::message)
                .containsExactly("m13");
        assertThat(b.since(T0, e -> true, 1)).extracting(LogEvent::message).containsExactly("m14.5");
    }

    @Test
    void cooldownsAreSymmetricInEventTime() {
        Cooldowns c = new Cooldowns(Duration.ofSeconds(300));
        c.stamp("r:s", T0);
        assertThat(c.active("r:s", T0.plusSeconds(299))).isTrue();
        assertThat(c.active("r:s", T0.minusSeconds(299))).isTrue(); // a re-read older entry stays quiet too
        assertThat(c.active("r:s", T0.plusSeconds(300))).isFalse();
        assertThat(c.active("other", T0)).isFalse();
    }

    @Test
    void checkpointsGoOutInBatchesAndAfterTheDelay() {
        List<Map<String, String>> saved = new ArrayList<>();
        CheckpointTracker t = new CheckpointTracker(3, 1_000_000, m -> {
            saved.add(m);
            return CompletableFuture.completedFuture(null);
        }, () -> true, Duration.ofSeconds(1));
        t.advance(new Checkpoint("j", "1"), 0);
        t.advance(new Checkpoint("j", "2"), 10);
        assertThat(saved).isEmpty();
        t.advance(new Checkpoint("f", "a"), 20);
        assertThat(saved).containsExactly(Map.of("j", "2", "f", "a"));
        t.advance(new Checkpoint("j", "3"), 100);
        t.tick(500_000);
        assertThat(saved).hasSize(1);
        t.tick(1_000_100);
        assertThat(saved).hasSize(2);
        assertThat(saved.get(1)).isEqualTo(Map.of("j", "3"));
        assertThat(t.dirty()).isFalse();
    }

    @Test
    void aFailingStoreIsNotAwaited() {
        CheckpointTracker t = new CheckpointTracker(1, 1, m -> new CompletableFuture<>(), () -> false,
                Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        t.advance(new Checkpoint("j", "1"), 0);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void theLoopBlocksLogSourcesWhenFullButDropsOnlyTheOldestSamples() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        Rule slow = new Rule() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public void onEvent(dev.eyes.event.Event e, Firing out) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                seen.incrementAndGet();
                if (e instanceof LogEvent l) {
                    order.add(l.message());
                }
            }
        };
        RecentBuffers buffers = new RecentBuffers(new BufferConfig(60, 100));
        TriggerEngine engine = new TriggerEngine(List.of(slow), new Cooldowns(Duration.ofSeconds(1)), buffers,
                TriggerEngine.listener(t -> { }));
        EventLoop loop = new EventLoop(new EventProcessor(buffers, engine, null), 4, 2);
        loop.start();
        // the loop takes the first event and blocks in the rule; 4 more fill the queue
        assertThat(loop.put(log(0, "e0"), null)).isTrue();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 5; i++) {
            assertThat(loop.put(log(i, "e" + i), null)).isTrue();
        }
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                loop.put(log(9, "e5"), null); // waits: the queue is full
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(200);
        assertThat(producer.isAlive()).as("a log source waits when the queue is full").isTrue();
        for (int i = 0; i < 5; i++) {
            loop.offerSample(new DiskEvent(T0.plusSeconds(i), 0, 0, 0, 0, "d" + i, null));
        }
        assertThat(loop.droppedSamples()).isEqualTo(3); // sample queue of 2
        release.countDown();
        producer.join(5000);
        assertThat(loop.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(order).containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
        assertThat(loop.maxQueueDepth()).as("the high-water mark is the full queue").isEqualTo(4);
        assertThat(seen.get()).isEqualTo(6 + 2);
        assertThat(loop.put(log(20, "late"), null)).isFalse();
    }

    @Test
    void aRuleThatThrowsDoesNotStopTheLoop() throws Exception {
        AtomicInteger ok = new AtomicInteger();
        Rule broken = new Rule() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void onEvent(dev.eyes.event.Event e, Firing out) {
                if (((LogEvent) e).message().equals("bad")) {
                    throw new IllegalStateException("bug");
                }
                ok.incrementAndGet();
            }
        };
        RecentBuffers buffers = new RecentBuffers(new BufferConfig(60, 100));
        EventLoop loop = new EventLoop(new EventProcessor(buffers, new TriggerEngine(List.of(broken),
                new Cooldowns(Duration.ofSeconds(1)), buffers, TriggerEngine.listener(t -> { })), null), 16, 4);
        loop.start();
        loop.put(log(0, "a"), null);
        loop.put(log(1, "bad"), null);
        loop.put(log(2, "b"), null);
        assertThat(loop.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(ok.get()).isEqualTo(2);
    }

    @Test
    void stopFlushesTheLastCheckpoints() throws Exception {
        List<Map<String, String>> saved = new CopyOnWriteArrayList<>();
        RecentBuffers buffers = new RecentBuffers(new BufferConfig(60, 100));
        CheckpointTracker tracker = new CheckpointTracker(1000, TimeUnit.SECONDS.toNanos(60), m -> {
            saved.add(m);
            return CompletableFuture.completedFuture(null);
        }, () -> true, Duration.ofSeconds(1));
        EventLoop loop = new EventLoop(new EventProcessor(buffers, new TriggerEngine(List.of(),
                new Cooldowns(Duration.ofSeconds(1)), buffers, TriggerEngine.listener(t -> { })), tracker), 16, 4);
        loop.start();
        loop.put(log(0, "a"), new Checkpoint("journald", "c1"));
        loop.put(log(1, "b"), new Checkpoint("journald", "c2"));
        assertThat(loop.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(saved).containsExactly(Map.of("journald", "c2"));
    }
}
