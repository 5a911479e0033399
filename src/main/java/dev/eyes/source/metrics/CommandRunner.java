package dev.eyes.source.metrics;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived command ({@code sysctl -n …}, {@code vm_stat}, {@code nvidia-smi} once) as an argument list,
 * never through a shell, with a timeout and a bound on the output it keeps. Injected so tests can answer with
 * captured output.
 */
@FunctionalInterface
public interface CommandRunner {
    /** What a command did. {@code exitCode} is -1 when it could not be started or timed out ({@code error} says which). */
    record Result(int exitCode, String stdout, String stderr, String error) {
        public boolean ok() {
            return exitCode == 0 && error == null;
        }

        /** A one-line reason for a failure, for logs and {@code eyes sample}. */
        public String describe(String command) {
            if (error != null) {
                return error;
            }
            String err = stderr == null ? "" : stderr.strip();
            int nl = err.indexOf('\n');
            if (nl >= 0) {
                err = err.substring(0, nl);
            }
            return command + " exited with status " + exitCode + (err.isEmpty() ? "" : ": " + err);
        }
    }

    Result run(List<String> command, Duration timeout);

    /** Output kept per stream; anything longer is cut. */
    int MAX_OUTPUT = 8 << 20;

    /** The real thing: {@link ProcessBuilder}, stdin from /dev/null, stderr read on a virtual thread. */
    CommandRunner SYSTEM = (command, timeout) -> {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(-1, "", "", "cannot run " + command.getFirst() + ": " + e.getMessage());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
                return new Result(-1, "", "", command.getFirst() + " did not finish within " + timeout.toMillis()
                        + " ms");
            }
            reader.join(Duration.ofSeconds(2));
            drain.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "", "", "interrupted");
        }
        synchronized (out) {
            synchronized (err) {
                return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8), null);
            }
        }
    };

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        byte[] buf = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (to) {
                    if (to.size() < MAX_OUTPUT) {
                        to.write(buf, 0, Math.min(n, MAX_OUTPUT - to.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the child closed its end
        }
    }
}
