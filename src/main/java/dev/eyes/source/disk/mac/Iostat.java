package dev.eyes.source.disk.mac;

import dev.eyes.event.DiskEvent;
import dev.eyes.source.metrics.Numbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * macOS {@code iostat -d -w N} output. Two header lines: the device names ({@code disk0 disk4}, then with
 * {@code -d} omitted also {@code cpu} and {@code load average}), and the columns, three per disk
 * ({@code KB/t tps MB/s}, then {@code us sy id} and {@code 1m 5m 15m}). Each data row holds one number per
 * column. The first row after the start is the average since boot, not an interval: it is flagged so the source
 * can drop it. A repeated header changes nothing.
 *
 * <p>iostat counts reads and writes together. As the original Eyes did, the combined rate goes into the event's
 * read fields ({@code MB/s × 1024} KB/s, {@code tps} ops/s) and the write fields are 0; DiskIOSpikeRule's read
 * threshold therefore applies to the combined rate on macOS.
 */
public final class Iostat {
    /** One parsed row: an event per disk; {@code sinceBoot} for the first row of the output. */
    public record Row(List<DiskEvent> disks, boolean sinceBoot) {
    }

    private List<String> diskNames = List.of();
    private int columns = -1;
    private boolean sawRow;
    private int skipped;

    /** Rows that could not be read. */
    public int skipped() {
        return skipped;
    }

    /** Feeds one line; returns the row it holds, or null (header, blank, unreadable). */
    public Row feedLine(String raw, Instant at) {
        String line = raw.strip();
        if (line.isEmpty()) {
            return null;
        }
        String[] t = line.split("\\s+");
        if (t[0].startsWith("disk") || line.contains("load average") || (t.length > 0 && t[0].equals("cpu"))) {
            List<String> names = new ArrayList<>();
            for (String s : t) {
                if (s.startsWith("disk")) {
                    names.add(s);
                }
            }
            diskNames = List.copyOf(names);
            return null;
        }
        if (t[0].equals("KB/t")) {
            columns = t.length;
            return null;
        }
        if (diskNames.isEmpty() || columns < 0) {
            skipped++;
            return null;
        }
        if (t.length != columns || columns < diskNames.size() * 3) {
            skipped++;
            return null;
        }
        List<DiskEvent> out = new ArrayList<>(diskNames.size());
        for (int d = 0; d < diskNames.size(); d++) {
            int c = d * 3; // the disks' columns come first
            Double kbPerTransfer = Numbers.parseDouble(t[c]);
            Double tps = Numbers.parseDouble(t[c + 1]);
            Double mbPerSec = Numbers.parseDouble(t[c + 2]);
            if (kbPerTransfer == null || tps == null || mbPerSec == null || tps < 0 || mbPerSec < 0) {
                skipped++;
                return null;
            }
            out.add(new DiskEvent(at, Math.round(mbPerSec * 1024.0 * 100.0) / 100.0, 0.0, tps, 0.0,
                    diskNames.get(d), null));
        }
        boolean first = !sawRow;
        sawRow = true;
        return new Row(List.copyOf(out), first);
    }

    /** {@code iostat -d -w N} (with {@code count} > 0: {@code -c count}). */
    public static List<String> command(int seconds, int count) {
        List<String> cmd = new ArrayList<>(List.of("iostat", "-d", "-w", Integer.toString(Math.max(1, seconds))));
        if (count > 0) {
            cmd.add("-c");
            cmd.add(Integer.toString(count));
        }
        return cmd;
    }
}
