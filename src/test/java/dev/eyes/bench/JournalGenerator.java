package dev.eyes.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a realistic {@code journalctl -o json} recording for benchmarks: the full field set journalctl prints
 * (about 900 bytes a line), 40 services, priorities mostly info with some warnings and errors, occasional error
 * bursts and crash lines, one entry every ~2 ms of event time. Deterministic for a given seed.
 *
 * <p>{@code java -cp target/test-classes:target/classes dev.eyes.bench.JournalGenerator LINES FILE [SEED]}
 */
public final class JournalGenerator {
    private static final String[] UNITS = new String[40];
    private static final String[] INFO = {"Started Session %d of user alice.", "Accepted publickey for alice from"
        + " 10.0.0.%d port 51234 ssh2", "Reloading configuration (generation %d)", "Connection %d established",
        "GET /api/items/%d 200 12ms", "Checkpoint %d complete", "Rotated log file (%d bytes)"};
    private static final String[] ERRORS = {"Failed to connect to upstream %d: Connection refused",
        "request %d failed: timeout after 30s", "disk quota exceeded for volume %d", "worker %d exited with status 1",
        "could not resolve host db-%d.internal"};

    static {
        for (int i = 0; i < UNITS.length; i++) {
            UNITS[i] = "svc" + i;
        }
    }

    private JournalGenerator() {
    }

    public static void main(String[] args) throws IOException {
        long lines = Long.parseLong(args[0]);
        Path out = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            write(os, lines, seed);
        }
    }

    public static void write(OutputStream os, long lines, long seed) throws IOException {
        Random rnd = new Random(seed);
        long t = 1_760_000_000_000_000L;
        StringBuilder b = new StringBuilder(1200);
        for (long n = 0; n < lines; n++) {
            t += 1000 + rnd.nextInt(2000);
            int u = rnd.nextInt(UNITS.length);
            int r = rnd.nextInt(1000);
            int priority;
            String message;
            if (r < 8) {
                priority = 3;
                message = String.format(ERRORS[rnd.nextInt(ERRORS.length)], rnd.nextInt(50));
            } else if (r < 9) {
                priority = 2;
                message = "worker[" + rnd.nextInt(9000) + "]: segfault at 0 ip 00007f12 sp 00007ffc error 4 in libc.so.6";
            } else if (r < 60) {
                priority = 4;
                message = "deprecated option used in /etc/" + UNITS[u] + ".conf line " + rnd.nextInt(200);
            } else {
                priority = 6;
                message = String.format(INFO[rnd.nextInt(INFO.length)], rnd.nextInt(100000));
            }
            int pid = 1000 + u * 37;
            b.setLength(0);
            b.append("{\"__CURSOR\":\"s=6a3a1f6a1b4b4c0f9a0e2c6d8f1e2a3b;i=").append(Long.toHexString(n + 1))
                    .append(";b=97a8b138e4524e0abb3f545b8502a98b;m=").append(Long.toHexString(t / 7))
                    .append(";t=").append(Long.toHexString(t)).append(";x=").append(Long.toHexString(t * 31 + n))
                    .append("\",\"__REALTIME_TIMESTAMP\":\"").append(t)
                    .append("\",\"__MONOTONIC_TIMESTAMP\":\"").append(t / 7)
                    .append("\",\"_BOOT_ID\":\"97a8b138e4524e0abb3f545b8502a98b\",\"PRIORITY\":\"").append(priority)
                    .append("\",\"SYSLOG_FACILITY\":\"3\",\"_UID\":\"0\",\"_GID\":\"0\",")
                    .append("\"_MACHINE_ID\":\"3d1219c7c4c5404aaa1f6d2a48adfda4\",\"_HOSTNAME\":\"host-1\",")
                    .append("\"_TRANSPORT\":\"stdout\",\"_CAP_EFFECTIVE\":\"0\",\"_SYSTEMD_SLICE\":\"system.slice\",")
                    .append("\"SYSLOG_IDENTIFIER\":\"").append(UNITS[u]).append("\",\"_PID\":\"").append(pid)
                    .append("\",\"_COMM\":\"").append(UNITS[u]).append("\",\"_EXE\":\"/usr/bin/").append(UNITS[u])
                    .append("\",\"_CMDLINE\":\"/usr/bin/").append(UNITS[u]).append(" --config /etc/")
                    .append(UNITS[u]).append(".conf\",\"_SYSTEMD_CGROUP\":\"/system.slice/").append(UNITS[u])
                    .append(".service\",\"_SYSTEMD_UNIT\":\"").append(UNITS[u]).append(".service\",")
                    .append("\"_SYSTEMD_INVOCATION_ID\":\"e8fb03c1b8bf47b8ac2fc82f9870fd57\",")
                    .append("\"_STREAM_ID\":\"d6422e98dfb24d128e274f917f04362f\",\"MESSAGE\":\"")
                    .append(message).append("\"}\n");
            os.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
