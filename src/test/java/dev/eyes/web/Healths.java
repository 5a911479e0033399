package dev.eyes.web;

import dev.eyes.selfmon.Health;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Self-monitoring snapshots for the dashboard's tests: the same model {@code eyes run} hands the dashboard. */
final class Healths {
    private Healths() {
    }

    static Health of(List<Health.SourceHealth> sources, Health.StoreHealth store, Health.AiHealth ai) {
        Instant now = Instant.now();
        return new Health(now, 4242, "test", Health.State.RUNNING, now, sources, null, store, ai, null, null, null,
                List.of());
    }

    static Health ok() {
        return of(List.of(), null, null);
    }

    /** Writing to the database fails with {@code error}: a critical problem. */
    static Health storeFailing(String path, String error) {
        return of(List.of(), new Health.StoreHealth(path, false, 3, 0, 5, error, Instant.now(), Map.of()), null);
    }

    /** An Ollama backend that was checked and not reached. */
    static Health.AiHealth ollamaUnreachable(String target) {
        return new Health.AiHealth("ollama", "llama3.1:8b", target, false, false, "connection refused",
                Instant.now(), true, 0, 0, 0, 2, 0, 0);
    }
}
