package dev.eyes.app;

import dev.eyes.config.EyesConfig;
import dev.eyes.config.MetricsConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.json.JsonTrees;
import dev.eyes.source.LineReader;
import dev.eyes.source.LogDecoder;
import dev.eyes.source.LogFormat;
import dev.eyes.source.disk.linux.DeviceFilter;
import dev.eyes.source.disk.linux.Diskstats;
import dev.eyes.source.disk.mac.Iostat;
import dev.eyes.source.metrics.linux.Meminfo;
import dev.eyes.source.metrics.linux.NvidiaSmi;
import dev.eyes.source.metrics.linux.ProcStat;
import dev.eyes.source.metrics.linux.Psi;
import dev.eyes.source.metrics.mac.MacMetricsSource;
import dev.eyes.source.metrics.mac.MemoryPressureTool;
import dev.eyes.source.metrics.mac.Plist;
import dev.eyes.source.metrics.mac.PlistFramer;
import dev.eyes.source.metrics.mac.Powermetrics;
import dev.eyes.source.metrics.mac.Sysctl;
import dev.eyes.source.metrics.mac.TopParser;
import dev.eyes.source.metrics.mac.VmStat;
import dev.eyes.store.EventJson;
import dev.eyes.store.Timestamps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parsers behind {@code eyes parse}: each turns a captured tool output into records (JSON objects, as
 * {@code --json} prints them). Never throws on bad input: what cannot be read is counted as skipped.
 */
final class Parsers {
    /** Every format, in the order {@code --help} lists them. */
    static final List<String> FORMATS = List.of("journald-json", "syslog", "plain", "oslog-json", "oslog-ndjson",
            "powermetrics-plist", "top", "vm_stat", "memory_pressure", "sysctl", "iostat", "proc-diskstats",
            "proc-pressure", "proc-meminfo", "proc-stat", "nvidia-smi-csv");

    /** What a file held. {@code logs} is set for log formats (their text form is special). */
    record Parsed(List<ObjectNode> records, List<LogEvent> logs, long skipped) {
    }

    private Parsers() {
    }

    static Parsed parse(String format, byte[] content, EyesConfig config, String fileName, Instant modified) {
        String text = new String(content, StandardCharsets.UTF_8);
        return switch (format) {
            case "journald-json", "syslog", "plain", "oslog-json", "oslog-ndjson" ->
                    logs(LogFormat.parse(format), content, config, fileName, modified);
            case "powermetrics-plist" -> powermetrics(content);
            case "top" -> top(text, config.metrics());
            case "vm_stat" -> single(vmStat(text));
            case "memory_pressure" -> single(memoryPressure(text));
            case "sysctl" -> single(sysctl(text));
            case "iostat" -> iostat(text);
            case "proc-diskstats" -> diskstats(text, config.metrics());
            case "proc-pressure" -> single(pressure(text, config.metrics()));
            case "proc-meminfo" -> single(meminfo(text));
            case "proc-stat" -> single(procStat(text));
            case "nvidia-smi-csv" -> nvidia(text);
            default -> throw new IllegalArgumentException(format);
        };
    }

    private static Parsed single(ObjectNode n) {
        return new Parsed(n == null ? List.of() : List.of(n), List.of(), n == null ? 1 : 0);
    }

    private static Parsed logs(LogFormat format, byte[] content, EyesConfig config, String fileName,
                               Instant modified) {
        LogDecoder decoder = format.newDecoder(config.logging(), fileName, () -> modified);
        List<LogEvent> events = new ArrayList<>();
        LogDecoder.RecordHandler handler = (event, position) -> events.add(event);
        try {
            new LineReader(new ByteArrayInputStream(content), LineReader.DEFAULT_MAX_LINE)
                    .readAll((buf, len, truncated, consumed) -> decoder.feedLine(buf, 0, len, truncated, handler),
                            true);
            decoder.finish(handler);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ObjectNode> records = events.stream().map(EventJson::log).toList();
        return new Parsed(records, List.copyOf(events), decoder.counters().skipped());
    }

    private static Parsed powermetrics(byte[] content) {
        List<ObjectNode> out = new ArrayList<>();
        long[] skipped = {0};
        PlistFramer framer = new PlistFramer(16 << 20);
        PlistFramer.Sink sink = (doc, len) -> {
            try {
                Powermetrics pm = Powermetrics.from(Plist.parse(doc, 0, len));
                if (pm == null) {
                    skipped[0]++;
                } else {
                    out.add(powermetricsRecord(pm));
                }
            } catch (Plist.PlistException e) {
                skipped[0]++;
            }
        };
        try {
            new LineReader(new ByteArrayInputStream(content), 64 << 20)
                    .readAll((buf, len, truncated, consumed) -> framer.feedLine(buf, 0, len, sink), true);
            framer.finish(sink);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Parsed(out, List.of(), skipped[0] + framer.dropped());
    }

    private static ObjectNode powermetricsRecord(Powermetrics pm) {
        ObjectNode n = JsonTrees.object();
        n.put("timestamp", pm.timestamp() == null ? null : Timestamps.format(pm.timestamp()));
        n.put("hw_model", pm.hwModel());
        n.put("elapsed_ms", Math.round(pm.elapsedMs() * 1000) / 1000.0);
        n.put("cpus", pm.cpuCount());
        n.put("thermal_pressure", pm.thermalPressure());
        n.put("tasks", pm.tasks().size());
        ArrayNode busiest = n.putArray("busiest_tasks");
        pm.tasks().stream().sorted(Comparator.comparingDouble(Powermetrics.Task::cputimeMsPerSec).reversed())
                .limit(5).forEach(t -> {
                    ObjectNode x = busiest.addObject();
                    x.put("pid", t.pid());
                    x.put("name", t.name());
                    x.put("cpu_percent", Math.round(t.cputimeMsPerSec() / 10.0 * 100) / 100.0);
                });
        n.set("metrics", EventJson.metrics(pm.toEvent(Instant.EPOCH, MemoryPressure.UNKNOWN,
                MeasurementKind.UNAVAILABLE, null, MeasurementKind.UNAVAILABLE, List.of())));
        return n;
    }

    private static Parsed top(String text, MetricsConfig m) {
        TopParser p = new TopParser(0);
        List<ObjectNode> out = new ArrayList<>();
        List<TopParser.Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            TopParser.Sample s = p.feedLine(line);
            if (s != null) {
                samples.add(s);
            }
        }
        TopParser.Sample last = p.finish();
        if (last != null) {
            samples.add(last);
        }
        for (TopParser.Sample s : samples) {
            ObjectNode n = JsonTrees.object();
            n.put("time", s.time() == null ? null : s.time().toString());
            n.put("cpu_user_percent", s.cpuUserPercent());
            n.put("cpu_sys_percent", s.cpuSysPercent());
            n.put("cpu_idle_percent", s.cpuIdlePercent());
            n.put("physmem_used_mb", s.physMemUsedMb());
            n.put("physmem_unused_mb", s.physMemUnusedMb());
            Instant at = s.time() == null ? Instant.EPOCH : s.time().atZone(ZoneId.systemDefault()).toInstant();
            n.set("metrics", EventJson.metrics(s.toEvent(at, MacMetricsSource.MW_PER_CPU_PERCENT,
                    MemoryPressure.UNKNOWN, MeasurementKind.UNAVAILABLE, null, MeasurementKind.UNAVAILABLE,
                    Math.max(s.processes().size(), m.topProcesses()))));
            out.add(n);
        }
        return new Parsed(out, List.of(), p.skipped());
    }

    private static ObjectNode vmStat(String text) {
        VmStat vm = VmStat.parse(text);
        if (vm == null) {
            return null;
        }
        ObjectNode n = JsonTrees.object();
        n.put("page_size", vm.pageSize());
        Double used = vm.usedMb();
        n.put("memory_used_mb", used == null ? null : Math.round(used * 100) / 100.0);
        n.put("memory_used_provenance", (used == null ? MeasurementKind.UNAVAILABLE : MeasurementKind.DERIVED)
                .wireName());
        ObjectNode pages = n.putObject("pages");
        vm.pages().forEach(pages::put);
        return n;
    }

    private static ObjectNode memoryPressure(String text) {
        MemoryPressureTool t = MemoryPressureTool.parse(text);
        if (t == null) {
            return null;
        }
        ObjectNode n = JsonTrees.object();
        n.put("total_bytes", t.totalBytes());
        n.put("page_size", t.pageSize());
        n.put("free_percent", t.freePercent());
        MemoryPressure level = t.estimatedLevel();
        n.put("memory_pressure", level == null ? MemoryPressure.UNKNOWN.wireName() : level.wireName());
        n.put("memory_pressure_provenance", (level == null ? MeasurementKind.UNAVAILABLE : MeasurementKind.ESTIMATED)
                .wireName());
        return n;
    }

    private static ObjectNode sysctl(String text) {
        Map<String, String> kv = Sysctl.parse(text);
        String level = kv.get(Sysctl.PRESSURE_KEY);
        String stripped = text.strip();
        if (kv.isEmpty() && !stripped.isEmpty() && !stripped.contains("\n")) {
            level = stripped; // sysctl -n kern.memorystatus_vm_pressure_level
        } else if (kv.isEmpty()) {
            return null;
        }
        ObjectNode n = JsonTrees.object();
        n.put("keys", kv.size());
        MemoryPressure p = Sysctl.pressureLevel(level);
        n.put(Sysctl.PRESSURE_KEY, level);
        n.put("memory_pressure", p == null ? MemoryPressure.UNKNOWN.wireName() : p.wireName());
        n.put("memory_pressure_provenance", (p == null ? MeasurementKind.UNAVAILABLE : MeasurementKind.MEASURED)
                .wireName());
        for (String k : List.of("vm.memory_pressure", "hw.memsize", "hw.pagesize", "hw.ncpu", "vm.swapusage")) {
            if (kv.containsKey(k)) {
                n.put(k, kv.get(k));
            }
        }
        return n;
    }

    private static Parsed iostat(String text) {
        Iostat p = new Iostat();
        List<ObjectNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Iostat.Row row = p.feedLine(line, Instant.EPOCH);
            if (row == null) {
                continue;
            }
            for (DiskEvent d : row.disks()) {
                ObjectNode n = EventJson.disk(d);
                n.remove("timestamp");
                n.put("since_boot", row.sinceBoot());
                out.add(n);
            }
        }
        return new Parsed(out, List.of(), p.skipped());
    }

    private static Parsed diskstats(String text, MetricsConfig m) {
        Diskstats.Snapshot snap = Diskstats.parse(text);
        List<Pattern> exclude = m.diskExclude().stream().map(DeviceFilter::globPattern).toList();
        List<ObjectNode> out = new ArrayList<>();
        for (Diskstats.Device d : snap.devices()) {
            ObjectNode n = JsonTrees.object();
            n.put("device", d.name());
            n.put("major", d.major());
            n.put("minor", d.minor());
            n.put("fields", d.fields());
            n.put("reads_completed", d.readsCompleted());
            n.put("read_kb", d.sectorsRead() / 2);
            n.put("writes_completed", d.writesCompleted());
            n.put("written_kb", d.sectorsWritten() / 2);
            n.put("excluded", exclude.stream().anyMatch(p -> p.matcher(d.name()).matches()));
            out.add(n);
        }
        return new Parsed(out, List.of(), snap.skipped());
    }

    private static ObjectNode pressure(String text, MetricsConfig m) {
        Psi psi = Psi.parse(text);
        if (psi == null) {
            return null;
        }
        ObjectNode n = JsonTrees.object();
        psiLine(n.putObject("some"), psi.some());
        if (psi.full() == null) {
            n.putNull("full");
        } else {
            psiLine(n.putObject("full"), psi.full());
        }
        n.put("level", psi.level(m.pressureWarningPercent(), m.pressureCriticalPercent()).wireName());
        n.put("warning_percent", m.pressureWarningPercent());
        n.put("critical_percent", m.pressureCriticalPercent());
        return n;
    }

    private static void psiLine(ObjectNode n, Psi.Line l) {
        n.put("avg10", l.avg10());
        n.put("avg60", l.avg60());
        n.put("avg300", l.avg300());
        n.put("total_us", l.totalMicros());
    }

    private static ObjectNode meminfo(String text) {
        Meminfo.Usage u = Meminfo.parse(text).usage();
        if (u == null) {
            return null;
        }
        ObjectNode n = JsonTrees.object();
        n.put("total_mb", round2(u.totalMb()));
        n.put("available_mb", round2(u.availableMb()));
        n.put("used_mb", round2(u.usedMb()));
        n.put("used_provenance", u.kind().wireName());
        return n;
    }

    private static ObjectNode procStat(String text) {
        ProcStat.CpuTimes t = ProcStat.parse(text);
        if (t == null) {
            return null;
        }
        ObjectNode n = JsonTrees.object();
        n.put("cpus", t.cpus());
        Map<String, Long> v = new LinkedHashMap<>();
        v.put("user", t.user());
        v.put("nice", t.nice());
        v.put("system", t.system());
        v.put("idle", t.idle());
        v.put("iowait", t.iowait());
        v.put("irq", t.irq());
        v.put("softirq", t.softirq());
        v.put("steal", t.steal());
        v.forEach(n::put);
        Double u = t.usageSinceBoot();
        n.put("usage_since_boot_percent", u == null ? null : round2(u));
        return n;
    }

    private static Parsed nvidia(String text) {
        NvidiaSmi.Parsed p = NvidiaSmi.parse(text);
        List<ObjectNode> out = new ArrayList<>();
        for (NvidiaSmi.Gpu g : p.gpus()) {
            ObjectNode n = JsonTrees.object();
            n.put("index", g.index());
            n.put("name", g.name());
            n.put("utilization_gpu_percent", g.utilizationPercent());
            n.put("power_draw_w", g.powerWatts());
            out.add(n);
        }
        return new Parsed(out, List.of(), p.skipped());
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
