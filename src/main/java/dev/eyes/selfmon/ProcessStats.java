package dev.eyes.selfmon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Readings of Eyes' own process: resident set size and thread count (Linux {@code /proc/self/status}; macOS
 * {@code ps -o rss= -p <pid>}, cached for a few seconds; elsewhere unknown), CPU time, heap, open files. Cheap
 * enough to read on every scrape: one small procfs read. Nothing here touches JMX ({@code java.lang.management}),
 * which would load a few hundred classes into a process that is meant to stay small.
 */
public class ProcessStats {
    private static final Duration PS_CACHE = Duration.ofSeconds(5);

    private final Path procSelf;
    private final boolean mac;
    private final ProcessHandle self = ProcessHandle.current();
    private final Instant started;
    private long psAt;
    private long psRss = -1;

    /** @param procSelf {@code /proc/self} (null when there is none); @param mac read RSS with ps */
    protected ProcessStats(Path procSelf, boolean mac) {
        this.procSelf = procSelf;
        this.mac = mac;
        this.started = self.info().startInstant().orElse(Instant.now());
    }

    public static ProcessStats forThisProcess() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path proc = Path.of("/proc/self");
        if (os.contains("linux") && Files.isReadable(proc.resolve("status"))) {
            return new ProcessStats(proc, false);
        }
        return new ProcessStats(null, os.contains("mac") || os.contains("darwin"));
    }

    public long pid() {
        return self.pid();
    }

    /** Resident set size in bytes, or -1 when it cannot be read on this platform. */
    public long rssBytes() {
        if (procSelf != null) {
            return statusField(procSelf.resolve("status"), "VmRSS:") * 1024;
        }
        if (mac) {
            return macRss();
        }
        return -1;
    }

    /** Native threads of the process (the JVM's own included; parked virtual threads are not threads), or -1. */
    public int threads() {
        if (procSelf != null) {
            long n = statusField(procSelf.resolve("status"), "Threads:");
            return n < 0 ? -1 : (int) n;
        }
        return Thread.activeCount();
    }

    /** A numeric field of a {@code /proc/<pid>/status} file (kB fields in kB), or -1 when absent. */
    static long statusField(Path status, String name) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private synchronized long macRss() {
        long now = System.nanoTime();
        if (psRss >= 0 && now - psAt < PS_CACHE.toNanos()) {
            return psRss;
        }
        try {
            Process p = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid()))
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            byte[] out = p.getInputStream().readNBytes(256);
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return psRss;
            }
            psRss = Long.parseLong(new String(out, StandardCharsets.US_ASCII).trim()) * 1024;
            psAt = now;
        } catch (IOException | NumberFormatException e) {
            psRss = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return psRss;
    }

    /**
     * CPU time used by the whole process (all threads, user + system), nanoseconds; -1 when unknown. On Linux from
     * {@code /proc/self/stat} alone: {@link ProcessHandle.Info} would also read the command line and look the user up
     * in {@code /etc/passwd} each time.
     */
    public long cpuNanos() {
        if (procSelf != null) {
            long ticks = statTicks(procSelf.resolve("stat"));
            if (ticks >= 0) {
                return ticks * (1_000_000_000L / USER_HZ);
            }
        }
        return self.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Linux reports CPU times in /proc in units of USER_HZ, 100 on every architecture (part of the ABI). */
    static final long USER_HZ = 100;

    /** utime + stime of a {@code /proc/<pid>/stat} file, in ticks; -1 when it cannot be read. */
    static long statTicks(Path stat) {
        try {
            String s = Files.readString(stat, StandardCharsets.ISO_8859_1);
            // after "pid (comm) ": state is field 1, utime field 12, stime field 13 (comm may hold spaces and parens)
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Open file descriptors (Linux), or -1. */
    public long openFiles() {
        if (procSelf == null) {
            return -1;
        }
        long n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(procSelf.resolve("fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        } catch (IOException e) {
            return -1;
        }
        return Math.max(0, n - 1); // the directory stream's own descriptor
    }

    public long heapUsedBytes() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    public long heapCommittedBytes() {
        return Runtime.getRuntime().totalMemory();
    }

    public long heapMaxBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    public Instant startTime() {
        return started;
    }
}
