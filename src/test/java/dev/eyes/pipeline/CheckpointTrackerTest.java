package dev.eyes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.Checkpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint batching while the store cannot commit: at most one save is outstanding, newer positions are merged
 * into the next, and the final flush hands over what is left.
 */
class CheckpointTrackerTest {
    final List<Map<String, String>> saves = new ArrayList<>();
    final List<CompletableFuture<Void>> futures = new ArrayList<>();
    boolean healthy = true;

    CheckpointTracker tracker(int batch) {
        return new CheckpointTracker(batch, Duration.ofSeconds(1).toNanos(), positions -> {
            saves.add(positions);
            CompletableFuture<Void> f = new CompletableFuture<>();
            futures.add(f);
            return f;
        }, () -> healthy, Duration.ofMillis(1));
    }

    @Test
    void aLongStoreOutageHandsOverOneSaveNotOnePerBatch() {
        healthy = false;
        CheckpointTracker t = tracker(10);
        long now = 0;
        for (int i = 1; i <= 100_000; i++) {
            t.advance(new Checkpoint(i % 2 == 0 ? "journald" : "file:/var/log/syslog", "p" + i), now += 1_000);
            if (i % 1000 == 0) {
                t.tick(now += 2_000_000_000L);
            }
        }
        assertThat(saves).hasSize(1); // 10,000 batches, but the first save never committed
        assertThat(saves.getFirst()).containsEntry("journald", "p10").containsEntry("file:/var/log/syslog", "p9");

        futures.getFirst().complete(null); // the store is back
        t.tick(now += 2_000_000_000L);
        assertThat(saves).hasSize(2);
        assertThat(saves.get(1)).isEqualTo(Map.of("journald", "p100000", "file:/var/log/syslog", "p99999"));
        assertThat(t.dirty()).isFalse();
    }

    @Test
    void theFinalFlushHandsOverEvenWhileASaveIsOutstanding() {
        CheckpointTracker t = tracker(2);
        t.advance(new Checkpoint("journald", "a"), 1);
        t.advance(new Checkpoint("journald", "b"), 2);
        assertThat(saves).hasSize(1);
        t.advance(new Checkpoint("journald", "c"), 3);
        t.advance(new Checkpoint("journald", "d"), 4);
        assertThat(saves).hasSize(1); // "b" is not committed yet
        assertThat(t.dirty()).isTrue();
        t.flush();
        assertThat(saves).hasSize(2);
        assertThat(saves.get(1)).isEqualTo(Map.of("journald", "d"));
        assertThat(t.dirty()).isFalse();
    }

    @Test
    void whileSavesCommitEveryBatchIsSaved() {
        CheckpointTracker t = tracker(3);
        for (int i = 1; i <= 30; i++) {
            t.advance(new Checkpoint("journald", "p" + i), i);
            if (!futures.isEmpty()) {
                futures.getLast().complete(null);
            }
        }
        assertThat(saves).hasSize(10);
        assertThat(saves.getLast()).isEqualTo(Map.of("journald", "p30"));
    }
}
