package dev.eyes.source.metrics.linux;

import dev.eyes.event.MeasurementKind;
import dev.eyes.source.metrics.Numbers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /proc/meminfo}: {@code Key:   value kB} lines (some, like {@code HugePages_Total}, have no unit).
 *
 * <p>Memory used = {@code MemTotal − MemAvailable} (the kernel's own estimate of what can be had without
 * swapping), marked DERIVED. Kernels older than 3.14 have no {@code MemAvailable}; then available is approximated
 * as {@code MemFree + Buffers + Cached + SReclaimable − Shmem} (page cache and reclaimable slab can be dropped,
 * shared memory cannot), as procps did, and the result is marked ESTIMATED.
 */
public final class Meminfo {
    private final Map<String, Long> kb;

    private Meminfo(Map<String, Long> kb) {
        this.kb = kb;
    }

    /** What memory use comes to, in MiB, and how it was obtained. */
    public record Usage(double totalMb, double availableMb, double usedMb, MeasurementKind kind) {
    }

    public static Meminfo parse(String text) {
        Map<String, Long> kb = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String[] v = line.substring(colon + 1).strip().split("\\s+");
                if (v.length == 0) {
                    continue;
                }
                long n = Numbers.parseLong(v[0], -1);
                if (n < 0) {
                    continue;
                }
                if (v.length > 1 && !v[1].equalsIgnoreCase("kB")) {
                    continue;
                }
                kb.put(key, n);
            }
        }
        return new Meminfo(kb);
    }

    /** A value in kB (or a plain count for unit-less keys), or -1 when absent. */
    public long get(String key) {
        Long v = kb.get(key);
        return v == null ? -1 : v;
    }

    public Map<String, Long> values() {
        return java.util.Collections.unmodifiableMap(kb);
    }

    /** Used memory; null when {@code MemTotal} (or, without MemAvailable, {@code MemFree}) is missing. */
    public Usage usage() {
        long total = get("MemTotal");
        if (total <= 0) {
            return null;
        }
        long available = get("MemAvailable");
        MeasurementKind kind = MeasurementKind.DERIVED;
        if (available < 0) {
            long free = get("MemFree");
            if (free < 0) {
                return null;
            }
            available = free + Math.max(0, get("Buffers")) + Math.max(0, get("Cached"))
                    + Math.max(0, get("SReclaimable")) - Math.max(0, get("Shmem"));
            available = Math.max(free, Math.min(total, available));
            kind = MeasurementKind.ESTIMATED;
        }
        available = Math.min(available, total);
        return new Usage(total / 1024.0, available / 1024.0, (total - available) / 1024.0, kind);
    }
}
