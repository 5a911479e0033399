package dev.eyes.source.disk.linux;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.source.EventSink;
import dev.eyes.source.SourceStatus;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.HostCollector;
import dev.eyes.source.metrics.PollingLoop;
import dev.eyes.source.metrics.SampleRound;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Linux disk source: {@code /proc/diskstats} every {@code metrics.interval_seconds}, one {@link DiskEvent} per
 * reported device (see {@link DeviceFilter}) with read/write KB/s and ops/s since the previous reading. The first
 * reading only primes the counters.
 */
public final class LinuxDiskSource implements HostCollector {
    public static final String ID = "disk";

    private final Path diskstats;
    private final Path sysBlock;
    private final MetricsConfig config;
    private volatile PollingLoop loop;
    private volatile SourceStatus status;
    private volatile CollectorStatus collector;
    private volatile Duration interval;

    /** @param proc the /proc root; @param sys the /sys root */
    public LinuxDiskSource(Path proc, Path sys, MetricsConfig config) {
        this.diskstats = proc.resolve("diskstats");
        this.sysBlock = sys.resolve("block");
        this.config = config;
        this.status = new SourceStatus(ID, SourceStatus.State.STARTING, "", 0, Instant.now());
        this.interval = Duration.ofSeconds(config.intervalSeconds());
        this.collector = Files.isReadable(diskstats) ? CollectorStatus.ok("diskstats", diskstats.toString())
                : CollectorStatus.unavailable("diskstats", "cannot read " + diskstats);
    }

    public static LinuxDiskSource forHost(MetricsConfig config) {
        return new LinuxDiskSource(Path.of("/proc"), Path.of("/sys"), config);
    }

    @Override
    public String name() {
        return ID;
    }

    @Override
    public synchronized void start(EventSink sink) {
        if (loop != null) {
            return;
        }
        DiskRates rates = new DiskRates(new DeviceFilter(config.diskExclude(), sysBlock));
        read(rates, Instant.now(), System.nanoTime());
        Duration every = interval;
        loop = new PollingLoop(ID, every, () -> {
            for (DiskEvent e : read(rates, Instant.now(), System.nanoTime())) {
                sink.offerSample(e);
            }
        });
        loop.start(every);
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public synchronized void setInterval(Duration interval) {
        this.interval = interval;
        PollingLoop l = loop;
        if (l != null) {
            l.setInterval(interval);
        }
    }

    private List<DiskEvent> read(DiskRates rates, Instant at, long nanoTime) {
        String text;
        try {
            text = Files.readString(diskstats, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            collector = CollectorStatus.unavailable("diskstats", "cannot read " + diskstats + ": " + e.getMessage());
            status = new SourceStatus(ID, SourceStatus.State.DEGRADED, collector.detail(), 0, Instant.now());
            return List.of();
        }
        Diskstats.Snapshot snap = Diskstats.parse(text);
        List<DiskEvent> events = rates.update(snap, at, nanoTime);
        collector = CollectorStatus.ok("diskstats", diskstats + " (" + snap.devices().size() + " devices)");
        if (status.state() != SourceStatus.State.RUNNING) {
            status = new SourceStatus(ID, SourceStatus.State.RUNNING, "", 0, Instant.now());
        }
        return events;
    }

    @Override
    public synchronized void stop() {
        PollingLoop l = loop;
        if (l != null) {
            l.stop();
        }
        status = new SourceStatus(ID, SourceStatus.State.STOPPED, "", 0, Instant.now());
    }

    @Override
    public SourceStatus status() {
        return status;
    }

    @Override
    public List<CollectorStatus> collectors() {
        return List.of(collector);
    }

    @Override
    public SampleRound sampleOnce(Duration gap) throws InterruptedException {
        DiskRates rates = new DiskRates(new DeviceFilter(config.diskExclude(), sysBlock));
        read(rates, Instant.now(), System.nanoTime());
        Thread.sleep(gap);
        List<Event> events = new ArrayList<>(read(rates, Instant.now(), System.nanoTime()));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("disk_exclude", String.join(",", config.diskExclude()));
        return new SampleRound(events, List.of(collector), details);
    }
}
