package dev.eyes.analysis;

import dev.eyes.rule.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Analysis state in memory, for runs without a database ({@code eyes replay --analyze}). Thread-safe. */
public final class MemoryRecords implements AnalysisRecords {
    /** What happened to one candidate. */
    public record State(Trigger trigger, String status, int attempts, String failure, Insight insight,
                        AnalysisMetadata metadata) {
    }

    private final Map<Long, State> states = new LinkedHashMap<>();
    private long nextId = 1;

    /** Adds a pending candidate and returns its id. */
    public synchronized long add(Trigger t) {
        long id = nextId++;
        states.put(id, new State(t, "pending", 0, null, null, null));
        return id;
    }

    public synchronized State state(long id) {
        return states.get(id);
    }

    @Override
    public synchronized Candidate load(long id) {
        State s = states.get(id);
        return s == null ? null : new Candidate(id, s.trigger(), "pending".equals(s.status()), s.attempts());
    }

    @Override
    public synchronized List<Long> pending() {
        List<Long> out = new ArrayList<>();
        states.forEach((id, s) -> {
            if ("pending".equals(s.status())) {
                out.add(id);
            }
        });
        return out;
    }

    @Override
    public synchronized void attemptFailed(long id, int attempts, String error, String next) {
        State s = states.get(id);
        if (s != null) {
            states.put(id, new State(s.trigger(), s.status(), attempts, error, null, null));
        }
    }

    @Override
    public synchronized OptionalLong analyzed(long id, Insight insight, AnalysisMetadata metadata) {
        State s = states.get(id);
        if (s == null || !"pending".equals(s.status())) {
            return OptionalLong.empty();
        }
        states.put(id, new State(s.trigger(), "analyzed", metadata.attempts(), null, insight, metadata));
        return OptionalLong.of(0);
    }

    @Override
    public synchronized void failed(long id, int attempts, String reason) {
        State s = states.get(id);
        if (s != null && "pending".equals(s.status())) {
            states.put(id, new State(s.trigger(), "failed", attempts, reason, null, null));
        }
    }

    @Override
    public List<Long> takeRequests() {
        return List.of();
    }
}
