package dev.eyes.source.metrics.mac;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.Event;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.ProcessMetric;
import dev.eyes.source.EventSink;
import dev.eyes.source.LineReader;
import dev.eyes.source.ProcessSupervisor;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.SourceStatus;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.HostCollector;
import dev.eyes.source.metrics.ProcessSampler;
import dev.eyes.source.metrics.SampleRound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The macOS metrics source.
 *
 * <p>Primary: {@code powermetrics --samplers cpu_power,gpu_power,tasks -f plist -i <ms>} (through {@code sudo -n}
 * unless Eyes is root; it needs root), kept running by a {@link ProcessSupervisor}; samples are cut by
 * {@link PlistFramer} and read by {@link Powermetrics}. powermetrics reports no memory, so each sample adds the
 * kernel's pressure level ({@code sysctl -n kern.memorystatus_vm_pressure_level}, MEASURED; when that fails,
 * an ESTIMATED level from {@code memory_pressure -Q}), memory used from {@code vm_stat} (DERIVED) and the top
 * processes by RSS (OSHI).
 *
 * <p>Fallback, when powermetrics cannot run (no passwordless sudo; or two runs in a row that produced no sample,
 * after which it is not tried again while Eyes runs): {@code top -l 0 -s N -n K -o mem -stats pid,command,cpu,mem}.
 * CPU usage is user + sys (MEASURED); CPU power is estimated as CPU % × {@value #MW_PER_CPU_PERCENT} mW and
 * marked ESTIMATED (the original's model; the rules do not fire on estimates); no GPU values; memory used from
 * {@code vm_stat} (or top's {@code PhysMem} line); processes from top's rows. The first sample of each top run
 * is dropped: its CPU figures cover the time since boot.
 */
public final class MacMetricsSource implements HostCollector {
    public static final String ID = "metrics";
    /** The original's CPU power model for the top fallback: mW per percent of CPU. */
    public static final double MW_PER_CPU_PERCENT = 40.0;
    private static final Logger LOG = LoggerFactory.getLogger(MacMetricsSource.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    enum Mode {
        POWERMETRICS, TOP
    }

    private final MetricsConfig config;
    private final CommandRunner runner;
    private final Supplier<ProcessSampler> processes;
    private final boolean root;
    private final RestartPolicy policy;
    private volatile Mode mode;
    private volatile String fallbackReason = "";
    private volatile SourceStatus status;
    private volatile ProcessSupervisor supervisor;
    private volatile EventSink sink;
    private volatile Duration interval;
    private ProcessSampler sampler;
    private final Map<String, CollectorStatus> collectors = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    // per-run state, touched only by the supervisor's reader thread (and command(), called between runs)
    private PlistFramer framer;
    private TopParser top;
    private int samplesThisRun;
    private int runsWithoutSample;
    private boolean firstRun = true;

    public MacMetricsSource(MetricsConfig config, CommandRunner runner, Supplier<ProcessSampler> processes,
                            boolean root, RestartPolicy policy) {
        this.config = config;
        this.runner = runner;
        this.processes = processes;
        this.root = root;
        this.policy = policy;
        this.status = new SourceStatus(ID, SourceStatus.State.STARTING, "", 0, Instant.now());
        this.interval = Duration.ofSeconds(config.intervalSeconds());
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** powermetrics takes milliseconds; top takes whole seconds (rounded up). The running tool is restarted. */
    @Override
    public void setInterval(Duration interval) {
        if (interval.equals(this.interval)) {
            return;
        }
        this.interval = interval;
        ProcessSupervisor s = supervisor;
        if (s != null) {
            s.restart("sampling interval now " + interval.toMillis() / 1000.0 + " s");
        }
    }

    static int wholeSeconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    @Override
    public String name() {
        return ID;
    }

    /** Which collector is in use (for tests and the health page). */
    Mode mode() {
        return mode;
    }

    /** Whether powermetrics may run: root, or {@code sudo -n} allowed. Null when yes, else the reason. */
    String probePowermetrics() {
        List<String> probe = root ? List.of("powermetrics", "-h") : List.of("sudo", "-n", "powermetrics", "-h");
        CommandRunner.Result r = runner.run(probe, COMMAND_TIMEOUT);
        if (r.ok()) {
            return null;
        }
        String why = r.describe(String.join(" ", probe));
        return root ? "powermetrics cannot run: " + why
                : "powermetrics needs root and sudo -n was refused (" + why + "); allow it with a NOPASSWD sudoers"
                + " rule for /usr/bin/powermetrics";
    }

    @Override
    public synchronized void start(EventSink sink) {
        if (supervisor != null) {
            return;
        }
        String refused = probePowermetrics();
        prepare(sink, refused == null ? Mode.POWERMETRICS : Mode.TOP, refused);
        supervisor = new ProcessSupervisor(ID, this::command, this::onLine, policy, LineReader.DEFAULT_MAX_LINE);
        supervisor.start();
    }

    /** Sets up everything but the child process (tests drive {@link #command()} and {@link #onLine} directly). */
    void prepare(EventSink sink, Mode initial, String whyNotPowermetrics) {
        this.sink = sink;
        this.sampler = processes.get();
        if (initial == Mode.POWERMETRICS) {
            mode = Mode.POWERMETRICS;
            collectors.put("powermetrics", CollectorStatus.ok("powermetrics", root ? "as root" : "via sudo -n"));
        } else {
            switchToTop(whyNotPowermetrics);
        }
    }

    private void switchToTop(String reason) {
        mode = Mode.TOP;
        fallbackReason = reason;
        collectors.put("powermetrics", CollectorStatus.unavailable("powermetrics", reason));
        collectors.put("top", CollectorStatus.ok("top", "top -l 0 (fallback; CPU power estimated)"));
        LOG.warn("metrics: {}; using top and vm_stat instead (CPU power becomes an estimate, no GPU values)", reason);
    }

    /** The command of the next run; between runs, so it may switch to the fallback. */
    List<String> command() {
        if (!firstRun) {
            runsWithoutSample = samplesThisRun == 0 ? runsWithoutSample + 1 : 0;
            if (mode == Mode.POWERMETRICS && runsWithoutSample >= 2) {
                switchToTop("powermetrics ended twice without producing a sample");
                runsWithoutSample = 0;
            }
        }
        firstRun = false;
        samplesThisRun = 0;
        framer = new PlistFramer(16 << 20);
        top = new TopParser(Math.max(1, config.topProcesses()));
        Duration every = interval;
        return mode == Mode.POWERMETRICS ? Powermetrics.command(!root, Math.max(100, every.toMillis()), 0)
                : TopParser.command(wholeSeconds(every), 0, Math.max(1, config.topProcesses()));
    }

    void onLine(byte[] buf, int len, boolean truncated, int consumed) throws InterruptedException {
        if (mode == Mode.POWERMETRICS) {
            framer.feedLine(buf, 0, len, (doc, n) -> {
                MetricsEvent e = fromPowermetrics(doc, n, sampler, Instant.now());
                if (e != null) {
                    samplesThisRun++;
                    emit(e);
                }
            });
        } else if (!truncated) {
            TopParser.Sample s = top.feedLine(new String(buf, 0, len, StandardCharsets.UTF_8));
            if (s != null) {
                samplesThisRun++;
                if (samplesThisRun > 1) {
                    emit(fromTop(s, Instant.now()));
                }
            }
        }
    }

    private void emit(MetricsEvent e) {
        EventSink s = sink;
        if (s != null) {
            s.offerSample(e);
        }
        status = new SourceStatus(ID, SourceStatus.State.RUNNING, fallbackReason, 0, status.since());
    }

    /** A metrics event from one powermetrics document, with memory and processes added; null when unreadable. */
    MetricsEvent fromPowermetrics(byte[] doc, int len, ProcessSampler procs, Instant now) {
        Powermetrics pm;
        try {
            pm = Powermetrics.from(Plist.parse(doc, 0, len));
        } catch (Plist.PlistException e) {
            LOG.debug("metrics: skipping an unreadable powermetrics sample: {}", e.getMessage());
            return null;
        }
        if (pm == null) {
            return null;
        }
        Pressure pressure = pressure();
        Memory memory = memory();
        List<ProcessMetric> top = procs == null || config.topProcesses() <= 0 ? List.of()
                : procs.top(config.topProcesses());
        return pm.toEvent(now, pressure.level, pressure.kind, memory.usedMb, memory.kind, top);
    }

    /** A metrics event from one top sample, with memory and pressure added. */
    MetricsEvent fromTop(TopParser.Sample s, Instant now) {
        Pressure pressure = pressure();
        Memory memory = memory();
        return s.toEvent(now, MW_PER_CPU_PERCENT, pressure.level, pressure.kind, memory.usedMb, memory.kind,
                config.topProcesses());
    }

    private record Pressure(MemoryPressure level, MeasurementKind kind) {
    }

    private record Memory(Double usedMb, MeasurementKind kind) {
    }

    private Pressure pressure() {
        CommandRunner.Result r = runner.run(Sysctl.pressureCommand(), COMMAND_TIMEOUT);
        MemoryPressure level = r.ok() ? Sysctl.pressureLevel(r.stdout()) : null;
        if (level != null) {
            collectors.put("sysctl", CollectorStatus.ok("sysctl", Sysctl.PRESSURE_KEY));
            return new Pressure(level, MeasurementKind.MEASURED);
        }
        collectors.put("sysctl", CollectorStatus.unavailable("sysctl", r.ok() ? Sysctl.PRESSURE_KEY + " is \""
                + r.stdout().strip() + "\", not 1, 2 or 4" : r.describe("sysctl")));
        CommandRunner.Result mp = runner.run(MemoryPressureTool.command(), COMMAND_TIMEOUT);
        MemoryPressureTool tool = mp.ok() ? MemoryPressureTool.parse(mp.stdout()) : null;
        MemoryPressure est = tool == null ? null : tool.estimatedLevel();
        if (est != null) {
            collectors.put("memory_pressure", CollectorStatus.ok("memory_pressure", "free " + tool.freePercent()
                    + " % (level estimated)"));
            return new Pressure(est, MeasurementKind.ESTIMATED);
        }
        collectors.put("memory_pressure", CollectorStatus.unavailable("memory_pressure",
                mp.ok() ? "no free percentage in its output" : mp.describe("memory_pressure")));
        return new Pressure(MemoryPressure.UNKNOWN, MeasurementKind.UNAVAILABLE);
    }

    private Memory memory() {
        CommandRunner.Result r = runner.run(VmStat.command(), COMMAND_TIMEOUT);
        VmStat vm = r.ok() ? VmStat.parse(r.stdout()) : null;
        Double used = vm == null ? null : vm.usedMb();
        if (used == null) {
            collectors.put("vm_stat", CollectorStatus.unavailable("vm_stat", r.ok() ? "no page counts in its output"
                    : r.describe("vm_stat")));
            return new Memory(null, MeasurementKind.UNAVAILABLE);
        }
        collectors.put("vm_stat", CollectorStatus.ok("vm_stat", "page size " + vm.pageSize()));
        return new Memory(used, MeasurementKind.DERIVED);
    }

    @Override
    public synchronized void stop() {
        ProcessSupervisor s = supervisor;
        if (s != null) {
            s.stop();
        }
        status = new SourceStatus(ID, SourceStatus.State.STOPPED, "", 0, Instant.now());
    }

    @Override
    public SourceStatus status() {
        ProcessSupervisor s = supervisor;
        SourceStatus st = status;
        if (s != null && st.state() != SourceStatus.State.STOPPED
                && s.status().state() == SourceStatus.State.DEGRADED) {
            return new SourceStatus(ID, SourceStatus.State.DEGRADED, s.status().reason(), s.status().restarts(),
                    s.status().since());
        }
        return st;
    }

    @Override
    public List<CollectorStatus> collectors() {
        synchronized (collectors) {
            return List.copyOf(collectors.values());
        }
    }

    @Override
    public SampleRound sampleOnce(Duration gap) throws InterruptedException {
        ProcessSampler procs = processes.get();
        if (procs != null && config.topProcesses() > 0) {
            procs.top(config.topProcesses());
        }
        List<Event> events = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        long ms = Math.max(100, gap.toMillis());
        String refused = probePowermetrics();
        MetricsEvent event = null;
        if (refused == null) {
            CommandRunner.Result r = runner.run(Powermetrics.command(!root, ms, 1), gap.plusSeconds(15));
            if (r.ok()) {
                byte[] out = r.stdout().getBytes(StandardCharsets.UTF_8);
                List<byte[]> docs = new ArrayList<>();
                PlistFramer f = new PlistFramer(16 << 20);
                for (String line : r.stdout().split("\n", -1)) {
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    f.feedLine(b, 0, b.length, (doc, n) -> docs.add(java.util.Arrays.copyOf(doc, n)));
                }
                if (!docs.isEmpty()) {
                    event = fromPowermetrics(docs.getFirst(), docs.getFirst().length, procs, Instant.now());
                }
                collectors.put("powermetrics", event != null ? CollectorStatus.ok("powermetrics", root ? "as root"
                        : "via sudo -n") : CollectorStatus.unavailable("powermetrics", "no readable sample in "
                        + out.length + " bytes of output"));
            } else {
                collectors.put("powermetrics", CollectorStatus.unavailable("powermetrics", r.describe("powermetrics")));
            }
        } else {
            collectors.put("powermetrics", CollectorStatus.unavailable("powermetrics", refused));
        }
        if (event == null) {
            int secs = (int) Math.max(1, gap.toSeconds());
            CommandRunner.Result r = runner.run(TopParser.command(secs, 2, Math.max(1, config.topProcesses())),
                    gap.plusSeconds(15));
            TopParser.Sample last = null;
            int n = 0;
            if (r.ok()) {
                TopParser p = new TopParser(Math.max(1, config.topProcesses()));
                for (String line : r.stdout().split("\n")) {
                    TopParser.Sample s = p.feedLine(line);
                    if (s != null) {
                        n++;
                        last = s;
                    }
                }
                TopParser.Sample s = p.finish();
                if (s != null) {
                    n++;
                    last = s;
                }
            }
            if (last != null && n >= 2) {
                event = fromTop(last, Instant.now());
                collectors.put("top", CollectorStatus.ok("top", "fallback; CPU power estimated"));
            } else {
                collectors.put("top", CollectorStatus.unavailable("top", r.ok() ? "fewer than two samples in its"
                        + " output" : r.describe("top")));
            }
        }
        if (event != null) {
            events.add(event);
            details.put("metrics_source", event.provenance().source().display());
        }
        details.put("time_zone", ZoneId.systemDefault().getId());
        return new SampleRound(events, collectors(), details);
    }
}
