package dev.eyes.soak;

import static dev.eyes.soak.FuzzTarget.check;
import static dev.eyes.soak.FuzzTarget.nonNegative;
import static dev.eyes.soak.FuzzTarget.range;

import dev.eyes.config.EyesConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.ProcessMetric;
import dev.eyes.source.LineReader;
import dev.eyes.source.LogDecoder;
import dev.eyes.source.LogFormat;
import dev.eyes.source.disk.linux.DiskRates;
import dev.eyes.source.disk.linux.Diskstats;
import dev.eyes.source.disk.mac.Iostat;
import dev.eyes.source.metrics.linux.Meminfo;
import dev.eyes.source.metrics.linux.NvidiaSmi;
import dev.eyes.source.metrics.linux.ProcStat;
import dev.eyes.source.metrics.linux.Psi;
import dev.eyes.source.metrics.mac.MemoryPressureTool;
import dev.eyes.source.metrics.mac.Plist;
import dev.eyes.source.metrics.mac.PlistFramer;
import dev.eyes.source.metrics.mac.Powermetrics;
import dev.eyes.source.metrics.mac.Sysctl;
import dev.eyes.source.metrics.mac.TopParser;
import dev.eyes.source.metrics.mac.VmStat;
import dev.eyes.source.oslog.OsLogDecoder;
import dev.eyes.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every parser Eyes has, each driven the way production drives it: the log decoders through {@link LineReader}
 * (1 MiB lines) and their own framing, powermetrics through LineReader and {@link PlistFramer}, top, iostat and
 * nvidia-smi line by line as their sources feed them (truncated lines dropped as the sources drop them), and the
 * {@code /proc} files and one-shot tool outputs as whole texts (ISO-8859-1 for {@code /proc}, UTF-8 for tool output,
 * as production decodes them).
 */
final class FuzzTargets {
    private static final EyesConfig CONFIG = EyesConfig.defaults();
    private static final Instant REFERENCE = Instant.parse("2024-06-01T12:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FuzzTargets() {
    }

    /** All targets, in report order. */
    static List<FuzzTarget> all() {
        List<byte[]> crashLines = files("linux/crash-lines");
        List<byte[]> journal = withCompact(files("linux/journalctl"));
        List<byte[]> osLog = files("macos/log");
        List<byte[]> nvidia = files("linux/nvidia-smi/query-gpu-csv");
        return List.of(
                log("journald-json", LogFormat.JOURNALD_JSON, journal, JsonUnits::journald),
                log("syslog", LogFormat.SYSLOG, crashLines, null),
                log("plain", LogFormat.PLAIN, crashLines, null),
                log("oslog-json", LogFormat.OSLOG_JSON, osLog, JsonUnits::osLog),
                log("oslog-ndjson", LogFormat.OSLOG_NDJSON, ndjson(osLog), JsonUnits::osLog),
                target("powermetrics-plist", withShrunk(files("macos/powermetrics")), FuzzTargets::powermetrics),
                target("top", files("macos/top"), FuzzTargets::top),
                target("vm_stat", files("macos/vm_stat"), FuzzTargets::vmStat),
                target("memory_pressure", files("macos/memory_pressure"), FuzzTargets::memoryPressure),
                target("sysctl", plus(files("macos/sysctl"), "2\n", "kern.memorystatus_vm_pressure_level: 4\n"),
                        FuzzTargets::sysctl),
                target("iostat", files("macos/iostat"), FuzzTargets::iostat),
                target("proc-diskstats", files("linux/proc-diskstats"), FuzzTargets::diskstats),
                target("proc-pressure", files("linux/proc-pressure"), FuzzTargets::pressure),
                target("proc-meminfo", files("linux/proc-meminfo"), FuzzTargets::meminfo),
                target("proc-stat", files("linux/proc-stat"), FuzzTargets::procStat),
                target("nvidia-smi-csv", nvidia, FuzzTargets::nvidia));
    }

    @FunctionalInterface
    interface Body {
        FuzzTarget.Tally run(byte[] input) throws Exception;
    }

    static FuzzTarget target(String name, List<byte[]> corpus, Body body) {
        return new FuzzTarget() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<byte[]> corpus() {
                return corpus;
            }

            @Override
            public Tally run(byte[] input) throws Exception {
                return body.run(input);
            }
        };
    }

    // ---- log decoders -------------------------------------------------------------------------------------

    /**
     * A log format read as a file or pipe is: LineReader → decoder → finish. Events handed out = records counted
     * as read, and read + skipped (+ ignored) = the records the input holds ({@link JsonUnits} for JSON, every
     * non-blank line for the line formats).
     */
    private static FuzzTarget log(String name, LogFormat format, List<byte[]> corpus, Supplier<JsonUnits> oracle) {
        return log(name, () -> format.newDecoder(CONFIG.logging(), "fuzz.log", () -> REFERENCE), corpus, oracle);
    }

    /** A log target around any decoder (the test injects a faulty one); {@code oracle} null: line-based. */
    static FuzzTarget log(String name, Supplier<LogDecoder> decoders, List<byte[]> corpus,
                          Supplier<JsonUnits> oracle) {
        return target(name, corpus, input -> {
            LogDecoder decoder = decoders.get();
            JsonUnits units = oracle == null ? null : oracle.get();
            long[] events = {0};
            long[] nonBlank = {0};
            LogDecoder.RecordHandler handler = (event, position) -> {
                checkLog(event);
                events[0]++;
            };
            new LineReader(new ByteArrayInputStream(input), LineReader.DEFAULT_MAX_LINE)
                    .readAll((buf, len, truncated, consumed) -> {
                        decoder.feedLine(buf, 0, len, truncated, handler);
                        if (units != null) {
                            units.line(buf, len, truncated);
                        } else if (!new String(buf, 0, len, StandardCharsets.UTF_8).isBlank()) {
                            nonBlank[0]++;
                        }
                    }, true);
            decoder.finish(handler);
            long read = decoder.counters().read();
            long skipped = decoder.counters().skipped();
            long ignored = decoder instanceof OsLogDecoder o ? o.ignored() : 0;
            check(events[0] == read, "%d events handed out but %d counted as read", events[0], read);
            check(skipped >= 0 && ignored >= 0, "negative counters: skipped %d, ignored %d", skipped, ignored);
            long records;
            if (units != null) {
                units.finish();
                records = units.records();
            } else {
                records = nonBlank[0];
            }
            check(read + skipped + ignored == records, "%d records in, but %d read + %d skipped + %d ignored",
                    records, read, skipped, ignored);
            return new FuzzTarget.Tally(read, skipped + ignored);
        });
    }

    private static void checkLog(LogEvent e) {
        check(e != null, "a null event");
        check(e.timestamp() != null && e.messageType() != null, "an event without time or level: %s", e);
        check(e.processId() >= 0, "negative pid %d", e.processId());
    }

    // ---- macOS tools --------------------------------------------------------------------------------------

    /** MacMetricsSource's stream: LineReader → PlistFramer → Plist → Powermetrics → event. */
    private static FuzzTarget.Tally powermetrics(byte[] input) throws Exception {
        long[] n = {0, 0};
        PlistFramer framer = new PlistFramer(16 << 20);
        PlistFramer.Sink sink = (doc, len) -> {
            Powermetrics pm;
            try {
                pm = Powermetrics.from(Plist.parse(doc, 0, len));
            } catch (Plist.PlistException e) {
                n[1]++;
                return;
            }
            if (pm == null) {
                n[1]++;
                return;
            }
            range(pm.cpuUsagePercent(), 0, 100, "cpu usage %");
            range(pm.gpuUsagePercent(), 0, 100, "gpu usage %");
            nonNegative(pm.cpuPowerMw(), "cpu power mW");
            nonNegative(pm.gpuPowerMw(), "gpu power mW");
            nonNegative(pm.elapsedMs(), "elapsed ms");
            check(pm.cpuCount() >= 0, "cpu count %d", pm.cpuCount());
            for (Powermetrics.Task t : pm.tasks()) {
                check(t.pid() >= 0 && Double.isFinite(t.cputimeMsPerSec()), "task %s", t);
            }
            checkMetrics(pm.toEvent(Instant.EPOCH, MemoryPressure.UNKNOWN, MeasurementKind.UNAVAILABLE, null,
                    MeasurementKind.UNAVAILABLE, List.of()));
            n[0]++;
        };
        new LineReader(new ByteArrayInputStream(input), LineReader.DEFAULT_MAX_LINE)
                .readAll((buf, len, truncated, consumed) -> framer.feedLine(buf, 0, len, sink), true);
        framer.finish(sink);
        return new FuzzTarget.Tally(n[0], n[1] + framer.dropped());
    }

    /** MacMetricsSource's top fallback: LineReader → (whole lines) TopParser(top 5) → event. */
    private static FuzzTarget.Tally top(byte[] input) throws Exception {
        TopParser p = new TopParser(Math.max(1, CONFIG.metrics().topProcesses()));
        long[] samples = {0};
        new LineReader(new ByteArrayInputStream(input), LineReader.DEFAULT_MAX_LINE)
                .readAll((buf, len, truncated, consumed) -> {
                    if (!truncated) {
                        checkTop(p.feedLine(new String(buf, 0, len, StandardCharsets.UTF_8)), samples);
                    }
                }, true);
        checkTop(p.finish(), samples);
        check(p.skipped() >= 0, "negative skipped");
        return new FuzzTarget.Tally(samples[0], p.skipped());
    }

    private static void checkTop(TopParser.Sample s, long[] samples) {
        if (s == null) {
            return;
        }
        samples[0]++;
        range(s.cpuUserPercent(), 0, 100, "top user %");
        range(s.cpuSysPercent(), 0, 100, "top sys %");
        range(s.cpuIdlePercent(), 0, 100, "top idle %");
        nonNegative(s.physMemUsedMb(), "top PhysMem used");
        nonNegative(s.physMemUnusedMb(), "top PhysMem unused");
        checkProcesses(s.processes());
        checkMetrics(s.toEvent(Instant.EPOCH, 40.0, MemoryPressure.UNKNOWN, MeasurementKind.UNAVAILABLE, null,
                MeasurementKind.UNAVAILABLE, 5));
    }

    private static FuzzTarget.Tally vmStat(byte[] input) {
        VmStat vm = VmStat.parse(new String(input, StandardCharsets.UTF_8));
        if (vm == null) {
            return new FuzzTarget.Tally(0, 1);
        }
        check(vm.pageSize() > 0 && vm.pageSize() <= (1 << 24), "page size %d", vm.pageSize());
        check(!vm.pages().isEmpty(), "no pages but not null");
        vm.pages().forEach((k, v) -> check(v != null && v >= 0, "page count %s = %s", k, v));
        nonNegative(vm.usedMb(), "vm_stat used MB");
        return new FuzzTarget.Tally(1, 0);
    }

    private static FuzzTarget.Tally memoryPressure(byte[] input) {
        MemoryPressureTool t = MemoryPressureTool.parse(new String(input, StandardCharsets.UTF_8));
        if (t == null) {
            return new FuzzTarget.Tally(0, 1);
        }
        check(t.freePercent() != null || t.totalBytes() >= 0, "neither total nor free %%: %s", t);
        check(t.freePercent() == null || (t.freePercent() >= 0 && t.freePercent() <= 100), "free %% %s", t);
        check((t.freePercent() == null) == (t.estimatedLevel() == null), "level without free %%: %s", t);
        return new FuzzTarget.Tally(1, 0);
    }

    /** {@code sysctl -a} as a map, and {@code sysctl -n kern.memorystatus_vm_pressure_level} as a level. */
    private static FuzzTarget.Tally sysctl(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        var kv = Sysctl.parse(text);
        kv.forEach((k, v) -> check(!k.isEmpty() && !k.contains(" ") && v != null, "entry \"%s\" = \"%s\"", k, v));
        MemoryPressure level = Sysctl.pressureLevel(text);
        if (level != null) {
            BigInteger n = new BigInteger(text.strip());
            int expected = switch (level) {
                case NORMAL -> 1;
                case WARNING -> 2;
                case CRITICAL -> 4;
                default -> -1;
            };
            check(n.equals(BigInteger.valueOf(expected)), "pressure level %s read from \"%s\"", level,
                    abbreviate(text.strip()));
        }
        boolean parsed = !kv.isEmpty() || level != null;
        return new FuzzTarget.Tally(parsed ? 1 : 0, parsed ? 0 : 1);
    }

    /**
     * MacDiskSource: LineReader (64 KiB) → (whole lines) Iostat → disk events. Every non-blank line is a header, a
     * row or counted as skipped.
     */
    private static FuzzTarget.Tally iostat(byte[] input) throws Exception {
        Iostat p = new Iostat();
        long[] n = {0, 0, 0}; // rows, headers, non-blank lines
        new LineReader(new ByteArrayInputStream(input), 64 * 1024).readAll((buf, len, truncated, consumed) -> {
            if (truncated) {
                return;
            }
            String line = new String(buf, 0, len, StandardCharsets.UTF_8);
            String t = line.strip();
            if (!t.isEmpty()) {
                n[2]++;
                String first = t.split("\\s+")[0];
                if (first.startsWith("disk") || t.contains("load average") || first.equals("cpu")
                        || first.equals("KB/t")) {
                    n[1]++;
                }
            }
            Iostat.Row row = p.feedLine(line, Instant.EPOCH);
            if (row != null) {
                n[0]++;
                check(!row.disks().isEmpty(), "a row without disks");
                for (DiskEvent d : row.disks()) {
                    checkDisk(d);
                }
            }
        }, true);
        check(n[0] + n[1] + p.skipped() == n[2], "%d lines, but %d rows + %d headers + %d skipped", n[2], n[0],
                n[1], p.skipped());
        return new FuzzTarget.Tally(n[0], p.skipped());
    }

    // ---- Linux /proc files and nvidia-smi --------------------------------------------------------------------

    private static final Diskstats.Snapshot DISKSTATS_BASE =
            Diskstats.parse(Fixtures.text("linux/proc-diskstats/node-exporter-mixed-field-counts.txt"));

    /** LinuxDiskSource: the file as ISO-8859-1 → Diskstats → DiskRates against the real capture 5 s earlier. */
    private static FuzzTarget.Tally diskstats(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        Diskstats.Snapshot snap = Diskstats.parse(text);
        long nonBlank = java.util.Arrays.stream(text.split("\n")).filter(l -> !l.strip().isEmpty()).count();
        check(snap.devices().size() + snap.skipped() == nonBlank, "%d lines, but %d devices + %d skipped", nonBlank,
                snap.devices().size(), snap.skipped());
        for (Diskstats.Device d : snap.devices()) {
            check(!d.name().isEmpty() && d.major() >= 0 && d.minor() >= 0 && d.readsCompleted() >= 0
                    && d.sectorsRead() >= 0 && d.writesCompleted() >= 0 && d.sectorsWritten() >= 0, "device %s", d);
        }
        DiskRates rates = new DiskRates(name -> true);
        rates.update(DISKSTATS_BASE, Instant.EPOCH, 0);
        for (DiskEvent e : rates.update(snap, Instant.EPOCH.plusSeconds(5), 5_000_000_000L)) {
            checkDisk(e);
        }
        return new FuzzTarget.Tally(snap.devices().size(), snap.skipped());
    }

    private static FuzzTarget.Tally pressure(byte[] input) {
        Psi psi = Psi.parse(new String(input, StandardCharsets.ISO_8859_1));
        if (psi == null) {
            return new FuzzTarget.Tally(0, 1);
        }
        checkPsi(psi.some(), "some");
        if (psi.full() != null) {
            checkPsi(psi.full(), "full");
        }
        check(psi.level(CONFIG.metrics().pressureWarningPercent(), CONFIG.metrics().pressureCriticalPercent())
                != null, "no level");
        return new FuzzTarget.Tally(1, 0);
    }

    private static void checkPsi(Psi.Line l, String which) {
        range(l.avg10(), 0, 100, which + " avg10");
        check(Double.isFinite(l.avg60()) && Double.isFinite(l.avg300()), "%s averages %s", which, l);
        check(l.totalMicros() >= 0, "%s total %d", which, l.totalMicros());
    }

    private static FuzzTarget.Tally meminfo(byte[] input) {
        Meminfo.Usage u = Meminfo.parse(new String(input, StandardCharsets.ISO_8859_1)).usage();
        if (u == null) {
            return new FuzzTarget.Tally(0, 1);
        }
        check(Double.isFinite(u.totalMb()) && u.totalMb() > 0, "total %s", u);
        range(u.availableMb(), 0, u.totalMb(), "available MB");
        range(u.usedMb(), 0, u.totalMb(), "used MB");
        check(u.kind() == MeasurementKind.DERIVED || u.kind() == MeasurementKind.ESTIMATED, "kind %s", u.kind());
        return new FuzzTarget.Tally(1, 0);
    }

    private static final ProcStat.CpuTimes PROC_STAT_BASE = ProcStat.parse(Fixtures.text("linux/proc-stat/jc-2cpu-vm.txt"));

    /** LinuxMetrics: the file as ISO-8859-1 → ProcStat; usage since boot, and since/before the real capture. */
    private static FuzzTarget.Tally procStat(byte[] input) {
        ProcStat.CpuTimes t = ProcStat.parse(new String(input, StandardCharsets.ISO_8859_1));
        if (t == null) {
            return new FuzzTarget.Tally(0, 1);
        }
        check(t.user() >= 0 && t.nice() >= 0 && t.system() >= 0 && t.idle() >= 0 && t.iowait() >= 0 && t.irq() >= 0
                && t.softirq() >= 0 && t.steal() >= 0 && t.cpus() >= 0, "negative ticks %s", t);
        range(t.usageSinceBoot(), 0, 100, "usage since boot %");
        range(t.usageSince(PROC_STAT_BASE), 0, 100, "usage since the capture %");
        range(PROC_STAT_BASE.usageSince(t), 0, 100, "usage of the capture since this %");
        return new FuzzTarget.Tally(1, 0);
    }

    /**
     * GpuReader.Looping: LineReader (64 KiB) → (whole lines) NvidiaSmi.LineParser; every non-blank line is a GPU,
     * a header (names a known field) or counted as skipped. The summary of the GPUs stays in range.
     */
    private static FuzzTarget.Tally nvidia(byte[] input) throws Exception {
        NvidiaSmi.LineParser p = new NvidiaSmi.LineParser();
        List<NvidiaSmi.Gpu> gpus = new ArrayList<>();
        long[] lines = {0, 0}; // non-blank, headers
        new LineReader(new ByteArrayInputStream(input), 64 * 1024).readAll((buf, len, truncated, consumed) -> {
            if (truncated) {
                return;
            }
            String line = new String(buf, 0, len, StandardCharsets.UTF_8);
            int skippedBefore = p.skipped();
            NvidiaSmi.Gpu g = p.line(line);
            if (line.isBlank()) {
                check(g == null && p.skipped() == skippedBefore, "a blank line was read");
                return;
            }
            lines[0]++;
            if (g != null) {
                range(g.utilizationPercent(), 0, 100, "gpu utilization %");
                nonNegative(g.powerWatts(), "gpu power W");
                gpus.add(g);
            } else if (p.skipped() == skippedBefore) {
                String l = line.toLowerCase(Locale.ROOT);
                check(l.contains("utilization.gpu") || l.contains("power.draw") || l.contains("index")
                        || l.contains("timestamp") || l.contains("pci.bus_id"), "line neither read, header nor "
                        + "skipped: \"%s\"", abbreviate(line));
                lines[1]++;
            }
        }, true);
        check(gpus.size() + lines[1] + p.skipped() == lines[0], "%d lines but %d GPUs + %d headers + %d skipped",
                lines[0], gpus.size(), lines[1], p.skipped());
        NvidiaSmi.Summary s = NvidiaSmi.summarize(gpus);
        range(s.usagePercent(), 0, 100, "summary gpu usage %");
        nonNegative(s.powerMw(), "summary gpu power mW");
        return new FuzzTarget.Tally(gpus.size(), p.skipped());
    }

    // ---- shared checks -----------------------------------------------------------------------------------------

    private static void checkMetrics(MetricsEvent e) {
        range(e.cpuUsagePercent(), 0, 100, "event cpu usage %");
        range(e.gpuUsagePercent(), 0, 100, "event gpu usage %");
        nonNegative(e.cpuPowerMw(), "event cpu power mW");
        nonNegative(e.gpuPowerMw(), "event gpu power mW");
        nonNegative(e.memoryUsedMb(), "event memory used MB");
        nonNegative(e.energyImpact(), "event energy impact");
        checkProcesses(e.processes());
    }

    private static void checkProcesses(List<ProcessMetric> processes) {
        for (ProcessMetric p : processes) {
            check(p.processId() >= 0, "negative pid in %s", p);
            nonNegative(p.cpuUsagePercent(), "process cpu %");
            nonNegative(p.residentMemoryMb(), "process memory MB");
        }
    }

    private static void checkDisk(DiskEvent d) {
        nonNegative(d.readKbPerSec(), "read KB/s");
        nonNegative(d.writeKbPerSec(), "write KB/s");
        nonNegative(d.readOpsPerSec(), "read ops/s");
        nonNegative(d.writeOpsPerSec(), "write ops/s");
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    // ---- corpora -----------------------------------------------------------------------------------------------

    static List<byte[]> files(String dir) {
        List<byte[]> out = new ArrayList<>();
        for (Path p : Fixtures.all(dir)) {
            try {
                out.add(Files.readAllBytes(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(out);
    }

    private static List<byte[]> plus(List<byte[]> corpus, String... more) {
        List<byte[]> out = new ArrayList<>(corpus);
        for (String m : more) {
            out.add(m.getBytes(StandardCharsets.UTF_8));
        }
        return List.copyOf(out);
    }

    /**
     * The powermetrics captures, plus each one shrunk ({@link PlistWriter}: two elements per array) alone and as a
     * stream of two samples separated by NUL as powermetrics writes them: most inputs start from those.
     */
    private static List<byte[]> withShrunk(List<byte[]> captures) {
        List<byte[]> out = new ArrayList<>(captures);
        for (byte[] c : captures) {
            try {
                byte[] one = PlistWriter.write(Plist.parse(c), 2);
                out.add(one);
                out.add(one);
                byte[] two = new byte[one.length * 2 + 1];
                System.arraycopy(one, 0, two, 0, one.length);
                System.arraycopy(one, 0, two, one.length + 1, one.length);
                out.add(two);
            } catch (Plist.PlistException e) {
                throw new IllegalStateException("a powermetrics capture does not parse: " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    /** The captures, plus each one's objects re-written compactly one per line (what {@code -o json} prints). */
    private static List<byte[]> withCompact(List<byte[]> captures) {
        List<byte[]> out = new ArrayList<>(captures);
        for (byte[] c : captures) {
            byte[] compact = compact(c);
            if (compact.length > 0) {
                out.add(compact);
            }
        }
        return List.copyOf(out);
    }

    /** The {@code log show --style json} captures as {@code --style ndjson} would print them. */
    private static List<byte[]> ndjson(List<byte[]> captures) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] c : captures) {
            byte[] compact = compact(c);
            if (compact.length > 0) {
                out.add(compact);
            }
        }
        return List.copyOf(out);
    }

    /** Every JSON object of a capture (array elements included), one compact object per line. */
    private static byte[] compact(byte[] capture) {
        String text = new String(capture, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        int start = text.indexOf('[') >= 0 && text.indexOf('[') < Math.max(0, text.indexOf('{'))
                ? text.indexOf('[') : text.indexOf('{');
        if (start < 0) {
            return new byte[0];
        }
        try (var parser = JSON.createParser(text.substring(start))) {
            JsonNode n;
            while ((n = readNext(parser)) != null) {
                if (n.isArray()) {
                    n.forEach(x -> b.append(x).append('\n'));
                } else {
                    b.append(n).append('\n');
                }
            }
        } catch (RuntimeException e) {
            // the rest is not JSON (a trailer): keep what was read
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode readNext(tools.jackson.core.JsonParser parser) {
        if (parser.nextToken() == null) {
            return null;
        }
        return JSON.readTree(parser);
    }
}
