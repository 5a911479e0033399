package dev.eyes.rule;

import dev.eyes.event.Event;
import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule 4 of reference §7, incrementally: a metrics sample whose value rose over the lowest value of the preceding
 * {@code comparison_window_seconds} by at least the threshold fires Warning, system-wide:
 * <ul>
 *   <li>CPU power ≥ {@code cpu_power_delta_mw} (1000 mW),</li>
 *   <li>GPU power ≥ {@code gpu_power_delta_mw} (2000 mW),</li>
 *   <li>CPU usage ≥ {@code cpu_usage_delta_percent} (50) percentage points — new: covers hosts without power
 *       counters (VMs, most servers).</li>
 * </ul>
 * Only measured or derived values count: an ESTIMATED power (macOS top fallback: CPU % × 40 mW) is not compared,
 * as the CPU-usage clause already covers it. Each series keeps a running minimum in a monotonic deque, so a sample
 * costs O(1) amortised. The first sample of a window has nothing to compare with and never fires; a fall never
 * fires; a rise that outlives the window becomes the new baseline.
 */
public final class ResourceSpikeRule implements Rule {
    public static final String NAME = "ResourceSpikeRule";

    private final Duration window;
    private final double cpuPowerDelta;
    private final double gpuPowerDelta;
    private final double cpuUsageDelta;
    private final BenignNoise benign;
    private final RunningMinimum cpuPower;
    private final RunningMinimum gpuPower;
    private final RunningMinimum cpuUsage;

    public ResourceSpikeRule(Duration window, double cpuPowerDeltaMw, double gpuPowerDeltaMw,
                             double cpuUsageDeltaPercent, int maxSamples, BenignNoise benign) {
        this.window = window;
        this.cpuPowerDelta = cpuPowerDeltaMw;
        this.gpuPowerDelta = gpuPowerDeltaMw;
        this.cpuUsageDelta = cpuUsageDeltaPercent;
        this.benign = benign;
        this.cpuPower = new RunningMinimum(window, maxSamples);
        this.gpuPower = new RunningMinimum(window, maxSamples);
        this.cpuUsage = new RunningMinimum(window, maxSamples);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.METRICS);
    }

    @Override
    public void onEvent(Event event, Firing out) {
        if (!(event instanceof MetricsEvent m)) {
            return;
        }
        Instant at = m.timestamp();
        List<Spike> spikes = new ArrayList<>(3);
        check(cpuPower, at, m.cpuPowerMw(), m.provenance().cpuPower(), cpuPowerDelta, "CPU power", "mW", "mW",
                spikes);
        check(gpuPower, at, m.gpuPowerMw(), m.provenance().gpuPower(), gpuPowerDelta, "GPU power", "mW", "mW",
                spikes);
        check(cpuUsage, at, m.cpuUsagePercent(), m.provenance().cpuUsage(), cpuUsageDelta, "CPU usage", "%",
                "points", spikes);
        if (spikes.isEmpty() || out.coolingDown(NAME, null, at)) {
            return;
        }
        Instant from = at.minus(window);
        var metrics = Evidence.withLast(out.recent().metrics(from, Evidence.METRICS_LIMIT), m);
        var logs = out.recent().logs(from, x -> x.messageType().isErrorOrFault() && !benign.isBenign(x),
                Evidence.LOG_LIMIT);
        var disks = out.recent().disks(from, d -> true, Evidence.DISK_LIMIT);
        out.fire(new Trigger(at, NAME, null, Severity.WARNING, "Rule '" + NAME + "' triggered: "
                + Spike.join(spikes) + " within " + window.toSeconds() + " s", logs, metrics, disks));
    }

    private static void check(RunningMinimum series, Instant at, Double value, MeasurementKind kind, double threshold,
                              String what, String unit, String deltaUnit, List<Spike> out) {
        if (value == null || !(kind == MeasurementKind.MEASURED || kind == MeasurementKind.DERIVED)
                || !Double.isFinite(value)) {
            return;
        }
        Double baseline = series.minBeforeAndAdd(at, value);
        if (baseline != null && value - baseline >= threshold) {
            out.add(new Spike(what, baseline, value, threshold, unit, deltaUnit, ""));
        }
    }
}
