package dev.eyes.store;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MessageType;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsProvenance;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.ProcessMetric;
import dev.eyes.json.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events as JSON, in the original's serde shapes (snake_case keys, lowercase levels, PascalCase pressure),
 * for context-event payloads, {@code eyes replay --json} and the APIs.
 */
public final class EventJson {

    private EventJson() {
    }

    public static ObjectNode log(LogEvent e) {
        ObjectNode n = JsonTrees.object();
        n.put("timestamp", Timestamps.format(e.timestamp()));
        n.put("message_type", e.messageType().wireName());
        n.put("subsystem", e.subsystem());
        n.put("category", e.category());
        n.put("process", e.process());
        n.put("process_id", e.processId());
        n.put("message", e.message());
        return n;
    }

    public static LogEvent log(JsonNode n) {
        MessageType type = MessageType.parse(n.path("message_type").asString("info"));
        return new LogEvent(Timestamps.parse(n.path("timestamp").asString()), type == null ? MessageType.INFO : type,
                n.path("subsystem").asString(""), n.path("category").asString(""), n.path("process").asString(""),
                n.path("process_id").asLong(0), n.path("message").asString(""));
    }

    public static ObjectNode metrics(MetricsEvent e) {
        ObjectNode n = JsonTrees.object();
        n.put("timestamp", Timestamps.format(e.timestamp()));
        n.put("cpu_power_mw", e.cpuPowerMw());
        n.put("cpu_usage_percent", e.cpuUsagePercent());
        n.put("gpu_power_mw", e.gpuPowerMw());
        n.put("gpu_usage_percent", e.gpuUsagePercent());
        n.put("memory_pressure", e.memoryPressure().wireName());
        n.put("memory_used_mb", e.memoryUsedMb());
        n.put("energy_impact", e.energyImpact());
        MetricsProvenance p = e.provenance();
        ObjectNode pn = n.putObject("provenance");
        pn.put("source", p.source().wireName());
        pn.put("cpu_usage", p.cpuUsage().wireName());
        pn.put("cpu_power", p.cpuPower().wireName());
        pn.put("gpu_usage", p.gpuUsage().wireName());
        pn.put("gpu_power", p.gpuPower().wireName());
        pn.put("memory_pressure", p.memoryPressure().wireName());
        pn.put("memory_used", p.memoryUsed().wireName());
        pn.put("energy_impact", p.energyImpact().wireName());
        ArrayNode procs = n.putArray("process_metrics");
        for (ProcessMetric pm : e.processes()) {
            ObjectNode x = procs.addObject();
            x.put("process_id", pm.processId());
            x.put("process", pm.process());
            x.put("cpu_usage_percent", pm.cpuUsagePercent());
            x.put("resident_memory_mb", pm.residentMemoryMb());
        }
        return n;
    }

    public static MetricsEvent metrics(JsonNode n) {
        JsonNode p = n.path("provenance");
        MetricsProvenance prov = new MetricsProvenance(MetricsSource.parse(p.path("source").asString("unknown")),
                kind(p, "cpu_usage"), kind(p, "cpu_power"), kind(p, "gpu_usage"), kind(p, "gpu_power"),
                kind(p, "memory_pressure"), kind(p, "memory_used"), kind(p, "energy_impact"));
        List<ProcessMetric> procs = new ArrayList<>();
        for (JsonNode x : n.path("process_metrics")) {
            procs.add(new ProcessMetric(x.path("process_id").asLong(0), x.path("process").asString(""),
                    x.path("cpu_usage_percent").asDouble(0), x.path("resident_memory_mb").asDouble(0)));
        }
        MemoryPressure pressure = MemoryPressure.parse(n.path("memory_pressure").asString("Unknown"));
        return new MetricsEvent(Timestamps.parse(n.path("timestamp").asString()), num(n, "cpu_power_mw"),
                num(n, "cpu_usage_percent"), num(n, "gpu_power_mw"), num(n, "gpu_usage_percent"), pressure,
                num(n, "memory_used_mb"), num(n, "energy_impact"), prov, procs);
    }

    public static ObjectNode disk(DiskEvent e) {
        ObjectNode n = JsonTrees.object();
        n.put("timestamp", Timestamps.format(e.timestamp()));
        n.put("read_kb_per_sec", e.readKbPerSec());
        n.put("write_kb_per_sec", e.writeKbPerSec());
        n.put("read_ops_per_sec", e.readOpsPerSec());
        n.put("write_ops_per_sec", e.writeOpsPerSec());
        n.put("disk_name", e.diskName());
        n.put("filesystem_path", e.filesystemPath());
        return n;
    }

    public static DiskEvent disk(JsonNode n) {
        JsonNode path = n.get("filesystem_path");
        return new DiskEvent(Timestamps.parse(n.path("timestamp").asString()), n.path("read_kb_per_sec").asDouble(0),
                n.path("write_kb_per_sec").asDouble(0), n.path("read_ops_per_sec").asDouble(0),
                n.path("write_ops_per_sec").asDouble(0), n.path("disk_name").asString(""),
                path == null || path.isNull() ? null : path.asString());
    }

    private static MeasurementKind kind(JsonNode p, String key) {
        MeasurementKind k = MeasurementKind.parse(p.path(key).asString("unavailable"));
        return k == null ? MeasurementKind.UNAVAILABLE : k;
    }

    private static Double num(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() || !v.isNumber() ? null : v.doubleValue();
    }
}
