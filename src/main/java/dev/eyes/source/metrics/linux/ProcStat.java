package dev.eyes.source.metrics.linux;

import dev.eyes.source.metrics.Numbers;

/**
 * The aggregate {@code cpu} line of {@code /proc/stat}: clock ticks spent in each state since boot. Kernels print
 * 4 to 10 columns (user nice system idle [iowait irq softirq steal [guest [guest_nice]]]); missing ones are 0.
 * guest and guest_nice are already counted in user and nice, so they are not added to the total.
 */
public final class ProcStat {
    private ProcStat() {
    }

    /** Cumulative ticks. {@code busy()} + {@code idle()} = {@code total()}. */
    public record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq,
                           long steal, int cpus) {
        public long total() {
            return user + nice + system + idle + iowait + irq + softirq + steal;
        }

        /** Idle including waiting for I/O (the CPU could have run something else). */
        public long idleAll() {
            return idle + iowait;
        }

        /**
         * CPU usage in percent between {@code before} and this reading, or null when the counters did not advance
         * or went backwards (a counter reset: never a negative or made-up number).
         */
        public Double usageSince(CpuTimes before) {
            long dTotal = total() - before.total();
            long dIdle = idleAll() - before.idleAll();
            if (dTotal <= 0 || dIdle < 0 || dIdle > dTotal || user < before.user || system < before.system
                    || nice < before.nice || steal < before.steal || irq < before.irq || softirq < before.softirq) {
                return null;
            }
            return 100.0 * (dTotal - dIdle) / dTotal;
        }

        /** Average usage since boot (what a single snapshot can tell), or null when no ticks were counted. */
        public Double usageSinceBoot() {
            long t = total();
            return t <= 0 ? null : 100.0 * (t - idleAll()) / t;
        }
    }

    /** Parses the file's text; null when it has no well-formed aggregate {@code cpu} line. */
    public static CpuTimes parse(String text) {
        if (text == null) {
            return null;
        }
        CpuTimes agg = null;
        int cpus = 0;
        int start = 0;
        int len = text.length();
        while (start < len) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = len;
            }
            if (text.startsWith("cpu", start)) {
                if (start + 3 < len && text.charAt(start + 3) == ' ') {
                    if (agg == null) {
                        agg = parseLine(text.substring(start + 3, end));
                    }
                } else if (start + 3 < len && Character.isDigit(text.charAt(start + 3))) {
                    cpus++;
                }
            }
            start = end + 1;
        }
        if (agg == null) {
            return null;
        }
        return new CpuTimes(agg.user, agg.nice, agg.system, agg.idle, agg.iowait, agg.irq, agg.softirq, agg.steal,
                cpus);
    }

    private static CpuTimes parseLine(String rest) {
        String[] f = rest.strip().split("\\s+");
        if (f.length < 4) {
            return null;
        }
        long[] v = new long[8];
        for (int i = 0; i < Math.min(8, f.length); i++) {
            v[i] = Numbers.parseLong(f[i], -1);
            if (v[i] < 0) {
                return null;
            }
        }
        for (int i = 8; i < Math.min(10, f.length); i++) {
            if (Numbers.parseLong(f[i], -1) < 0) {
                return null;
            }
        }
        return new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], 0);
    }
}
