package dev.eyes.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one long-lived subprocess ({@code journalctl -f}, {@code log stream}, {@code iostat} …) and keeps it
 * running. The command is an argument list, never a shell string, and is asked for anew at every start (so a
 * restart can resume from a cursor). stdout is read line by line on a virtual thread; stderr is drained into
 * the log so the child never blocks on a full pipe. When the child ends it is restarted as
 * {@link RestartPolicy} says. {@link #stop()} kills the child (and its descendants) and returns promptly;
 * no zombie is left behind.
 */
public final class ProcessSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSupervisor.class);
    private static final int STDERR_LINES_PER_RUN = 20;

    private final String name;
    private final Supplier<List<String>> command;
    private final LineReader.Handler handler;
    private final RestartPolicy policy;
    private final int maxLine;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile Process process;
    private volatile Thread thread;
    private volatile SourceStatus status;
    private volatile long linesThisRun;
    private volatile boolean restartRequested;

    public ProcessSupervisor(String name, Supplier<List<String>> command, LineReader.Handler handler,
                             RestartPolicy policy, int maxLine) {
        this.name = name;
        this.command = command;
        this.handler = handler;
        this.policy = policy;
        this.maxLine = maxLine;
        this.status = new SourceStatus(name, SourceStatus.State.STARTING, "", 0, Instant.now());
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Thread.ofVirtual().name("eyes-" + name).start(this::loop);
    }

    /** Kills the child and waits (up to 3 s) for the reader to end. Idempotent. */
    public void stop() {
        stopped.countDown();
        Process p = process;
        if (p != null) {
            kill(p);
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                if (!t.join(Duration.ofSeconds(3))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        setStatus(SourceStatus.State.STOPPED, "");
    }

    public SourceStatus status() {
        return status;
    }

    /**
     * Ends the running child on purpose so that it starts again at once with a fresh command (e.g. a new sampling
     * interval on its command line). Not a failure: no backoff, not counted as a restart. Returns promptly.
     */
    public void restart(String why) {
        if (isStopped()) {
            return;
        }
        Process p = process;
        restartRequested = true;
        if (p != null && p.isAlive()) {
            LOG.info("{}: restarting {} ({})", name, p.info().command().orElse("its command"), why);
            kill(p);
        }
    }

    /** PID of the running child, or -1. For tests and diagnostics. */
    public long childPid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void loop() {
        int failures = 0;
        while (!isStopped()) {
            restartRequested = false;
            List<String> cmd = command.get();
            Instant started = Instant.now();
            linesThisRun = 0;
            String failure;
            try {
                failure = runOnce(cmd);
            } catch (InterruptedException e) {
                break;
            }
            if (isStopped()) {
                break;
            }
            if (restartRequested) {
                continue; // ended on purpose by restart(): start again at once
            }
            boolean healthy = linesThisRun > 0
                    || Duration.between(started, Instant.now()).compareTo(policy.healthyAfter()) >= 0;
            failures = healthy ? 1 : failures + 1;
            Duration delay = policy.delayAfter(failures);
            restarts.incrementAndGet();
            if (failures >= policy.failuresBeforePause()) {
                LOG.warn("{}: {} failed {} times in a row ({}); waiting {} s before trying again", name,
                        cmd.getFirst(), failures, failure, delay.toSeconds());
                setStatus(SourceStatus.State.DEGRADED, failure + "; retrying in " + delay.toSeconds() + " s");
                failures = 0;
            } else {
                LOG.info("{}: {}; restarting in {} ms", name, failure, delay.toMillis());
                setStatus(SourceStatus.State.DEGRADED, failure);
            }
            try {
                if (stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        Process p = process;
        if (p != null) {
            kill(p);
        }
    }

    /** Runs the child until its stdout ends; returns why it ended. */
    private String runOnce(List<String> cmd) throws InterruptedException {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            p = pb.start();
        } catch (IOException e) {
            return "cannot start " + cmd.getFirst() + ": " + e.getMessage();
        }
        process = p;
        if (isStopped()) {
            kill(p);
            return "stopped";
        }
        setStatus(SourceStatus.State.RUNNING, "");
        Thread drain = Thread.ofVirtual().name("eyes-" + name + "-stderr").start(() -> drainStderr(p));
        LineReader reader = new LineReader(p.getInputStream(), maxLine);
        try {
            LOG.debug("{}: started {} (pid {})", name, cmd, p.pid());
            reader.readAll((buf, len, truncated, consumed) -> {
                linesThisRun++;
                handler.onLine(buf, len, truncated, consumed);
            }, true);
        } catch (IOException e) {
            if (!isStopped()) {
                LOG.debug("{}: reading stdout failed: {}", name, e.getMessage());
            }
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        int code;
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                kill(p);
            }
            code = p.waitFor();
        } finally {
            drain.join(Duration.ofSeconds(1));
        }
        LOG.debug("{}: pid {} ended with status {} after {} lines", name, p.pid(), code, linesThisRun);
        return cmd.getFirst() + " exited with status " + code;
    }

    private void drainStderr(Process p) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = err.readLine()) != null) {
                if (++n <= STDERR_LINES_PER_RUN) {
                    LOG.warn("{}: {}", name, line.length() > 500 ? line.substring(0, 500) + "…" : line);
                } else if (n == STDERR_LINES_PER_RUN + 1) {
                    LOG.warn("{}: more stderr output follows; not logged", name);
                }
            }
        } catch (IOException e) {
            LOG.trace("{}: stderr closed: {}", name, e.getMessage());
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        closeQuietly(p.getInputStream());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void setStatus(SourceStatus.State state, String reason) {
        status = new SourceStatus(name, state, reason, restarts.get(), Instant.now());
    }
}
