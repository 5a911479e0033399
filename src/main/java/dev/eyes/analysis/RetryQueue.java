package dev.eyes.analysis;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Failed analyses waiting for their next attempt, each with the monotonic time it is due. Bounded: adding to a
 * full queue evicts the entry that has waited longest (it is then failed with "retry queue full"). Not
 * thread-safe; the {@link Analyzer} guards it.
 *
 * @param <T> the queued work
 */
public final class RetryQueue<T> {
    private record Entry<T>(T item, long dueNanos) {
    }

    private final int capacity;
    /** Insertion order = how long each has waited. Keyed by identity of the work item. */
    private final LinkedHashMap<T, Entry<T>> entries = new LinkedHashMap<>();

    public RetryQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /**
     * Queues {@code item}, due at {@code dueNanos}.
     *
     * @return the entry evicted to make room (the one queued longest ago), or null
     */
    public T add(T item, long dueNanos) {
        T evicted = null;
        entries.remove(item);
        if (entries.size() >= capacity) {
            Iterator<Map.Entry<T, Entry<T>>> it = entries.entrySet().iterator();
            evicted = it.next().getKey();
            it.remove();
        }
        entries.put(item, new Entry<>(item, dueNanos));
        return evicted;
    }

    /** Removes and returns the entries due at {@code nowNanos}, earliest due first. */
    public List<T> takeDue(long nowNanos) {
        List<Entry<T>> due = new ArrayList<>();
        for (Iterator<Entry<T>> it = entries.values().iterator(); it.hasNext(); ) {
            Entry<T> e = it.next();
            if (e.dueNanos() - nowNanos <= 0) {
                due.add(e);
                it.remove();
            }
        }
        due.sort((a, b) -> Long.compare(a.dueNanos() - b.dueNanos(), 0));
        List<T> out = new ArrayList<>(due.size());
        due.forEach(e -> out.add(e.item()));
        return out;
    }

    /** When the earliest entry is due, if any. */
    public OptionalLong nextDue() {
        boolean any = false;
        long best = 0;
        for (Entry<T> e : entries.values()) {
            if (!any || e.dueNanos() - best < 0) {
                best = e.dueNanos();
                any = true;
            }
        }
        return any ? OptionalLong.of(best) : OptionalLong.empty();
    }

    public boolean remove(T item) {
        return entries.remove(item) != null;
    }

    public boolean contains(T item) {
        return entries.containsKey(item);
    }

    /** Removes everything and returns it, oldest first. */
    public List<T> drain() {
        List<T> out = new ArrayList<>(entries.keySet());
        entries.clear();
        return out;
    }

    public int size() {
        return entries.size();
    }

    public int capacity() {
        return capacity;
    }
}
