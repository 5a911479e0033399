package dev.eyes.rule;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rule 5 of reference §7, incrementally. Per device (never compared across devices), read and write separately:
 * a sample whose rate rose over the lowest rate of that device in the preceding {@code comparison_window_seconds}
 * by at least {@code read_delta_kb_per_sec} (524288 = 512 MiB/s) or {@code write_delta_kb_per_sec}
 * (262144 = 256 MiB/s) fires Warning. The reason is the original's:
 * {@code Rule 'DiskIOSpikeRule' triggered: {disk} {read|write} spike: baseline X KB/s, peak Y KB/s, delta +Z KB/s
 * (threshold T KB/s), source {path|mixed or unavailable}}, spikes joined by "; ", largest (delta ÷ threshold)
 * first. The evidence holds that device's samples in the window. Unlike the original, the device is the trigger's
 * source, so each device has its own cooldown.
 */
public final class DiskIOSpikeRule implements Rule {
    public static final String NAME = "DiskIOSpikeRule";

    private final Duration window;
    private final double readDelta;
    private final double writeDelta;
    private final int maxSamples;
    private final BenignNoise benign;
    private final Map<String, Device> devices = new HashMap<>();
    private int sinceEviction;

    private static final class Device {
        final RunningMinimum read;
        final RunningMinimum write;

        Device(Duration window, int cap) {
            read = new RunningMinimum(window, cap);
            write = new RunningMinimum(window, cap);
        }
    }

    public DiskIOSpikeRule(Duration window, double readDeltaKbPerSec, double writeDeltaKbPerSec, int maxSamples,
                           BenignNoise benign) {
        this.window = window;
        this.readDelta = readDeltaKbPerSec;
        this.writeDelta = writeDeltaKbPerSec;
        this.maxSamples = maxSamples;
        this.benign = benign;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Devices currently tracked (for tests). */
    int trackedDevices() {
        return devices.size();
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.DISK);
    }

    @Override
    public void onEvent(Event event, Firing out) {
        if (!(event instanceof DiskEvent d)) {
            return;
        }
        Instant at = d.timestamp();
        String disk = d.diskName();
        Device dev = devices.computeIfAbsent(disk, k -> new Device(window, maxSamples));
        String path = d.filesystemPath() == null || d.filesystemPath().isBlank() ? "mixed or unavailable"
                : d.filesystemPath();
        List<Spike> spikes = new ArrayList<>(2);
        check(dev.read, at, d.readKbPerSec(), readDelta, disk + " read", path, spikes);
        check(dev.write, at, d.writeKbPerSec(), writeDelta, disk + " write", path, spikes);
        if (++sinceEviction >= 256) {
            sinceEviction = 0;
            evictIdle(at.minus(window.multipliedBy(2)));
        }
        if (spikes.isEmpty() || out.coolingDown(NAME, disk, at)) {
            return;
        }
        Instant from = at.minus(window);
        var disks = Evidence.withLast(out.recent().disks(from, x -> x.diskName().equals(disk), Evidence.DISK_LIMIT),
                d);
        var metrics = out.recent().metrics(from, Evidence.METRICS_LIMIT);
        var logs = out.recent().logs(from, x -> x.messageType().isErrorOrFault() && !benign.isBenign(x),
                Evidence.LOG_LIMIT);
        out.fire(new Trigger(at, NAME, disk, Severity.WARNING, "Rule '" + NAME + "' triggered: " + Spike.join(spikes),
                logs, metrics, disks));
    }

    private static void check(RunningMinimum series, Instant at, double value, double threshold, String what,
                              String path, List<Spike> out) {
        if (!Double.isFinite(value) || value < 0) {
            return;
        }
        Double baseline = series.minBeforeAndAdd(at, value);
        if (baseline != null && value - baseline >= threshold) {
            out.add(new Spike(what, baseline, value, threshold, "KB/s", "KB/s", ", source " + path));
        }
    }

    private void evictIdle(Instant horizon) {
        for (Iterator<Device> it = devices.values().iterator(); it.hasNext(); ) {
            Instant last = it.next().read.last();
            if (last != null && last.isBefore(horizon)) {
                it.remove();
            }
        }
    }
}
