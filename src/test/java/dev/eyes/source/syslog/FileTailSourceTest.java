package dev.eyes.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.LoggingConfig;
import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.source.EventSink;
import dev.eyes.source.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailSourceTest {
    static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    static final class Sink implements EventSink {
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
        }

        List<String> messages() {
            return events.stream().map(LogEvent::message).toList();
        }
    }

    static void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void await(Supplier<Boolean> c, Supplier<?> what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (c.get()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timed out: " + what.get());
    }

    FileTailSource tail(Path f, String saved) {
        return new FileTailSource(f, LogFormat.PLAIN, LoggingConfig.defaults(), saved, POLL);
    }

    @Test
    void firstStartBeginsAtTheEndAndHoldsBackAHalfWrittenLine() throws Exception {
        Path f = dir.resolve("app.log");
        append(f, "old line\n");
        Sink sink = new Sink();
        FileTailSource s = tail(f, null);
        s.start(sink);
        try {
            Thread.sleep(100);
            append(f, "first\nsecond half");
            await(() -> sink.events.size() == 1, sink::messages);
            Thread.sleep(100);
            assertThat(sink.messages()).containsExactly("first");
            append(f, " written\n");
            await(() -> sink.events.size() == 2, sink::messages);
            assertThat(sink.messages()).containsExactly("first", "second half written");
            assertThat(sink.events.getFirst().process()).isEqualTo("app.log");
            assertThat(sink.checkpoints.getLast().position()).endsWith("|" + Files.size(f));
        } finally {
            s.stop();
        }
    }

    @Test
    void followsRenameRotationReadingTheOldFileToItsEnd() throws Exception {
        Path f = dir.resolve("syslog");
        append(f, "");
        Sink sink = new Sink();
        FileTailSource s = tail(f, null);
        s.start(sink);
        try {
            Thread.sleep(100);
            append(f, "a\n");
            await(() -> sink.events.size() == 1, sink::messages);
            Files.move(f, dir.resolve("syslog.1"));
            append(dir.resolve("syslog.1"), "b (written to the old file after the rename)\n");
            append(f, "c\n");
            await(() -> sink.events.size() == 3, sink::messages);
            assertThat(sink.messages()).containsExactly("a", "b (written to the old file after the rename)", "c");
        } finally {
            s.stop();
        }
    }

    @Test
    void followsCopyTruncate() throws Exception {
        Path f = dir.resolve("app.log");
        append(f, "");
        Sink sink = new Sink();
        FileTailSource s = tail(f, null);
        s.start(sink);
        try {
            Thread.sleep(100);
            append(f, "one\ntwo\n");
            await(() -> sink.events.size() == 2, sink::messages);
            Files.copy(f, dir.resolve("app.log.1"));
            Files.writeString(f, ""); // truncate in place
            Thread.sleep(100);
            append(f, "three\n");
            await(() -> sink.events.size() == 3, sink::messages);
            assertThat(sink.messages()).containsExactly("one", "two", "three");
        } finally {
            s.stop();
        }
    }

    @Test
    void waitsForAMissingFileThenReadsItFromTheStart() throws Exception {
        Path f = dir.resolve("later.log");
        Sink sink = new Sink();
        FileTailSource s = tail(f, null);
        s.start(sink);
        try {
            Thread.sleep(100);
            assertThat(s.status().reason()).contains("waiting for");
            append(f, "hello\n");
            await(() -> sink.events.size() == 1, sink::messages);
            assertThat(sink.messages()).containsExactly("hello");
        } finally {
            s.stop();
        }
    }

    @Test
    void resumesFromASavedPositionAndStartsOverOnANewFile() throws Exception {
        Path f = dir.resolve("app.log");
        append(f, "one\ntwo\n");
        Sink first = new Sink();
        FileTailSource s = tail(f, null);
        s.start(first);
        Thread.sleep(100);
        append(f, "three\n");
        await(() -> first.events.size() == 1, first::messages);
        s.stop();
        String saved = first.checkpoints.getLast().position();
        append(f, "four (while stopped)\n");

        Sink second = new Sink();
        FileTailSource resumed = tail(f, saved);
        resumed.start(second);
        try {
            await(() -> second.events.size() == 1, second::messages);
            Thread.sleep(100);
            assertThat(second.messages()).containsExactly("four (while stopped)");
        } finally {
            resumed.stop();
        }

        // rotated while Eyes was down: the new file is read from its start
        Files.move(f, dir.resolve("app.log.1"));
        append(f, "five\n");
        Sink third = new Sink();
        FileTailSource afterRotation = tail(f, second.checkpoints.getLast().position());
        afterRotation.start(third);
        try {
            await(() -> third.events.size() == 1, third::messages);
            assertThat(third.messages()).containsExactly("five");
        } finally {
            afterRotation.stop();
        }
    }

    @Test
    void syslogFilesAreDecodedAsSyslog() throws Exception {
        Path f = dir.resolve("syslog");
        append(f, "");
        Sink sink = new Sink();
        FileTailSource s = new FileTailSource(f, LogFormat.SYSLOG, LoggingConfig.defaults(), null, POLL);
        s.start(sink);
        try {
            Thread.sleep(100);
            append(f, "Jun  1 09:00:00 host sshd[77]: error: kex_exchange_identification: Connection closed\n");
            await(() -> sink.events.size() == 1, sink::messages);
            LogEvent e = sink.events.getFirst();
            assertThat(e.process()).isEqualTo("sshd");
            assertThat(e.processId()).isEqualTo(77);
            assertThat(e.messageType().isErrorOrFault()).isTrue();
        } finally {
            s.stop();
        }
    }
}
