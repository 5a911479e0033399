package dev.eyes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (small shell scripts standing in for journalctl, log stream …). */
class ProcessSupervisorTest {
    static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(10), Duration.ofMillis(80), 3,
            Duration.ofMillis(300), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    static void await(Supplier<Boolean> c, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (c.get()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timed out: " + what);
    }

    @Test
    void readsLinesAndRestartsWithAFreshCommand() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicInteger starts = new AtomicInteger();
        ProcessSupervisor s = new ProcessSupervisor("test", () -> List.of("/bin/sh", "-c",
                "echo run " + starts.incrementAndGet() + "; echo second; exit 3"),
                (buf, len, truncated, consumed) -> lines.add(new String(buf, 0, len, StandardCharsets.UTF_8)),
                FAST, 1024);
        s.start();
        try {
            await(() -> lines.size() >= 6, "three runs");
        } finally {
            s.stop();
        }
        assertThat(lines.subList(0, 6)).containsExactly("run 1", "second", "run 2", "second", "run 3", "second");
        assertThat(s.status().restarts()).isGreaterThanOrEqualTo(2);
    }

    /** A restart on purpose (a sampling tool's new interval): at once, with the new command, not a failure. */
    @Test
    void restartOnPurposeStartsTheNewCommandAtOnceWithoutCountingAFailure() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<String> interval = new java.util.concurrent.atomic.AtomicReference<>("5");
        RestartPolicy slow = new RestartPolicy(Duration.ofSeconds(30), Duration.ofSeconds(60), 3,
                Duration.ofSeconds(60), Duration.ofSeconds(30)); // a failure would wait 30 s
        ProcessSupervisor s = new ProcessSupervisor("sampler", () -> List.of("/bin/sh", "-c",
                "echo every " + interval.get() + "; exec sleep 60"),
                (buf, len, truncated, consumed) -> lines.add(new String(buf, 0, len, StandardCharsets.UTF_8)),
                slow, 1024);
        s.start();
        try {
            await(() -> lines.contains("every 5") && s.childPid() > 0, "first run");
            long first = s.childPid();
            interval.set("7.5");
            long t0 = System.nanoTime();
            s.restart("sampling interval now 7.5 s");
            await(() -> lines.contains("every 7.5"), "second run");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            await(() -> s.childPid() > 0 && s.childPid() != first, "new child");
            assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(s.status().restarts()).isZero();
            assertThat(s.status().state()).isEqualTo(SourceStatus.State.RUNNING);
        } finally {
            s.stop();
        }
    }

    @Test
    void aChildThatKeepsFailingBacksOffAndIsReportedDegraded() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        ProcessSupervisor s = new ProcessSupervisor("failing", () -> {
            starts.incrementAndGet();
            return List.of("/bin/sh", "-c", "exit 1");
        }, (buf, len, t, c) -> { }, FAST, 1024);
        long t0 = System.nanoTime();
        s.start();
        try {
            await(() -> starts.get() >= 4, "four starts");
            // 3 failures: 10 + 20 ms, then the pause of 300 ms before the 4th start
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(s.status().state()).isIn(SourceStatus.State.DEGRADED, SourceStatus.State.RUNNING);
            assertThat(s.status().restarts()).isGreaterThanOrEqualTo(3);
        } finally {
            s.stop();
        }
    }

    @Test
    void backoffDoublesToItsCapThenPauses() {
        RestartPolicy p = RestartPolicy.DEFAULT;
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.delayAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(p.delayAfter(5)).isEqualTo(Duration.ofSeconds(60)); // 5 failures in a row: the long pause
        RestartPolicy capped = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 10,
                Duration.ofSeconds(60), Duration.ofSeconds(30));
        assertThat(capped.delayAfter(4)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aMissingBinaryIsAFailureNotACrash() throws Exception {
        ProcessSupervisor s = new ProcessSupervisor("missing", () -> List.of(dir.resolve("no-such-tool").toString()),
                (buf, len, t, c) -> { }, FAST, 1024);
        s.start();
        try {
            await(() -> s.status().reason().contains("cannot start"), "reported");
            assertThat(s.status().state()).isEqualTo(SourceStatus.State.DEGRADED);
        } finally {
            s.stop();
        }
    }

    @Test
    void stderrIsDrainedSoAChattyChildNeverBlocks() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        // 2 MB on stderr (far beyond a pipe buffer) before the one stdout line
        ProcessSupervisor s = new ProcessSupervisor("chatty", () -> List.of("/bin/sh", "-c",
                "head -c 2000000 /dev/zero | tr '\\\\0' 'x' | fold -w 100 >&2; echo done; sleep 30"),
                (buf, len, t, c) -> lines.add(new String(buf, 0, len, StandardCharsets.UTF_8)), FAST, 1024);
        s.start();
        try {
            await(() -> lines.contains("done"), "stdout after a flood of stderr");
        } finally {
            s.stop();
        }
    }

    @Test
    void stopKillsTheChildAndItsChildrenPromptly() throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        ProcessSupervisor s = new ProcessSupervisor("sleeper", () -> List.of("/bin/sh", "-c",
                "sleep 300 & echo $! > " + pidFile + "; echo started; wait"),
                (buf, len, t, c) -> { }, FAST, 1024);
        s.start();
        await(() -> s.childPid() > 0 && Files.exists(pidFile), "started");
        Thread.sleep(100);
        long child = s.childPid();
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        long t0 = System.nanoTime();
        s.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        await(() -> !ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false), "grandchild gone");
        assertThat(s.status().state()).isEqualTo(SourceStatus.State.STOPPED);
    }

    @Test
    void overlongLinesAreCutAndFlagged() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<Boolean> flags = new CopyOnWriteArrayList<>();
        ProcessSupervisor s = new ProcessSupervisor("long", () -> List.of("/bin/sh", "-c",
                "head -c 5000 /dev/zero | tr '\\\\0' 'y'; echo; echo short; sleep 30"),
                (buf, len, t, c) -> {
                    lines.add(new String(buf, 0, len, StandardCharsets.UTF_8));
                    flags.add(t);
                }, FAST, 1000);
        s.start();
        try {
            await(() -> lines.size() >= 2, "two lines");
        } finally {
            s.stop();
        }
        assertThat(lines.getFirst()).hasSize(1000);
        assertThat(flags.getFirst()).isTrue();
        assertThat(lines.get(1)).isEqualTo("short");
        assertThat(flags.get(1)).isFalse();
    }
}
