package dev.eyes.source.metrics.mac;

import dev.eyes.event.ProcessMetric;
import dev.eyes.source.metrics.Numbers;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * macOS {@code top -l N} (logging mode) output, one sample at a time. A sample starts with a {@code Processes:}
 * line, then a date line ({@code 2026/05/24 22:30:17}), {@code Load Avg}, {@code CPU usage: X% user, Y% sys, Z%
 * idle}, {@code PhysMem: 29G used (2019M wired, 2398M compressor), 2314M unused.} (older systems have no
 * compressor part), …, a blank line, a column header starting with {@code PID}, and process rows. Lines may
 * carry trailing spaces; memory sizes carry units (B, K, M, G, T; a trailing {@code +}/{@code -} is top's change
 * mark). A COMMAND with spaces is handled when it is the only column that has them.
 *
 * <p>Feed lines with {@link #feedLine}; a sample is complete at the next {@code Processes:} line, when
 * {@code expectedRows} process rows have arrived, or at {@link #finish}.
 */
public final class TopParser {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT);

    /** One sample; null fields were not in it. */
    public record Sample(LocalDateTime time, Double cpuUserPercent, Double cpuSysPercent, Double cpuIdlePercent,
                         Double physMemUsedMb, Double physMemUnusedMb, List<ProcessMetric> processes) {
        /**
         * The metrics event of this sample: CPU usage user + sys (MEASURED); CPU power and energy impact estimated
         * as CPU % × {@code mwPerCpuPercent} (ESTIMATED); no GPU values; memory used as given by the caller
         * (vm_stat), else top's own {@code PhysMem} used (MEASURED); the first {@code topN} process rows.
         */
        public dev.eyes.event.MetricsEvent toEvent(java.time.Instant at, double mwPerCpuPercent,
                                                   dev.eyes.event.MemoryPressure pressure,
                                                   dev.eyes.event.MeasurementKind pressureKind, Double memoryUsedMb,
                                                   dev.eyes.event.MeasurementKind memoryKind, int topN) {
            dev.eyes.event.MeasurementKind memKind = memoryKind;
            Double mem = memoryUsedMb;
            if (mem == null && physMemUsedMb != null) {
                mem = physMemUsedMb;
                memKind = dev.eyes.event.MeasurementKind.MEASURED;
            }
            if (mem == null) {
                memKind = dev.eyes.event.MeasurementKind.UNAVAILABLE;
            }
            Double cpu = cpuUsagePercent();
            Double power = cpu == null ? null : cpu * mwPerCpuPercent;
            dev.eyes.event.MeasurementKind est = power == null ? dev.eyes.event.MeasurementKind.UNAVAILABLE
                    : dev.eyes.event.MeasurementKind.ESTIMATED;
            dev.eyes.event.MetricsProvenance prov = new dev.eyes.event.MetricsProvenance(
                    dev.eyes.event.MetricsSource.TOP_VM_STAT, cpu == null ? dev.eyes.event.MeasurementKind.UNAVAILABLE
                    : dev.eyes.event.MeasurementKind.MEASURED, est, dev.eyes.event.MeasurementKind.UNAVAILABLE,
                    dev.eyes.event.MeasurementKind.UNAVAILABLE, pressureKind, memKind, est);
            List<ProcessMetric> procs = processes.size() > Math.max(0, topN) ? processes.subList(0, Math.max(0, topN))
                    : processes;
            return new dev.eyes.event.MetricsEvent(at, Powermetrics.round(power), Powermetrics.round(cpu), null, null,
                    pressure, Powermetrics.round(mem), Powermetrics.round(power), prov, procs);
        }

        /** user + sys, or null. */
        public Double cpuUsagePercent() {
            return cpuUserPercent == null || cpuSysPercent == null ? null
                    : Math.min(100.0, cpuUserPercent + cpuSysPercent);
        }
    }

    private final int expectedRows;
    private boolean inSample;
    private LocalDateTime time;
    private Double user;
    private Double sys;
    private Double idle;
    private Double memUsed;
    private Double memUnused;
    private List<String> header;
    private List<ProcessMetric> rows = new ArrayList<>();
    private int skipped;

    /** @param expectedRows process rows per sample ({@code top -n}); 0 = unknown, wait for the next sample */
    public TopParser(int expectedRows) {
        this.expectedRows = expectedRows;
    }

    /** Lines that looked like process rows but could not be read. */
    public int skipped() {
        return skipped;
    }

    /** Feeds one line; returns a sample it completed, or null. */
    public Sample feedLine(String raw) {
        String line = raw.strip();
        if (line.startsWith("Processes:")) {
            Sample done = inSample ? build() : null;
            reset();
            inSample = true;
            return done;
        }
        if (!inSample || line.isEmpty()) {
            return null;
        }
        if (header != null) {
            ProcessMetric p = row(line);
            if (p == null) {
                skipped++;
                return null;
            }
            rows.add(p);
            if (expectedRows > 0 && rows.size() >= expectedRows) {
                Sample done = build();
                reset();
                return done;
            }
            return null;
        }
        if (line.startsWith("CPU usage:")) {
            for (String part : line.substring(10).split(",")) {
                String p = part.strip();
                int pct = p.indexOf('%');
                if (pct <= 0) {
                    continue;
                }
                Double v = Numbers.parseDouble(p.substring(0, pct));
                String what = p.substring(pct + 1).strip();
                if (v == null || v < 0 || v > 100) {
                    continue;
                }
                switch (what) {
                    case "user" -> user = v;
                    case "sys" -> sys = v;
                    case "idle" -> idle = v;
                    default -> {
                    }
                }
            }
        } else if (line.startsWith("PhysMem:")) {
            String rest = line.substring(8).strip();
            int used = rest.indexOf(" used");
            if (used > 0) {
                memUsed = sizeMb(rest.substring(0, used).strip());
            }
            int comma = rest.lastIndexOf(", ");
            int unused = rest.indexOf(" unused");
            if (comma >= 0 && unused >= comma + 2) {
                memUnused = sizeMb(rest.substring(comma + 2, unused).strip());
            }
        } else if (line.startsWith("PID ") || line.equals("PID")) {
            header = List.of(line.split("\\s+"));
        } else if (time == null && line.length() == 19 && line.charAt(4) == '/') {
            try {
                time = LocalDateTime.parse(line, DATE);
            } catch (DateTimeParseException e) {
                // not the date line
            }
        }
        return null;
    }

    /** End of input: the sample in progress, if it has anything. */
    public Sample finish() {
        Sample done = inSample && (user != null || memUsed != null || !rows.isEmpty()) ? build() : null;
        reset();
        return done;
    }

    private Sample build() {
        return new Sample(time, user, sys, idle, memUsed, memUnused, List.copyOf(rows));
    }

    private void reset() {
        inSample = false;
        time = null;
        user = null;
        sys = null;
        idle = null;
        memUsed = null;
        memUnused = null;
        header = null;
        rows = new ArrayList<>();
    }

    private ProcessMetric row(String line) {
        String[] t = line.split("\\s+");
        int extra = t.length - header.size();
        if (extra < 0 || t.length < 2) {
            return null;
        }
        int cmdCol = header.indexOf("COMMAND");
        long pid = Numbers.parseLong(t[0].replace("*", ""), -1);
        if (pid < 0) {
            return null;
        }
        String command = "";
        if (cmdCol >= 0) {
            command = String.join(" ", java.util.Arrays.asList(t).subList(cmdCol, cmdCol + 1 + extra));
        } else if (extra != 0) {
            return null;
        }
        int cpuCol = header.indexOf("%CPU");
        int memCol = header.indexOf("MEM");
        Double cpu = cpuCol < 0 ? null : Numbers.parseDouble(t[shift(cpuCol, cmdCol, extra)]);
        Double mem = memCol < 0 ? null : sizeMb(t[shift(memCol, cmdCol, extra)]);
        if ((cpuCol >= 0 && (cpu == null || cpu < 0)) || (memCol >= 0 && mem == null)) {
            return null;
        }
        return new ProcessMetric(pid, command, cpu == null ? 0 : cpu, mem == null ? 0 : Numbers.round1(mem));
    }

    private static int shift(int col, int cmdCol, int extra) {
        return cmdCol >= 0 && col > cmdCol ? col + extra : col;
    }

    /** {@code 4192K}, {@code 34M}, {@code 29G}, {@code 0B}, {@code 2019M+} → MiB; null when not a size. */
    static Double sizeMb(String s) {
        String t = s.strip();
        while (!t.isEmpty() && (t.endsWith("+") || t.endsWith("-"))) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty()) {
            return null;
        }
        char unit = Character.toUpperCase(t.charAt(t.length() - 1));
        double factor;
        switch (unit) {
            case 'B' -> factor = 1.0 / 1048576.0;
            case 'K' -> factor = 1.0 / 1024.0;
            case 'M' -> factor = 1.0;
            case 'G' -> factor = 1024.0;
            case 'T' -> factor = 1024.0 * 1024.0;
            default -> {
                return null;
            }
        }
        Double v = Numbers.parseDouble(t.substring(0, t.length() - 1));
        double mb = v == null ? -1 : v * factor;
        return mb >= 0 && Double.isFinite(mb) ? mb : null; // 1e308G overflows to Infinity: not a size
    }

    /** The streaming command: a sample every {@code seconds}, the top {@code n} processes by memory. */
    public static List<String> command(int seconds, int samples, int n) {
        return List.of("top", "-l", Integer.toString(samples), "-s", Integer.toString(Math.max(1, seconds)), "-n",
                Integer.toString(n), "-o", "mem", "-stats", "pid,command,cpu,mem");
    }
}
