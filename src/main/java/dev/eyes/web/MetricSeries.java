package dev.eyes.web;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.json.JsonTrees;
import dev.eyes.store.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The recent history of the host's resources for the dashboard's charts: CPU (usage and power), memory (used and
 * pressure), GPU (usage and power) and disk throughput (summed over the devices of one round), in two fixed-size
 * rings of primitive arrays — bounded memory, no allocation per sample. Sized from the sampling interval to hold at
 * least {@code retention} (one hour by default; at 5 s that is 720 samples, about 40 KB in all).
 *
 * <p>Fed on the event loop's thread ({@link #accept}); read by request threads. Both take the same monitor for a
 * few array stores or one array copy, so the loop never waits for more than a copy of a few thousand numbers.
 * Values that were unavailable are {@code NaN} here and {@code null} in JSON, never 0.
 */
public final class MetricSeries implements Consumer<Event> {
    /** The most samples a ring holds, whatever the interval (1 s for 75 minutes). */
    static final int MAX_CAPACITY = 4500;

    private final Duration retention;
    private final Duration interval;
    private final int capacity;

    // metrics ring
    private final long[] mt;
    private final double[] cpu;
    private final double[] cpuPower;
    private final double[] mem;
    private final byte[] pressure;
    private final double[] gpu;
    private final double[] gpuPower;
    private int mHead;
    private int mSize;

    // disk ring
    private final long[] dt;
    private final double[] read;
    private final double[] write;
    private final double[] readOps;
    private final double[] writeOps;
    private int dHead;
    private int dSize;

    /**
     * @param retention how far back the charts must reach (at least)
     * @param interval  the sampling interval ({@code metrics.interval_seconds})
     */
    public MetricSeries(Duration retention, Duration interval) {
        this.retention = retention;
        this.interval = interval.isZero() || interval.isNegative() ? Duration.ofSeconds(1) : interval;
        long perRetention = retention.toMillis() / Math.max(1, this.interval.toMillis());
        this.capacity = (int) Math.min(MAX_CAPACITY, perRetention + perRetention / 4 + 16);
        mt = new long[capacity];
        cpu = new double[capacity];
        cpuPower = new double[capacity];
        mem = new double[capacity];
        pressure = new byte[capacity];
        gpu = new double[capacity];
        gpuPower = new double[capacity];
        dt = new long[capacity];
        read = new double[capacity];
        write = new double[capacity];
        readOps = new double[capacity];
        writeOps = new double[capacity];
    }

    public int capacity() {
        return capacity;
    }

    public Duration retention() {
        return retention;
    }

    private static double v(Double d) {
        return d == null ? Double.NaN : d;
    }

    /** Records a metrics or disk sample (other events are ignored). Called on the event loop's thread. */
    @Override
    public void accept(Event e) {
        switch (e) {
            case MetricsEvent m -> addMetrics(m);
            case DiskEvent d -> addDisk(d);
            default -> {
            }
        }
    }

    private synchronized void addMetrics(MetricsEvent m) {
        int i = (mHead + mSize) % capacity;
        if (mSize == capacity) {
            mHead = (mHead + 1) % capacity;
        } else {
            mSize++;
        }
        mt[i] = m.timestamp().toEpochMilli();
        cpu[i] = v(m.cpuUsagePercent());
        cpuPower[i] = v(m.cpuPowerMw());
        mem[i] = v(m.memoryUsedMb());
        pressure[i] = (byte) m.memoryPressure().ordinal();
        gpu[i] = v(m.gpuUsagePercent());
        gpuPower[i] = v(m.gpuPowerMw());
    }

    private synchronized void addDisk(DiskEvent d) {
        long t = d.timestamp().toEpochMilli();
        if (dSize > 0) {
            int last = (dHead + dSize - 1) % capacity;
            if (dt[last] == t) { // another device of the same round: sum
                read[last] += d.readKbPerSec();
                write[last] += d.writeKbPerSec();
                readOps[last] += d.readOpsPerSec();
                writeOps[last] += d.writeOpsPerSec();
                return;
            }
        }
        int i = (dHead + dSize) % capacity;
        if (dSize == capacity) {
            dHead = (dHead + 1) % capacity;
        } else {
            dSize++;
        }
        dt[i] = t;
        read[i] = d.readKbPerSec();
        write[i] = d.writeKbPerSec();
        readOps[i] = d.readOpsPerSec();
        writeOps[i] = d.writeOpsPerSec();
    }

    /** The samples with {@code from <= t <= to}, oldest first. */
    public synchronized Window window(Instant from, Instant to) {
        long f = from.toEpochMilli();
        long e = to.toEpochMilli();
        int n = 0;
        int start = -1;
        for (int k = 0; k < mSize; k++) {
            long t = mt[(mHead + k) % capacity];
            if (t >= f && t <= e) {
                if (start < 0) {
                    start = k;
                }
                n = k - start + 1;
            }
        }
        Window w = new Window(n);
        for (int k = 0; k < n; k++) {
            int i = (mHead + start + k) % capacity;
            w.mt[k] = mt[i];
            w.cpu[k] = cpu[i];
            w.cpuPower[k] = cpuPower[i];
            w.mem[k] = mem[i];
            w.pressure[k] = MemoryPressure.values()[pressure[i]];
            w.gpu[k] = gpu[i];
            w.gpuPower[k] = gpuPower[i];
        }
        int dn = 0;
        int dstart = -1;
        for (int k = 0; k < dSize; k++) {
            long t = dt[(dHead + k) % capacity];
            if (t >= f && t <= e) {
                if (dstart < 0) {
                    dstart = k;
                }
                dn = k - dstart + 1;
            }
        }
        w.allocateDisk(dn);
        for (int k = 0; k < dn; k++) {
            int i = (dHead + dstart + k) % capacity;
            w.dt[k] = dt[i];
            w.read[k] = read[i];
            w.write[k] = write[i];
            w.readOps[k] = readOps[i];
            w.writeOps[k] = writeOps[i];
        }
        return w;
    }

    /** A copy of a time range. */
    public static final class Window {
        final long[] mt;
        final double[] cpu;
        final double[] cpuPower;
        final double[] mem;
        final MemoryPressure[] pressure;
        final double[] gpu;
        final double[] gpuPower;
        long[] dt = new long[0];
        double[] read = new double[0];
        double[] write = new double[0];
        double[] readOps = new double[0];
        double[] writeOps = new double[0];

        Window(int n) {
            mt = new long[n];
            cpu = new double[n];
            cpuPower = new double[n];
            mem = new double[n];
            pressure = new MemoryPressure[n];
            gpu = new double[n];
            gpuPower = new double[n];
        }

        void allocateDisk(int n) {
            dt = new long[n];
            read = new double[n];
            write = new double[n];
            readOps = new double[n];
            writeOps = new double[n];
        }

        public int metricsSamples() {
            return mt.length;
        }

        public int diskSamples() {
            return dt.length;
        }

        public double cpu(int i) {
            return cpu[i];
        }

        /** Read + write KB/s of disk sample {@code i}. */
        public double diskKbPerSec(int i) {
            return read[i] + write[i];
        }
    }

    /**
     * The JSON of {@code GET /api/metrics/series}: columns (times in epoch milliseconds), unavailable values
     * {@code null}.
     */
    public ObjectNode json(Instant from, Instant to) {
        Window w = window(from, to);
        ObjectNode n = JsonTrees.object();
        n.put("from", Timestamps.format(from));
        n.put("to", Timestamps.format(to));
        n.put("interval_seconds", interval.toMillis() / 1000.0);
        n.put("retention_seconds", retention.toSeconds());
        ObjectNode m = n.putObject("metrics");
        longs(m.putArray("t"), w.mt);
        doubles(m.putArray("cpu_usage_percent"), w.cpu);
        doubles(m.putArray("cpu_power_mw"), w.cpuPower);
        doubles(m.putArray("memory_used_mb"), w.mem);
        ArrayNode p = m.putArray("memory_pressure");
        for (MemoryPressure x : w.pressure) {
            p.add(x.wireName());
        }
        doubles(m.putArray("gpu_usage_percent"), w.gpu);
        doubles(m.putArray("gpu_power_mw"), w.gpuPower);
        ObjectNode d = n.putObject("disk");
        longs(d.putArray("t"), w.dt);
        doubles(d.putArray("read_kb_per_sec"), w.read);
        doubles(d.putArray("write_kb_per_sec"), w.write);
        doubles(d.putArray("read_ops_per_sec"), w.readOps);
        doubles(d.putArray("write_ops_per_sec"), w.writeOps);
        return n;
    }

    private static void longs(ArrayNode a, long[] v) {
        for (long x : v) {
            a.add(x);
        }
    }

    private static void doubles(ArrayNode a, double[] v) {
        for (double x : v) {
            if (Double.isNaN(x)) {
                a.addNull();
            } else {
                a.add(Math.round(x * 100) / 100.0);
            }
        }
    }
}
