package dev.eyes.source.journald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.source.EventSink;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.SourceStatus;
import dev.eyes.testing.JournalWriter;
import dev.eyes.testing.TestJournald;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journald source against real journal files written by systemd-journal-remote and followed by journalctl. */
class JournaldSourceTest {
    static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(20), Duration.ofMillis(200), 5,
            Duration.ofMillis(500), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    static final class RecordingSink implements EventSink {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();
        final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();

        @Override
        public boolean put(Event event, Checkpoint checkpoint) {
            events.add((LogEvent) event);
            checkpoints.add(checkpoint);
            return true;
        }

        @Override
        public void offerSample(Event event) {
            throw new AssertionError("a log source must not offer samples");
        }
    }

    static void await(Supplier<Boolean> condition, Duration timeout, Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out: " + what.get());
    }

    JournaldSource namespaced(TestJournald journald, String savedCursor) {
        return new JournaldSource("journalctl", "err", null, journald.namespace(), savedCursor, FAST);
    }

    @Test
    void firstStartBeginsAtTheEndAndFiltersByPriority() throws Exception {
        try (TestJournald journald = TestJournald.start();
             TestJournald.Stream old = journald.stream("old", 3)) {
            writeBeforeTheStart(journald, old);
            RecordingSink sink = new RecordingSink();
            JournaldSource s = namespaced(journald, null);
            s.start(sink);
            try (TestJournald.Stream app = journald.stream("app", 6)) {
                await(() -> s.childPid() > 0, Duration.ofSeconds(10), () -> "running");
                Thread.sleep(300); // let journalctl settle on the tail
                app.write(6, "info is filtered by -p err");
                app.write(3, "new error");
                app.write(2, "new critical");
                await(() -> sink.events.size() >= 2, Duration.ofSeconds(10), () -> "events: " + sink.events);
                Thread.sleep(300);
                assertThat(sink.events).extracting(LogEvent::message).containsExactly("new error", "new critical");
                assertThat(sink.events).extracting(LogEvent::process).containsOnly("app");
                assertThat(sink.events.getFirst().messageType()).isEqualTo(dev.eyes.event.MessageType.ERROR);
                assertThat(sink.events.get(1).messageType()).isEqualTo(dev.eyes.event.MessageType.FAULT);
                assertThat(sink.checkpoints).allSatisfy(c -> {
                    assertThat(c.sourceId()).isEqualTo("journald");
                    assertThat(c.position()).startsWith("s=");
                });
            } finally {
                s.stop();
            }
            assertThat(s.status().state()).isEqualTo(SourceStatus.State.STOPPED);
        }
    }

    /** The end of the journal is fixed when start() returns: an entry written right after it is not skipped. */
    @Test
    void anEntryWrittenAsSoonAsAFirstStartReturnsIsRead() throws Exception {
        try (TestJournald journald = TestJournald.start();
             TestJournald.Stream old = journald.stream("old", 3)) {
            writeBeforeTheStart(journald, old);
            RecordingSink sink = new RecordingSink();
            JournaldSource s = namespaced(journald, null);
            try (TestJournald.Stream app = journald.stream("app", 3)) {
                s.start(sink);
                app.write(3, "right after the start");
                await(() -> sink.events.size() >= 1, Duration.ofSeconds(10), () -> "events: " + sink.events);
                Thread.sleep(300);
                assertThat(sink.events).extracting(LogEvent::message).containsExactly("right after the start");
            } finally {
                s.stop();
            }
        }
    }

    /** An error already in the journal when the source first starts: it must not be read. */
    private static void writeBeforeTheStart(TestJournald journald, TestJournald.Stream old) throws Exception {
        old.write(3, "written before Eyes started");
        await(() -> messages(journald, "old").size() == 1, Duration.ofSeconds(5), () -> "old entry stored");
    }

    private static List<String> messages(TestJournald j, String identifier) {
        try {
            return j.messages(identifier);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A journal directory written by systemd-journal-remote, read with -D, resuming after a saved cursor. */
    @Test
    void resumesAfterASavedCursorInAJournalDirectory() throws Exception {
        JournalWriter.seed(dir, 3, "app", "one", "two", "three");
        JournaldDecoder d = new JournaldDecoder();
        Process p = new ProcessBuilder("journalctl", "-D", dir.toString(), "-o", "json", "--no-pager").start();
        String[] cursorOfOne = new String[1];
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            byte[] b = line.getBytes();
            d.feedLine(b, 0, b.length, false, (e, c) -> {
                if (e.message().equals("one")) {
                    cursorOfOne[0] = c;
                }
            });
        }
        assertThat(cursorOfOne[0]).isNotNull();
        RecordingSink sink = new RecordingSink();
        JournaldSource s = new JournaldSource("journalctl", "err", dir.toString(), null, cursorOfOne[0], FAST);
        s.start(sink);
        try {
            await(() -> sink.events.size() >= 2, Duration.ofSeconds(10), () -> "events: " + sink.events);
            Thread.sleep(300);
            assertThat(sink.events).extracting(LogEvent::message).containsExactly("two", "three");
        } finally {
            s.stop();
        }
    }

    /** Kill the journalctl child 20 times while 1,000 numbered entries are written: each arrives exactly once. */
    @Test
    void killingJournalctlLosesAndRepeatsNothing() throws Exception {
        int total = 1000;
        int wantedKills = 20;
        RecordingSink sink = new RecordingSink();
        java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (TestJournald journald = TestJournald.start();
             TestJournald.Stream w = journald.stream("numbered", 3)) {
            JournaldSource s = namespaced(journald, null);
            s.start(sink);
            try {
                await(() -> s.childPid() > 0, Duration.ofSeconds(10), () -> "journalctl started");
                Thread.sleep(300);
                // the killer: 20 kills at random moments while the writer is busy
                Thread killer = Thread.ofPlatform().start(() -> {
                    Random rnd = new Random(11);
                    try {
                        while (kills.get() < wantedKills && writing.get()) {
                            Thread.sleep(40 + rnd.nextInt(120));
                            long pid = s.childPid();
                            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                                kills.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Random rnd = new Random(7);
                for (int i = 0; i < total; i++) {
                    w.write(3, "entry " + i);
                    // keep writing, slowly, until all kills happened: the kills must land while entries flow
                    Thread.sleep(kills.get() < wantedKills ? 2 + rnd.nextInt(6) : rnd.nextInt(2));
                }
                writing.set(false);
                killer.join();
                await(() -> count(sink, "numbered") >= total, Duration.ofSeconds(30),
                        () -> count(sink, "numbered") + " of " + total + " arrived after " + s.status().restarts()
                                + " restarts; missing: " + missing(sink, total));
                Thread.sleep(500); // anything more now would be a duplicate
            } finally {
                s.stop();
            }
            assertThat(kills.get()).as("kills while writing").isEqualTo(wantedKills);
            assertThat(s.status().restarts()).isGreaterThanOrEqualTo(wantedKills);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (LogEvent e : sink.events) {
            if (e.process().equals("numbered")) {
                seen.merge(e.message(), 1, Integer::sum);
            }
        }
        for (int i = 0; i < total; i++) {
            assertThat(seen.get("entry " + i)).as("entry %d", i).isEqualTo(1);
        }
        assertThat(seen).hasSize(total);
    }

    /**
     * A journalctl killed in the middle of a line (outside a string, so the JSON framer would wait for the object
     * to close) must not swallow what the next run prints: its entry is read again, whole, from the resume cursor.
     */
    @Test
    void aLineCutOffByADyingJournalctlDoesNotSwallowTheNextRun() throws Exception {
        Path fake = dir.resolve("journalctl");
        java.nio.file.Files.writeString(fake, """
                #!/bin/sh
                entry() { printf '{"__CURSOR":"%s","__REALTIME_TIMESTAMP":"1700000000000000","PRIORITY":"3","SYSLOG_IDENTIFIER":"app","MESSAGE":"%s"}\\n' "$1" "$2"; }
                case "$*" in
                  *--cursor=c0*)
                    entry c0 zero; entry c1 one
                    printf '{"__CURSOR":"c2","__REALTIME_TIMESTAMP":"1700000000000000",'
                    exit 1 ;;
                  *--cursor=c1*)
                    entry c1 one; entry c2 two; entry c3 three
                    exec sleep 30 ;;
                esac
                exit 2
                """);
        java.nio.file.Files.setPosixFilePermissions(fake,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        RecordingSink sink = new RecordingSink();
        JournaldSource s = new JournaldSource(fake.toString(), "err", null, null, "c0", FAST);
        s.start(sink);
        try {
            await(() -> sink.events.size() >= 3, Duration.ofSeconds(10), () -> "events: " + sink.events);
            Thread.sleep(200);
        } finally {
            s.stop();
        }
        assertThat(sink.events).extracting(LogEvent::message).containsExactly("one", "two", "three");
        assertThat(sink.checkpoints).extracting(Checkpoint::position).containsExactly("c1", "c2", "c3");
        assertThat(s.decoder().counters().skipped()).as("the cut-off line").isEqualTo(1);
    }

    private static List<Integer> missing(RecordingSink sink, int total) {
        java.util.Set<String> got = new java.util.HashSet<>();
        sink.events.forEach(e -> got.add(e.message()));
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < total && out.size() < 20; i++) {
            if (!got.contains("entry " + i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static long count(RecordingSink sink, String process) {
        return sink.events.stream().filter(e -> e.process().equals(process)).count();
    }
}
