package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsProvenance;
import dev.eyes.event.ProcessMetric;
import dev.eyes.json.JsonTrees;
import dev.eyes.source.Platform;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.HostCollector;
import dev.eyes.source.metrics.Numbers;
import dev.eyes.source.metrics.SampleRound;
import dev.eyes.store.EventJson;
import dev.eyes.store.Timestamps;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code eyes sample}: one round of every resource collector of this host, printed as {@code telegraf --test} does
 * (influx line protocol after {@code "> "}), then one line per part that is not available, with the reason. Rates
 * need two readings: each collector reads, waits {@code --interval} (1 s), and reads again; the collectors run side
 * by side. Always exits 0: an unavailable collector is an answer, not an error.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Take one round of every metrics and disk collector on this host and print it.")
final class SampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--json", description = "One JSON object instead of line protocol.")
    boolean json;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Time between the two readings that rates are computed from (default: 1).")
    double interval;

    /** For tests: the platform to sample (default: this host's). */
    Platform platform = Platform.detect();

    private record Round(String source, SampleRound round) {
    }

    @Override
    public Integer call() throws Exception {
        Logging.configure(configOptions.verbose, Level.WARN);
        EyesConfig config = configOptions.load().config();
        if (!(interval > 0 && interval <= 60)) {
            throw new UserError("--interval must be between 0 and 60 seconds, got " + interval);
        }
        Duration gap = Duration.ofMillis(Math.round(interval * 1000));
        MetricSources.Plan plan = MetricSources.all(config.metrics(), platform);
        List<Round> rounds = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Round[] results = new Round[plan.sources().size()];
        for (int i = 0; i < plan.sources().size(); i++) {
            HostCollector c = plan.sources().get(i);
            int slot = i;
            threads.add(Thread.ofVirtual().name("eyes-sample-" + c.name()).start(() -> {
                try {
                    results[slot] = new Round(c.name(), c.sampleOnce(gap));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    results[slot] = new Round(c.name(), new SampleRound(List.of(),
                            List.of(CollectorStatus.unavailable(c.name(), "failed: " + e)), Map.of()));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Round r : results) {
            if (r != null) {
                rounds.add(r);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(rounds, plan.unavailable()));
        } else {
            printLines(out, rounds, plan.unavailable());
        }
        out.flush();
        return 0;
    }

    private ObjectNode toJson(List<Round> rounds, List<String> unavailable) {
        ObjectNode n = JsonTrees.object();
        n.put("time", Timestamps.format(Instant.now()));
        n.put("platform", platform.display());
        ArrayNode metrics = n.putArray("metrics");
        ArrayNode disks = n.putArray("disks");
        ArrayNode collectors = n.putArray("collectors");
        ObjectNode details = n.putObject("details");
        for (Round r : rounds) {
            for (Event e : r.round.events()) {
                switch (e) {
                    case MetricsEvent m -> metrics.add(EventJson.metrics(m));
                    case DiskEvent d -> disks.add(EventJson.disk(d));
                    case LogEvent l -> {
                    }
                }
            }
            for (CollectorStatus c : r.round.collectors()) {
                ObjectNode x = collectors.addObject();
                x.put("source", r.source);
                x.put("name", c.name());
                x.put("available", c.available());
                x.put(c.available() ? "detail" : "reason", c.detail());
            }
            if (!r.round.details().isEmpty()) {
                ObjectNode d = details.putObject(r.source);
                r.round.details().forEach(d::put);
            }
        }
        for (String u : unavailable) {
            ObjectNode x = collectors.addObject();
            x.put("source", "host");
            x.put("name", "all");
            x.put("available", false);
            x.put("reason", u);
        }
        return n;
    }

    private void printLines(PrintWriter out, List<Round> rounds, List<String> unavailable) {
        String platformTag = platform.name().toLowerCase(Locale.ROOT);
        List<String> missing = new ArrayList<>();
        for (Round r : rounds) {
            for (Event e : r.round.events()) {
                long ns = e.timestamp().getEpochSecond() * 1_000_000_000L + e.timestamp().getNano();
                switch (e) {
                    case MetricsEvent m -> printMetrics(out, m, platformTag, ns);
                    case DiskEvent d -> {
                        Map<String, Object> f = new LinkedHashMap<>();
                        f.put("read_kb_per_sec", d.readKbPerSec());
                        f.put("write_kb_per_sec", d.writeKbPerSec());
                        f.put("read_ops_per_sec", d.readOpsPerSec());
                        f.put("write_ops_per_sec", d.writeOpsPerSec());
                        out.println(line("diskio", Map.of("platform", platformTag, "device", d.diskName()), f, ns));
                    }
                    case LogEvent l -> {
                    }
                }
            }
            if (!r.round.details().isEmpty()) {
                Map<String, Object> f = new LinkedHashMap<>();
                r.round.details().forEach((k, v) -> {
                    Double num = Numbers.parseDouble(v);
                    f.put(k, num != null ? (Object) num : v);
                });
                out.println(line("details", Map.of("platform", platformTag, "source", r.source), f,
                        System.currentTimeMillis() * 1_000_000L));
            }
            for (CollectorStatus c : r.round.collectors()) {
                if (!c.available()) {
                    missing.add("! " + r.source + "/" + c.name() + " unavailable: " + c.detail());
                }
            }
        }
        unavailable.forEach(u -> missing.add("! unavailable: " + u));
        missing.forEach(out::println);
    }

    private static void printMetrics(PrintWriter out, MetricsEvent m, String platformTag, long ns) {
        MetricsProvenance p = m.provenance();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("platform", platformTag);
        tags.put("source", p.source().wireName());
        Map<String, Object> f = new LinkedHashMap<>();
        put(f, "cpu_usage_percent", m.cpuUsagePercent());
        put(f, "cpu_power_mw", m.cpuPowerMw());
        put(f, "gpu_usage_percent", m.gpuUsagePercent());
        put(f, "gpu_power_mw", m.gpuPowerMw());
        f.put("memory_pressure", m.memoryPressure().wireName());
        put(f, "memory_used_mb", m.memoryUsedMb());
        put(f, "energy_impact_mw", m.energyImpact());
        out.println(line("metrics", tags, f, ns));
        Map<String, Object> pf = new LinkedHashMap<>();
        pf.put("cpu_usage", p.cpuUsage().wireName());
        pf.put("cpu_power", p.cpuPower().wireName());
        pf.put("gpu_usage", p.gpuUsage().wireName());
        pf.put("gpu_power", p.gpuPower().wireName());
        pf.put("memory_pressure", p.memoryPressure().wireName());
        pf.put("memory_used", p.memoryUsed().wireName());
        pf.put("energy_impact", p.energyImpact().wireName());
        out.println(line("provenance", tags, pf, ns));
        for (ProcessMetric pm : m.processes()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("cpu_usage_percent", pm.cpuUsagePercent());
            x.put("resident_memory_mb", pm.residentMemoryMb());
            out.println(line("process", Map.of("platform", platformTag, "pid", Long.toString(pm.processId()),
                    "process", pm.process().isEmpty() ? "?" : pm.process()), x, ns));
        }
    }

    private static void put(Map<String, Object> f, String key, Double v) {
        if (v != null) {
            f.put(key, v);
        }
    }

    /** One line of influx line protocol: {@code > measurement,tag=v field=1.5,other="text" ns}. */
    static String line(String measurement, Map<String, String> tags, Map<String, Object> fields, long ns) {
        StringBuilder b = new StringBuilder("> ").append(measurement);
        new java.util.TreeMap<>(tags).forEach((k, v) -> b.append(',').append(k).append('=').append(escapeTag(v)));
        b.append(' ');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(e.getKey()).append('=');
            Object v = e.getValue();
            if (v instanceof Number n) {
                b.append(formatNumber(n.doubleValue()));
            } else if (v instanceof Boolean bool) {
                b.append(bool);
            } else {
                b.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.append(' ').append(ns).toString();
    }

    private static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String escapeTag(String v) {
        return v.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ");
    }
}
