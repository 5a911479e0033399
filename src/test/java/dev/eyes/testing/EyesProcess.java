package dev.eyes.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code eyes} as a real subprocess: the same JVM binary and classpath as the tests, main class
 * {@code dev.eyes.app.Main}. stdout and stderr are collected line by line.
 */
public final class EyesProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private EyesProcess(Process process) {
        this.process = process;
        this.outReader = Thread.ofVirtual().start(() -> collect(process.inputReader(StandardCharsets.UTF_8), out));
        this.errReader = Thread.ofVirtual().start(() -> collect(process.errorReader(StandardCharsets.UTF_8), err));
    }

    public static EyesProcess start(Map<String, String> env, String... args) throws IOException {
        return start(env, null, args);
    }

    public static EyesProcess start(Map<String, String> env, java.nio.file.Path workDir, String... args)
            throws IOException {
        return start(List.of(), env, workDir, args);
    }

    /** With extra JVM flags (placed before the classpath). */
    public static EyesProcess start(List<String> jvmFlags, Map<String, String> env, java.nio.file.Path workDir,
            String... args) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(1, jvmFlags);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("EYES_CONFIG");
        pb.environment().remove("EYES_LOG");
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        return new EyesProcess(pb.start());
    }

    /** {@code java [flags] -cp <test classpath> dev.eyes.app.Main}. */
    public static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp, "dev.eyes.app.Main");
    }

    private static void collect(BufferedReader r, List<String> into) {
        try (r) {
            String line;
            while ((line = r.readLine()) != null) {
                into.add(line);
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    public long pid() {
        return process.pid();
    }

    public List<String> stdout() {
        return List.copyOf(out);
    }

    public List<String> stderr() {
        return List.copyOf(err);
    }

    /** Waits until a stderr line matches; fails with the collected stderr otherwise. */
    public String awaitStderr(Predicate<String> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < end) {
            List<String> lines = stderr();
            for (int i = seen; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return lines.get(i);
                }
            }
            seen = lines.size();
            if (!process.isAlive() && seen == stderr().size()) {
                throw new AssertionError("eyes exited (" + process.exitValue() + ") before the expected line; stderr:\n"
                        + String.join("\n", stderr()));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for a stderr line; stderr:\n" + String.join("\n", stderr()));
    }

    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        kill.waitFor(5, TimeUnit.SECONDS);
    }

    /** Waits for exit; returns the status or throws when it did not exit in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("eyes did not exit within " + timeout + "; stderr:\n" + String.join("\n", stderr()));
        }
        outReader.join(Duration.ofSeconds(2));
        errReader.join(Duration.ofSeconds(2));
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
