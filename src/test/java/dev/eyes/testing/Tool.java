package dev.eyes.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside program the tests check Eyes' output with (promtool, systemd-analyze, python3's plistlib). A
 * missing program fails the test with the package that provides it (bin/test installs them); it never skips.
 */
public final class Tool {
    /** Exit status and the two output streams. */
    public record Result(int code, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private Tool() {
    }

    /** The executable {@code name}, or an assertion error naming the Debian package. */
    public static Path require(String name, String debianPackage) {
        for (String dir : (System.getenv("PATH") + ":/usr/bin:/bin:/usr/sbin:/sbin").split(":")) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(name + " is not installed: bin/test installs it (Debian package " + debianPackage
                + ")");
    }

    public static Result run(List<String> cmd, String stdin, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the tool closed its input
            }
        });
        byte[][] outs = new byte[2][];
        Thread errReader = Thread.ofVirtual().start(() -> {
            try {
                outs[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                outs[1] = new byte[0];
            }
        });
        outs[0] = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within 60 s");
        }
        feeder.join();
        errReader.join();
        return new Result(p.exitValue(), new String(outs[0], StandardCharsets.UTF_8),
                new String(outs[1], StandardCharsets.UTF_8));
    }

    /** {@code promtool check metrics} on an exposition: exit 0 and no lint output when it is well-formed. */
    public static Result promtoolCheck(String exposition) throws IOException, InterruptedException {
        return run(List.of(require("promtool", "prometheus").toString(), "check", "metrics"), exposition, Map.of());
    }
}
