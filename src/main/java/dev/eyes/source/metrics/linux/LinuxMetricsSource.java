package dev.eyes.source.metrics.linux;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.Event;
import dev.eyes.event.MetricsEvent;
import dev.eyes.source.EventSink;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.SourceStatus;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.HostCollector;
import dev.eyes.source.metrics.PollingLoop;
import dev.eyes.source.metrics.ProcessSampler;
import dev.eyes.source.metrics.SampleRound;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux metrics source: a {@link LinuxMetrics} sample every {@code metrics.interval_seconds}, handed to the
 * pipeline as a sample (dropped, and counted, when the pipeline is behind). The first round only primes the
 * counters. GPU readings come from a looping {@code nvidia-smi} when it is installed. Parts that are unavailable
 * (no RAPL in a VM, no nvidia-smi, no PSI) are logged once and listed in {@link #status()}; the source runs anyway.
 */
public final class LinuxMetricsSource implements HostCollector {
    public static final String ID = "metrics";
    private static final Logger LOG = LoggerFactory.getLogger(LinuxMetricsSource.class);

    private final LinuxMetrics.Roots roots;
    private final MetricsConfig config;
    private final Supplier<ProcessSampler> processes;
    private final Optional<Path> nvidiaSmi;
    private final CommandRunner runner;
    private final RestartPolicy policy;
    private volatile LinuxMetrics live;
    private volatile PollingLoop loop;
    private volatile GpuReader gpu;
    private volatile SourceStatus status;
    private volatile Duration interval;

    /**
     * @param processes makes the top-process sampler (OSHI on a real host), or returns null for none
     * @param nvidiaSmi the nvidia-smi binary, when installed
     */
    public LinuxMetricsSource(LinuxMetrics.Roots roots, MetricsConfig config, Supplier<ProcessSampler> processes,
                              Optional<Path> nvidiaSmi, CommandRunner runner, RestartPolicy policy) {
        this.roots = roots;
        this.config = config;
        this.processes = processes;
        this.nvidiaSmi = nvidiaSmi;
        this.runner = runner;
        this.policy = policy;
        this.status = new SourceStatus(ID, SourceStatus.State.STARTING, "", 0, Instant.now());
        this.interval = Duration.ofSeconds(config.intervalSeconds());
    }

    /** The host's /proc and /sys, nvidia-smi from PATH, and the given process sampler. */
    public static LinuxMetricsSource forHost(MetricsConfig config, Supplier<ProcessSampler> processes,
                                             RestartPolicy policy) {
        return new LinuxMetricsSource(LinuxMetrics.Roots.host(), config, processes, GpuReader.locate(),
                CommandRunner.SYSTEM, policy);
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
        gpu = nvidiaSmi.<GpuReader>map(p -> new GpuReader.Looping(p.toString(), config.intervalSeconds(), policy))
                .orElseGet(() -> GpuReader.none("nvidia-smi was not found on PATH"));
        ProcessSampler sampler = processes.get();
        LinuxMetrics metrics = new LinuxMetrics(roots, config, sampler, gpu);
        live = metrics;
        List<String> missing = metrics.unavailable();
        if (!missing.isEmpty()) {
            LOG.info("metrics: not available on this host: {}", String.join("; ", missing));
        }
        gpu.start();
        metrics.prime(System.nanoTime());
        Duration every = interval;
        loop = new PollingLoop(ID, every, () -> {
            MetricsEvent e = metrics.sample(Instant.now(), System.nanoTime());
            if (e != null) {
                sink.offerSample(e);
            }
            updateStatus(metrics);
        });
        updateStatus(metrics);
        // the first sample comes one interval after priming, so it is a full interval's rate
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

    private void updateStatus(LinuxMetrics metrics) {
        List<String> missing = metrics.unavailable();
        status = new SourceStatus(ID, SourceStatus.State.RUNNING, missing.isEmpty() ? ""
                : "unavailable: " + String.join("; ", missing), 0, status.since());
    }

    @Override
    public synchronized void stop() {
        PollingLoop l = loop;
        if (l != null) {
            l.stop();
        }
        GpuReader g = gpu;
        if (g != null) {
            g.stop();
        }
        status = new SourceStatus(ID, SourceStatus.State.STOPPED, "", 0, Instant.now());
    }

    @Override
    public SourceStatus status() {
        return status;
    }

    @Override
    public List<CollectorStatus> collectors() {
        LinuxMetrics m = live;
        return m == null ? List.of() : m.collectors();
    }

    @Override
    public SampleRound sampleOnce(Duration gap) throws InterruptedException {
        GpuReader oneShot = nvidiaSmi.<GpuReader>map(p -> new GpuReader.OneShot(p.toString(), runner))
                .orElseGet(() -> GpuReader.none("nvidia-smi was not found on PATH"));
        LinuxMetrics metrics = new LinuxMetrics(roots, config, processes.get(), oneShot);
        metrics.prime(System.nanoTime());
        Thread.sleep(gap);
        MetricsEvent e = metrics.sample(Instant.now(), System.nanoTime());
        List<Event> events = new ArrayList<>();
        if (e != null) {
            events.add(e);
        }
        return new SampleRound(events, metrics.collectors(), metrics.details());
    }
}
