package dev.eyes.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes real journal files: a long-running {@code systemd-journal-remote -o FILE -} fed entries in the journal
 * export format on its stdin. {@code journalctl -D DIR -f} follows the file as it grows. Entries carry the current
 * boot id (journalctl -f limits itself to the current boot unless -m is given).
 */
public final class JournalWriter implements AutoCloseable {
    public static final Path BINARY = Path.of("/lib/systemd/systemd-journal-remote");

    private final Process process;
    private final OutputStream stdin;
    private final String bootId;

    public JournalWriter(Path directory) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: bin/test installs systemd-journal-remote");
        }
        Files.createDirectories(directory);
        this.bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim().replace("-", "");
        this.process = new ProcessBuilder(List.of(BINARY.toString(), "-o",
                directory.resolve("remote.journal").toString(), "-"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        this.stdin = process.getOutputStream();
    }

    /** Appends one entry; {@code priority} 0..7. */
    public synchronized void write(int priority, String identifier, long pid, String message) throws IOException {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder b = new StringBuilder();
        b.append("__REALTIME_TIMESTAMP=").append(micros).append('\n');
        b.append("_BOOT_ID=").append(bootId).append('\n');
        b.append("PRIORITY=").append(priority).append('\n');
        b.append("SYSLOG_IDENTIFIER=").append(identifier).append('\n');
        b.append("_PID=").append(pid).append('\n');
        if (message.indexOf('\n') >= 0) {
            // binary-safe field: name, newline, 64-bit little-endian length, data
            byte[] data = message.getBytes(StandardCharsets.UTF_8);
            stdin.write(b.toString().getBytes(StandardCharsets.UTF_8));
            stdin.write("MESSAGE\n".getBytes(StandardCharsets.UTF_8));
            long n = data.length;
            for (int i = 0; i < 8; i++) {
                stdin.write((int) (n >>> (8 * i)) & 0xff);
            }
            stdin.write(data);
            stdin.write("\n\n".getBytes(StandardCharsets.UTF_8));
        } else {
            b.append("MESSAGE=").append(message).append("\n\n");
            stdin.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        stdin.flush();
    }

    /** Closes stdin and waits for the file to be complete. */
    @Override
    public void close() throws IOException {
        try {
            stdin.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Writes entries and closes: a short-lived writer for seeding a directory. */
    public static void seed(Path directory, int priority, String identifier, String... messages) throws IOException {
        try (JournalWriter w = new JournalWriter(directory)) {
            for (String m : messages) {
                w.write(priority, identifier, 1, m);
            }
        }
    }
}
