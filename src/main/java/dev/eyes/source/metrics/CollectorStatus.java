package dev.eyes.source.metrics;

/**
 * Whether one part of a resource source works on this host (e.g. {@code rapl}, {@code nvidia-smi},
 * {@code psi}), and why not, or what it reads.
 *
 * @param name      short name: cpu, memory, psi, rapl, nvidia-smi, processes, diskstats, powermetrics …
 * @param available true when it produced (or can produce) values
 * @param detail    what it reads when available; why not when unavailable
 */
public record CollectorStatus(String name, boolean available, String detail) {
    public static CollectorStatus ok(String name, String detail) {
        return new CollectorStatus(name, true, detail);
    }

    public static CollectorStatus unavailable(String name, String reason) {
        return new CollectorStatus(name, false, reason);
    }
}
