package dev.eyes.source.disk.mac;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.source.EventSink;
import dev.eyes.source.ProcessSupervisor;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.SourceStatus;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.HostCollector;
import dev.eyes.source.metrics.SampleRound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The macOS disk source: a running {@code iostat -d -w N} (restarted by a {@link ProcessSupervisor}); each row
 * after the since-boot one becomes one {@link DiskEvent} per disk. Devices matching {@code metrics.disk_exclude}
 * are skipped.
 */
public final class MacDiskSource implements HostCollector {
    public static final String ID = "disk";

    private final MetricsConfig config;
    private final CommandRunner runner;
    private final RestartPolicy policy;
    private final Predicate<String> include;
    private volatile ProcessSupervisor supervisor;
    private volatile EventSink sink;
    private volatile Duration interval;
    private Iostat parser = new Iostat();

    public MacDiskSource(MetricsConfig config, CommandRunner runner, RestartPolicy policy) {
        this.config = config;
        this.runner = runner;
        this.policy = policy;
        Predicate<String> excluded = name -> false;
        for (String g : config.diskExclude()) {
            java.util.regex.Pattern p = dev.eyes.source.disk.linux.DeviceFilter.globPattern(g);
            excluded = excluded.or(name -> p.matcher(name).matches());
        }
        this.include = excluded.negate();
        this.interval = Duration.ofSeconds(config.intervalSeconds());
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** iostat takes whole seconds (rounded up); the running iostat is restarted with the new interval. */
    @Override
    public void setInterval(Duration interval) {
        if (interval.equals(this.interval)) {
            return;
        }
        this.interval = interval;
        ProcessSupervisor s = supervisor;
        if (s != null) {
            s.restart("sampling interval now " + seconds() + " s");
        }
    }

    private int seconds() {
        return (int) Math.max(1, (interval.toMillis() + 999) / 1000);
    }

    @Override
    public String name() {
        return ID;
    }

    @Override
    public synchronized void start(EventSink sink) {
        if (supervisor != null) {
            return;
        }
        this.sink = sink;
        supervisor = new ProcessSupervisor(ID, () -> {
            parser = new Iostat(); // every run begins with a header and a since-boot row
            return Iostat.command(seconds(), 0);
        }, (buf, len, truncated, consumed) -> {
            if (truncated) {
                return;
            }
            Iostat.Row row = parser.feedLine(new String(buf, 0, len, StandardCharsets.UTF_8), Instant.now());
            if (row != null && !row.sinceBoot()) {
                for (DiskEvent e : row.disks()) {
                    if (include.test(e.diskName())) {
                        sink.offerSample(e);
                    }
                }
            }
        }, policy, 64 * 1024);
        supervisor.start();
    }

    @Override
    public synchronized void stop() {
        ProcessSupervisor s = supervisor;
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public SourceStatus status() {
        ProcessSupervisor s = supervisor;
        return s == null ? new SourceStatus(ID, SourceStatus.State.STARTING, "", 0, Instant.now()) : s.status();
    }

    @Override
    public List<CollectorStatus> collectors() {
        SourceStatus s = status();
        return List.of(s.state() == SourceStatus.State.DEGRADED ? CollectorStatus.unavailable("iostat", s.reason())
                : CollectorStatus.ok("iostat", "iostat -d -w " + seconds()));
    }

    @Override
    public SampleRound sampleOnce(Duration gap) {
        int secs = (int) Math.max(1, gap.toSeconds());
        CommandRunner.Result r = runner.run(Iostat.command(secs, 2), gap.plusSeconds(15));
        if (!r.ok()) {
            return new SampleRound(List.of(), List.of(CollectorStatus.unavailable("iostat", r.describe("iostat"))),
                    Map.of());
        }
        Iostat p = new Iostat();
        List<Event> events = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            Iostat.Row row = p.feedLine(line, Instant.now());
            if (row != null && !row.sinceBoot()) {
                events.clear();
                row.disks().stream().filter(e -> include.test(e.diskName())).forEach(events::add);
            }
        }
        return new SampleRound(events, List.of(events.isEmpty() ? CollectorStatus.unavailable("iostat",
                "no interval row in its output") : CollectorStatus.ok("iostat", "iostat -d -c 2 -w " + secs)), Map.of());
    }
}
