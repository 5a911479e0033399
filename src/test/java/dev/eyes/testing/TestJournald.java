package dev.eyes.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code systemd-journald} of our own: a journald namespace instance started by hand (as root), so tests
 * write and follow a journal exactly as Eyes does on a host, isolated from the system journal. Entries are written
 * through journald's stdout stream protocol (what {@code systemd-cat} uses), one stream per identifier, with a
 * {@code <N>} priority prefix per line. Rate limiting is switched off for the namespace.
 */
public final class TestJournald implements AutoCloseable {
    public static final Path BINARY = Path.of("/lib/systemd/systemd-journald");

    private final String namespace;
    private final Process process;
    private final Path conf;

    private TestJournald(String namespace, Process process, Path conf) {
        this.namespace = namespace;
        this.process = process;
        this.conf = conf;
    }

    /** Starts a fresh namespace instance; fails (never skips) when that is impossible here. */
    public static TestJournald start() throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: systemd must be installed");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("starting systemd-journald by hand needs root (bin/test runs as root in CI)");
        }
        String ns = "eyestest" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36);
        Path conf = Path.of("/etc/systemd/journald@" + ns + ".conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "[Journal]\nStorage=volatile\nRateLimitIntervalSec=0\nRateLimitBurst=0\n");
        Process p = new ProcessBuilder(BINARY.toString(), ns)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        TestJournald j = new TestJournald(ns, p, conf);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(j.stdoutSocket())) {
                try (Stream s = j.stream("eyes-probe", 6)) {
                    s.write(6, "journald ready");
                    return j;
                } catch (IOException e) {
                    // not accepting yet
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("systemd-journald " + ns + " exited with " + p.exitValue());
            }
            Thread.sleep(20);
        }
        j.close();
        throw new IllegalStateException("systemd-journald " + ns + " did not start");
    }

    public String namespace() {
        return namespace;
    }

    private Path stdoutSocket() {
        return Path.of("/run/systemd/journal." + namespace, "stdout");
    }

    /** A stream of messages from one identifier. */
    public Stream stream(String identifier, int defaultPriority) throws IOException {
        return new Stream(stdoutSocket(), identifier, defaultPriority);
    }

    /** journald's stdout stream: a header, then one line per entry, each with a {@code <N>} priority prefix. */
    public static final class Stream implements AutoCloseable {
        private final SocketChannel channel;

        Stream(Path socket, String identifier, int defaultPriority) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            send(identifier + "\n\n" + defaultPriority + "\n1\n0\n0\n0\n");
        }

        public synchronized void write(int priority, String message) throws IOException {
            send("<" + priority + ">" + message.replace('\n', ' ') + "\n");
        }

        private void send(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Entries in the namespace whose MESSAGE starts with {@code prefix} (read with journalctl, not by Eyes). */
    public List<String> messages(String identifier) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("journalctl", "--namespace=" + namespace, "-o", "cat", "--no-pager",
                "SYSLOG_IDENTIFIER=" + identifier).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(conf);
        String machineId = Files.readString(Path.of("/etc/machine-id")).trim();
        for (Path dir : List.of(Path.of("/run/log/journal", machineId + "." + namespace),
                Path.of("/var/log/journal", machineId + "." + namespace), Path.of("/run/systemd/journal." + namespace))) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
