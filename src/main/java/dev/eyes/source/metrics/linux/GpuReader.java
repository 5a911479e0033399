package dev.eyes.source.metrics.linux;

import dev.eyes.source.Platform;
import dev.eyes.source.ProcessSupervisor;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.SourceStatus;
import dev.eyes.source.metrics.CollectorStatus;
import dev.eyes.source.metrics.CommandRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where the Linux sampler gets GPU readings from: nothing, one {@code nvidia-smi} run, or a looping one. */
public interface GpuReader {
    /** The current summary, or null when there is none. */
    NvidiaSmi.Summary read(long nanoTime);

    CollectorStatus status();

    default void start() {
    }

    default void stop() {
    }

    /** No GPU reader (nvidia-smi is not installed). */
    static GpuReader none(String reason) {
        CollectorStatus s = CollectorStatus.unavailable("nvidia-smi", reason);
        return new GpuReader() {
            @Override
            public NvidiaSmi.Summary read(long nanoTime) {
                return null;
            }

            @Override
            public CollectorStatus status() {
                return s;
            }
        };
    }

    /** The binary on PATH, or empty. */
    static Optional<Path> locate() {
        return Platform.which("nvidia-smi");
    }

    /** Runs {@code nvidia-smi} once per read (for {@code eyes sample}). */
    final class OneShot implements GpuReader {
        private final String binary;
        private final CommandRunner runner;
        private volatile CollectorStatus status;

        public OneShot(String binary, CommandRunner runner) {
            this.binary = binary;
            this.runner = runner;
            this.status = CollectorStatus.ok("nvidia-smi", binary);
        }

        @Override
        public NvidiaSmi.Summary read(long nanoTime) {
            List<String> cmd = NvidiaSmi.command(binary, 0);
            CommandRunner.Result r = runner.run(cmd, Duration.ofSeconds(10));
            if (!r.ok()) {
                status = CollectorStatus.unavailable("nvidia-smi", r.describe("nvidia-smi"));
                return null;
            }
            NvidiaSmi.Parsed p = NvidiaSmi.parse(r.stdout());
            if (p.gpus().isEmpty()) {
                status = CollectorStatus.unavailable("nvidia-smi", "nvidia-smi reported no GPU");
                return null;
            }
            status = CollectorStatus.ok("nvidia-smi", p.gpus().size() + " GPU(s)");
            return NvidiaSmi.summarize(p.gpus());
        }

        @Override
        public CollectorStatus status() {
            return status;
        }
    }

    /**
     * A long-running {@code nvidia-smi … -l N} under a {@link ProcessSupervisor} (restarted with backoff when it
     * ends): one NVML initialisation instead of one per sample. Readings older than three intervals are stale.
     */
    final class Looping implements GpuReader {
        private final NvidiaSmi.Tracker tracker = new NvidiaSmi.Tracker();
        private final ProcessSupervisor supervisor;
        private final long maxAgeNanos;

        public Looping(String binary, int intervalSeconds, RestartPolicy policy) {
            this.maxAgeNanos = Duration.ofSeconds(3L * intervalSeconds).toNanos();
            this.supervisor = new ProcessSupervisor("nvidia-smi", () -> NvidiaSmi.command(binary, intervalSeconds),
                    (buf, len, truncated, consumed) -> {
                        if (!truncated) {
                            tracker.onLine(new String(buf, 0, len, StandardCharsets.UTF_8), System.nanoTime());
                        }
                    }, policy, 64 * 1024);
        }

        @Override
        public void start() {
            supervisor.start();
        }

        @Override
        public void stop() {
            supervisor.stop();
        }

        @Override
        public NvidiaSmi.Summary read(long nanoTime) {
            return tracker.summary(nanoTime, maxAgeNanos);
        }

        @Override
        public CollectorStatus status() {
            SourceStatus s = supervisor.status();
            if (s.state() == SourceStatus.State.RUNNING || s.state() == SourceStatus.State.STARTING) {
                return CollectorStatus.ok("nvidia-smi", "nvidia-smi -l (running)");
            }
            return CollectorStatus.unavailable("nvidia-smi", s.reason().isEmpty() ? s.state().wireName() : s.reason());
        }
    }
}
