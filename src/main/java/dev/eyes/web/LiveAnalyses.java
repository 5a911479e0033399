package dev.eyes.web;

import dev.eyes.json.JsonTrees;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * The analyses running now and the text their model has streamed so far, so a dashboard opened in the middle of
 * one shows everything from the start (the live feed carries only what comes next). Bounded: at most
 * {@link #MAX_TEXT} characters per analysis (the newest are kept) and {@link #MAX_RUNNING} analyses.
 */
public final class LiveAnalyses {
    static final int MAX_TEXT = 32 * 1024;
    static final int MAX_RUNNING = 256;

    private static final class Entry {
        int attempt;
        String backend;
        String model;
        final StringBuilder text = new StringBuilder();
        String retryReason;
    }

    private final Map<Long, Entry> running = new ConcurrentHashMap<>();

    public void started(long id, int attempt, String backend, String model) {
        if (running.size() >= MAX_RUNNING && !running.containsKey(id)) {
            return;
        }
        Entry e = running.computeIfAbsent(id, k -> new Entry());
        synchronized (e) {
            e.attempt = attempt;
            e.backend = backend;
            e.model = model;
            e.text.setLength(0);
            e.retryReason = null;
        }
    }

    public void text(long id, String chunk) {
        Entry e = running.get(id);
        if (e == null) {
            return;
        }
        synchronized (e) {
            e.text.append(chunk);
            if (e.text.length() > MAX_TEXT) {
                e.text.delete(0, e.text.length() - MAX_TEXT);
            }
        }
    }

    /** The attempt failed and another is scheduled. */
    public void retrying(long id, String reason) {
        Entry e = running.get(id);
        if (e != null) {
            synchronized (e) {
                e.retryReason = reason;
            }
        }
    }

    /** Finished, failed for good or skipped. */
    public void ended(long id) {
        running.remove(id);
    }

    public boolean running(long id) {
        return running.containsKey(id);
    }

    /** {@code {attempt, backend, model, text, retrying}} or null when nothing runs for this alert. */
    public ObjectNode json(long id) {
        Entry e = running.get(id);
        if (e == null) {
            return null;
        }
        ObjectNode n = JsonTrees.object();
        synchronized (e) {
            n.put("attempt", e.attempt);
            n.put("backend", e.backend);
            n.put("model", e.model);
            n.put("text", e.text.toString());
            n.put("retry_reason", e.retryReason);
        }
        return n;
    }
}
