package dev.eyes.source.metrics.mac;

import dev.eyes.source.metrics.Numbers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vm_stat} output: a {@code Mach Virtual Memory Statistics: (page size of N bytes)} header (16384 on Apple
 * Silicon, 4096 on Intel) and {@code Name: count.} lines (some names quoted).
 *
 * <p>Memory used is counted as Activity Monitor's "Memory Used": app memory (anonymous pages less purgeable ones)
 * + wired + compressor-occupied pages. vm_stat of older macOS has no {@code Anonymous pages}; then active +
 * inactive + wired + compressor-occupied is used, as the original Eyes did (without the compressor). DERIVED.
 */
public record VmStat(long pageSize, Map<String, Long> pages) {

    public static List<String> command() {
        return java.util.List.of("vm_stat");
    }

    /** Parses the output; null when it has no page counts at all. */
    public static VmStat parse(String text) {
        if (text == null) {
            return null;
        }
        long pageSize = 4096;
        Map<String, Long> pages = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("Mach Virtual Memory Statistics")) {
                int at = line.indexOf("page size of ");
                if (at >= 0) {
                    String rest = line.substring(at + 13);
                    int sp = rest.indexOf(' ');
                    long ps = Numbers.parseLong(sp < 0 ? rest : rest.substring(0, sp), -1);
                    if (ps > 0 && ps <= (1 << 24)) {
                        pageSize = ps;
                    }
                }
                continue;
            }
            int colon = line.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            String v = line.substring(colon + 1).strip();
            if (v.endsWith(".")) {
                v = v.substring(0, v.length() - 1);
            }
            long n = Numbers.parseLong(v, -1);
            if (n >= 0) {
                pages.put(name, n);
            }
        }
        return pages.isEmpty() ? null : new VmStat(pageSize, java.util.Collections.unmodifiableMap(pages));
    }

    public long get(String name) {
        Long v = pages.get(name);
        return v == null ? -1 : v;
    }

    /** Memory used in MiB as described above, or null when the counts it needs are missing. */
    public Double usedMb() {
        long wired = get("Pages wired down");
        long compressor = Math.max(0, get("Pages occupied by compressor"));
        if (wired < 0) {
            return null;
        }
        long anonymous = get("Anonymous pages");
        double used; // summed as double: counts near Long.MAX_VALUE must not wrap around to a negative total
        if (anonymous >= 0) {
            used = Math.max(0, anonymous - Math.max(0, get("Pages purgeable"))) + (double) wired + compressor;
        } else {
            long active = get("Pages active");
            long inactive = get("Pages inactive");
            if (active < 0 || inactive < 0) {
                return null;
            }
            used = (double) active + inactive + wired + compressor;
        }
        return used * pageSize / 1048576.0;
    }
}
