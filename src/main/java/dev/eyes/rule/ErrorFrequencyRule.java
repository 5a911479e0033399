package dev.eyes.rule;

import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rule 1 of reference §7, incrementally. Per source ({@link LogSource}), over non-benign Error/Fault events:
 * the current window is [now−W, now], the baseline window [now−2W, now−W). It fires, with Warning, when
 * <ul>
 *   <li>the number of distinct signatures (level + exact message) in the current window exceeds the threshold, or</li>
 *   <li>the arriving event's signature occurs more than threshold times in the current window and at least
 *       twice as often as in the baseline window.</li>
 * </ul>
 * "now" is event time: the newest timestamp seen. Each source keeps two deques (current, baseline) and a count
 * per signature, so an event costs O(1) amortised whatever the buffer size. A source's window holds at most
 * {@code maxPerSource} entries (oldest dropped first); sources idle for 2W are forgotten. All sources together
 * hold at most {@link #TOTAL_PER_SOURCE_LIMIT} × {@code maxPerSource} entries: beyond that the least recently
 * active sources are forgotten, so a storm from thousands of sources cannot exhaust the heap.
 */
public final class ErrorFrequencyRule implements Rule {
    public static final String NAME = "ErrorFrequencyRule";
    static final int EVIDENCE_LIMIT = 200;
    /** All sources' windows together hold at most this many times {@code maxPerSource} entries. */
    public static final int TOTAL_PER_SOURCE_LIMIT = 100;

    private final int threshold;
    private final Duration window;
    private final int maxPerSource;
    private final long maxTotal;
    /** Entries in all sources' windows. */
    private long total;
    private final BenignNoise benign;
    private final LinkedHashMap<LogSource, SourceWindow> sources = new LinkedHashMap<>(64, 0.75f, true);
    private Instant now = Instant.EPOCH;

    public ErrorFrequencyRule(int threshold, Duration window, int maxPerSource, BenignNoise benign) {
        this.threshold = threshold;
        this.window = window;
        this.maxPerSource = Math.max(maxPerSource, threshold * 2 + 2);
        this.maxTotal = (long) this.maxPerSource * TOTAL_PER_SOURCE_LIMIT;
        this.benign = benign;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Sources currently tracked (for tests and self-monitoring). */
    public int trackedSources() {
        return sources.size();
    }

    /** Entries held in all sources' windows (for tests). */
    long trackedEntries() {
        return total;
    }

    private record Signature(MessageType type, String message) {
    }

    private record Entry(Instant at, Signature signature) {
    }

    /** Per-source sliding state. counts[0] = current window, counts[1] = baseline window. */
    private final class SourceWindow {
        final ArrayDeque<Entry> current = new ArrayDeque<>();
        final ArrayDeque<Entry> baseline = new ArrayDeque<>();
        final Map<Signature, int[]> counts = new HashMap<>();
        int distinctCurrent;
        Instant last = Instant.EPOCH;

        void advance(Instant currentStart, Instant baselineStart) {
            Entry e;
            while ((e = current.peekFirst()) != null && e.at.isBefore(currentStart)) {
                current.pollFirst();
                int[] c = counts.get(e.signature);
                if (--c[0] == 0) {
                    distinctCurrent--;
                }
                c[1]++;
                baseline.addLast(e);
            }
            while ((e = baseline.peekFirst()) != null && e.at.isBefore(baselineStart)) {
                dropBaselineHead();
            }
        }

        void dropBaselineHead() {
            Entry e = baseline.pollFirst();
            total--;
            int[] c = counts.get(e.signature);
            if (--c[1] == 0 && c[0] == 0) {
                counts.remove(e.signature);
            }
        }

        void dropCurrentHead() {
            Entry e = current.pollFirst();
            total--;
            int[] c = counts.get(e.signature);
            if (--c[0] == 0) {
                distinctCurrent--;
                if (c[1] == 0) {
                    counts.remove(e.signature);
                }
            }
        }

        int[] add(Entry e) {
            current.addLast(e);
            total++;
            int[] c = counts.computeIfAbsent(e.signature, k -> new int[2]);
            if (c[0]++ == 0) {
                distinctCurrent++;
            }
            last = e.at;
            return c;
        }

        int size() {
            return current.size() + baseline.size();
        }
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.LOG);
    }

    @Override
    public void onEvent(Event event, Firing out) {
        if (!(event instanceof LogEvent e) || !e.messageType().isErrorOrFault() || benign.isBenign(e)) {
            return;
        }
        if (e.timestamp().isAfter(now)) {
            now = e.timestamp();
        }
        Instant currentStart = now.minus(window);
        Instant baselineStart = currentStart.minus(window);
        LogSource key = LogSource.of(e);
        SourceWindow w = sources.computeIfAbsent(key, k -> new SourceWindow());
        // keep each source's deques in time order: a late event counts at the source's newest time
        Instant at = e.timestamp().isBefore(w.last) ? w.last : e.timestamp();
        if (at.isBefore(baselineStart)) {
            return; // older than both windows
        }
        w.advance(currentStart, baselineStart);
        Signature sig = new Signature(e.messageType(), e.message());
        int[] c;
        if (at.isBefore(currentStart)) {
            // belongs to the baseline window
            w.baseline.addLast(new Entry(at, sig));
            total++;
            w.counts.computeIfAbsent(sig, k -> new int[2])[1]++;
            w.last = at;
            c = null;
        } else {
            c = w.add(new Entry(at, sig));
        }
        while (w.size() > maxPerSource) {
            if (!w.baseline.isEmpty()) {
                w.dropBaselineHead();
            } else {
                w.dropCurrentHead();
            }
        }
        evictIdle(baselineStart);
        // over the total: forget the least recently active sources (this one was just used: it is the newest)
        Iterator<SourceWindow> lru = sources.values().iterator();
        while (total > maxTotal && sources.size() > 1) {
            total -= lru.next().size();
            lru.remove();
        }
        if (c == null) {
            return;
        }
        String reason = null;
        if (w.distinctCurrent > threshold) {
            reason = w.distinctCurrent + " distinct error messages from %s within " + window.toSeconds()
                    + " s (threshold " + threshold + ")";
        } else if (c[0] > threshold && c[0] >= 2L * c[1]) {
            reason = "the same error from %s " + c[0] + " times within " + window.toSeconds() + " s, "
                    + (c[1] == 0 ? "none" : c[1]) + " in the " + window.toSeconds()
                    + " s before (threshold " + threshold + "): \"" + abbreviate(sig.message(), 160) + "\"";
        }
        if (reason == null) {
            return;
        }
        String source = key.displayName();
        if (out.coolingDown(NAME, source, now)) {
            return;
        }
        var logs = out.recent().logs(currentStart, x -> x.messageType().isErrorOrFault() && key.matches(x)
                && !benign.isBenign(x), EVIDENCE_LIMIT);
        var metrics = out.recent().metrics(currentStart.minus(window), Evidence.METRICS_LIMIT);
        var disks = out.recent().disks(currentStart.minus(window), d -> true, Evidence.DISK_LIMIT);
        out.fire(new Trigger(now, NAME, source, Severity.WARNING,
                "Rule '" + NAME + "' triggered for " + source + ": " + reason.formatted(source),
                logs, metrics, disks));
    }

    private void evictIdle(Instant horizon) {
        Iterator<Map.Entry<LogSource, SourceWindow>> it = sources.entrySet().iterator();
        int checked = 0;
        while (it.hasNext() && checked++ < 4) {
            Map.Entry<LogSource, SourceWindow> eldest = it.next();
            if (eldest.getValue().last.isBefore(horizon)) {
                total -= eldest.getValue().size();
                it.remove();
            } else {
                break;
            }
        }
    }

    /** The text on one line (whitespace runs collapsed), cut to {@code max} characters. */
    static String abbreviate(String s, int max) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
