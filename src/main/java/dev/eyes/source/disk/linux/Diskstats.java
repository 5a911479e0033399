package dev.eyes.source.disk.linux;

import dev.eyes.source.metrics.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /proc/diskstats}: {@code major minor name} and then 11 counters (kernels before 4.18), 15 (4.18+:
 * discards) or 17 (5.5+: flushes). Only the first counters matter here: reads completed (1), sectors read (3),
 * writes completed (5), sectors written (7). Sectors are always 512 bytes in this file, whatever the device's
 * sector size. A line with fewer fields or a non-numeric counter is skipped and counted.
 */
public final class Diskstats {
    private Diskstats() {
    }

    /** One device's cumulative counters. */
    public record Device(int major, int minor, String name, long readsCompleted, long sectorsRead,
                         long writesCompleted, long sectorsWritten, int fields) {
    }

    /** The devices of one snapshot, and how many lines could not be read. */
    public record Snapshot(List<Device> devices, int skipped) {
    }

    public static Snapshot parse(String text) {
        List<Device> out = new ArrayList<>();
        int skipped = 0;
        if (text != null) {
            for (String line : text.split("\n")) {
                String t = line.strip();
                if (t.isEmpty()) {
                    continue;
                }
                Device d = parseLine(t);
                if (d == null) {
                    skipped++;
                } else {
                    out.add(d);
                }
            }
        }
        return new Snapshot(List.copyOf(out), skipped);
    }

    static Device parseLine(String line) {
        String[] f = line.split("\\s+");
        if (f.length < 14) {
            return null;
        }
        long major = Numbers.parseLong(f[0], -1);
        long minor = Numbers.parseLong(f[1], -1);
        if (major < 0 || minor < 0 || major > Integer.MAX_VALUE || minor > Integer.MAX_VALUE || f[2].isEmpty()) {
            return null;
        }
        long[] c = new long[f.length - 3];
        for (int i = 3; i < f.length; i++) {
            c[i - 3] = Numbers.parseLong(f[i], -1);
            if (c[i - 3] < 0) {
                return null;
            }
        }
        return new Device((int) major, (int) minor, f[2], c[0], c[2], c[4], c[6], f.length);
    }
}
