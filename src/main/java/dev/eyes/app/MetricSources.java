package dev.eyes.app;

import dev.eyes.config.EyesConfig;
import dev.eyes.config.MetricsConfig;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.disk.linux.LinuxDiskSource;
import dev.eyes.source.disk.mac.MacDiskSource;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.HostCollector;
import dev.eyes.source.metrics.OshiProcessSampler;
import dev.eyes.source.metrics.ProcessSampler;
import dev.eyes.source.metrics.linux.LinuxMetricsSource;
import dev.eyes.source.metrics.linux.ProcProcessSampler;
import dev.eyes.source.metrics.mac.MacMetricsSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Builds the resource sources for this platform: one class per platform behind {@link HostCollector} (Linux
 * {@code /proc}/{@code /sys}; macOS powermetrics → top/vm_stat, iostat). A platform with neither gets none, with
 * the reason. None of them can stop the observer: an unavailable part is logged once and shown in its status.
 */
final class MetricSources {
    /** The sources that can run, and a reason for each wanted one that cannot. */
    record Plan(List<HostCollector> sources, List<String> unavailable) {
    }

    private MetricSources() {
    }

    static Plan build(EyesConfig config, Platform platform, RestartPolicy policy) {
        return build(config.metrics(), platform, policy, config.metrics().enabled(), config.metrics().diskEnabled());
    }

    /** For {@code eyes sample}: both kinds, whatever the switches say. */
    static Plan all(MetricsConfig metrics, Platform platform) {
        return build(metrics, platform, RestartPolicy.DEFAULT, true, true);
    }

    private static Plan build(MetricsConfig m, Platform platform, RestartPolicy policy, boolean metrics,
                              boolean disk) {
        List<HostCollector> sources = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        switch (platform) {
            case LINUX -> {
                if (metrics) {
                    sources.add(LinuxMetricsSource.forHost(m, linuxProcesses(m), policy));
                }
                if (disk) {
                    sources.add(LinuxDiskSource.forHost(m));
                }
            }
            case MACOS -> {
                if (metrics) {
                    sources.add(new MacMetricsSource(m, CommandRunner.SYSTEM, processes(m), isRoot(), policy));
                }
                if (disk) {
                    sources.add(new MacDiskSource(m, CommandRunner.SYSTEM, policy));
                }
            }
            default -> {
                if (metrics || disk) {
                    unavailable.add("metrics and disk: no collector for " + System.getProperty("os.name"));
                }
            }
        }
        return new Plan(sources, unavailable);
    }

    /** Linux: {@code /proc/<pid>/stat} directly (much cheaper than OSHI, see {@link ProcProcessSampler}). */
    private static Supplier<ProcessSampler> linuxProcesses(MetricsConfig m) {
        return () -> m.topProcesses() <= 0 ? null : ProcProcessSampler.forHost(CommandRunner.SYSTEM);
    }

    /** macOS: OSHI ({@code proc_pidinfo} through JNA, no subprocess per sample). */
    private static Supplier<ProcessSampler> processes(MetricsConfig m) {
        return () -> {
            if (m.topProcesses() <= 0) {
                return null;
            }
            try {
                return new OshiProcessSampler();
            } catch (RuntimeException | LinkageError e) {
                LoggerFactory.getLogger(MetricSources.class).warn("metrics: no per-process figures: {}",
                        e.toString());
                return null;
            }
        };
    }

    /** Whether this process runs as root (uid 0). */
    static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
