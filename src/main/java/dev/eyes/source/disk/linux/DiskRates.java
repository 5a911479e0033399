package dev.eyes.source.disk.linux;

import dev.eyes.event.DiskEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns successive {@link Diskstats} snapshots into per-device rates: read and write KB/s and ops/s over the time
 * between them. The first snapshot of a device only primes it. A counter that went down means the device was
 * replaced or its counters reset (or a 32-bit counter wrapped): that device is primed again and reports nothing
 * for this round, so a rate is never negative and never made up. Devices are keyed by name and major:minor.
 * Single-threaded.
 */
public final class DiskRates {
    private record Key(String name, int major, int minor) {
    }

    private record Prior(Diskstats.Device counters, long nanoTime) {
    }

    private final Predicate<String> include;
    private Map<Key, Prior> prior = new HashMap<>();
    private long resets;

    /** @param include whether a device (by name) is reported */
    public DiskRates(Predicate<String> include) {
        this.include = include;
    }

    /** Counters that went backwards so far (for tests and diagnostics). */
    public long resets() {
        return resets;
    }

    /** The rates since the previous snapshot, one event per included device that has a previous reading. */
    public List<DiskEvent> update(Diskstats.Snapshot snapshot, Instant at, long nanoTime) {
        Map<Key, Prior> next = new HashMap<>(prior.size() * 2 + 4);
        List<DiskEvent> out = new ArrayList<>();
        for (Diskstats.Device d : snapshot.devices()) {
            if (!include.test(d.name())) {
                continue;
            }
            Key key = new Key(d.name(), d.major(), d.minor());
            next.put(key, new Prior(d, nanoTime));
            Prior before = prior.get(key);
            if (before == null) {
                continue;
            }
            long dt = nanoTime - before.nanoTime;
            Diskstats.Device b = before.counters;
            if (dt <= 0) {
                continue;
            }
            long dReads = d.readsCompleted() - b.readsCompleted();
            long dWrites = d.writesCompleted() - b.writesCompleted();
            long dSecRead = d.sectorsRead() - b.sectorsRead();
            long dSecWritten = d.sectorsWritten() - b.sectorsWritten();
            if (dReads < 0 || dWrites < 0 || dSecRead < 0 || dSecWritten < 0) {
                resets++;
                continue;
            }
            double secs = dt / 1e9;
            out.add(new DiskEvent(at, round(dSecRead * 0.5 / secs), round(dSecWritten * 0.5 / secs),
                    round(dReads / secs), round(dWrites / secs), d.name(), null));
        }
        prior = next;
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
