package dev.eyes.source.metrics.linux;

import dev.eyes.event.ProcessMetric;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.Numbers;
import dev.eyes.source.metrics.ProcessSampler;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The top processes by RSS on Linux from one file per process, {@code /proc/<pid>/stat} (name, utime, stime,
 * starttime, rss). OSHI gives the same figures but reads five or more files per process and builds a full object
 * for each: on the test VM (79 processes) that cost about 10 ms of CPU per round, against well under 1 ms here,
 * and a host observer must stay cheap on a machine with thousands of processes. CPU % is over the time since the
 * previous call (100 % = one core, as top counts); for a process not seen before it is its average since it
 * started, as ps shows. Processes that exit while being read are skipped. Single-threaded.
 */
public final class ProcProcessSampler implements ProcessSampler {
    private record Prior(long startTicks, long cpuTicks) {
    }

    record Proc(long pid, String name, long cpuTicks, long startTicks, long rssPages) {
    }

    private final Path proc;
    private final long hz;
    private final long pageSize;
    /** One stat line at a time (they are a few hundred bytes; the fields read come well before 1 KiB). */
    private final byte[] buf = new byte[1024];
    private Map<Long, Prior> prior = new HashMap<>();
    private long priorNanos;

    public ProcProcessSampler(Path proc, long clockTicksPerSecond, long pageSize) {
        this.proc = proc;
        this.hz = clockTicksPerSecond > 0 ? clockTicksPerSecond : 100;
        this.pageSize = pageSize > 0 ? pageSize : 4096;
    }

    /** This host: {@code /proc}, and USER_HZ and the page size from {@code getconf} (100 and 4096 if it fails). */
    public static ProcProcessSampler forHost(CommandRunner runner) {
        return new ProcProcessSampler(Path.of("/proc"), getconf(runner, "CLK_TCK", 100),
                getconf(runner, "PAGESIZE", 4096));
    }

    private static long getconf(CommandRunner runner, String name, long def) {
        CommandRunner.Result r = runner.run(List.of("getconf", name), Duration.ofSeconds(5));
        long v = r.ok() ? Numbers.parseLong(r.stdout().strip(), -1) : -1;
        return v > 0 ? v : def;
    }

    @Override
    public List<ProcessMetric> top(int n) {
        long now = System.nanoTime();
        Double uptime = uptimeSeconds();
        List<Proc> all = new ArrayList<>(256);
        String[] names = proc.toFile().list();
        if (names == null) {
            return List.of();
        }
        String root = proc.toString() + "/";
        for (String name : names) {
            if (isPid(name)) {
                Proc x = read(root + name + "/stat", buf);
                if (x != null) {
                    all.add(x);
                }
            }
        }
        double elapsed = priorNanos == 0 ? 0 : (now - priorNanos) / 1e9;
        Map<Long, Prior> next = new HashMap<>(all.size() * 2);
        for (Proc x : all) {
            next.put(x.pid, new Prior(x.startTicks, x.cpuTicks));
        }
        all.sort((a, b) -> Long.compare(b.rssPages, a.rssPages));
        List<ProcessMetric> out = new ArrayList<>(Math.min(n, all.size()));
        for (Proc x : all.subList(0, Math.min(Math.max(0, n), all.size()))) {
            Prior before = prior.get(x.pid);
            double pct;
            if (before != null && before.startTicks == x.startTicks && elapsed > 0 && x.cpuTicks >= before.cpuTicks) {
                pct = 100.0 * (x.cpuTicks - before.cpuTicks) / hz / elapsed;
            } else {
                double alive = uptime == null ? 0 : uptime - (double) x.startTicks / hz;
                pct = alive > 0 ? 100.0 * x.cpuTicks / hz / alive : 0;
            }
            out.add(new ProcessMetric(x.pid, x.name, Numbers.round1(pct),
                    Numbers.round1(x.rssPages * (double) pageSize / 1048576.0)));
        }
        prior = next;
        priorNanos = now;
        return out;
    }

    private static boolean isPid(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private Double uptimeSeconds() {
        try {
            String s = Files.readString(proc.resolve("uptime"), StandardCharsets.ISO_8859_1).strip();
            int sp = s.indexOf(' ');
            return Numbers.parseDouble(sp < 0 ? s : s.substring(0, sp));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * One {@code /proc/<pid>/stat} read into {@code buf} (one open, one read, no Path or String per field: this runs
     * for every process every round); null when the process is gone or the line is odd.
     */
    static Proc read(String stat, byte[] buf) {
        int n = 0;
        try (FileInputStream in = new FileInputStream(stat)) {
            int r;
            while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return parse(buf, n);
    }

    /** {@code pid (comm) state ppid … utime stime … starttime vsize rss …}; comm may hold spaces and ')'. */
    static Proc parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, b.length);
    }

    /** The first {@code n} bytes of {@code b} as a stat line; see {@link #parse(String)}. */
    static Proc parse(byte[] b, int n) {
        int open = -1;
        int close = -1;
        for (int i = 0; i < n; i++) {
            if (b[i] == '(' && open < 0) {
                open = i;
            } else if (b[i] == ')') {
                close = i;
            }
        }
        if (open <= 0 || close < open) {
            return null;
        }
        long pid = number(b, skipSpaces(b, 0, open), trimEnd(b, 0, open));
        // after comm: fields 3, 4, … separated by single spaces (field 1 is the pid, 2 the comm)
        long utime = -1;
        long stime = -1;
        long start = -1;
        long rss = -1;
        int from = skipSpaces(b, close + 1, n);
        int to = trimEnd(b, from, n);
        int field = 2;
        int i = from;
        while (field < 24) {
            int begin = i;
            while (i < to && b[i] != ' ') {
                i++;
            }
            field++;
            switch (field) {
                case 14 -> utime = number(b, begin, i);
                case 15 -> stime = number(b, begin, i);
                case 22 -> start = number(b, begin, i);
                case 24 -> rss = number(b, begin, i);
                default -> {
                }
            }
            if (i >= to) {
                break;
            }
            i++;
        }
        if (pid < 0 || field < 24 || utime < 0 || stime < 0 || start < 0 || rss < 0) {
            return null;
        }
        return new Proc(pid, new String(b, open + 1, close - open - 1, StandardCharsets.ISO_8859_1), utime + stime,
                start, rss);
    }

    /** The first index in [from, to) that is not white space (as {@link String#strip} sees it), or {@code to}. */
    private static int skipSpaces(byte[] b, int from, int to) {
        while (from < to && Character.isWhitespace(b[from] & 0xff)) {
            from++;
        }
        return from;
    }

    /** The end of [from, to) without trailing white space. */
    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && Character.isWhitespace(b[to - 1] & 0xff)) {
            to--;
        }
        return to;
    }

    /** The decimal digits in [from, to), or -1 when empty, not all digits, or too big (as Numbers.parseLong). */
    private static long number(byte[] b, int from, int to) {
        if (from >= to || to - from > 19) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v < 0 ? -1 : v;
    }
}
