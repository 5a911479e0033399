package dev.eyes.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.LoggingConfig;
import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.source.EventSink;
import dev.eyes.source.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle file tailers sleep until inotify reports a change: with a fallback poll of a minute, a new line, a rotated
 * file and a file that appears late are all read within a second or two.
 */
class FileWatcherTest {
    static final Duration FALLBACK = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    final List<String> lines = new CopyOnWriteArrayList<>();

    FileTailSource tail(Path f) {
        FileTailSource s = new FileTailSource(f, LogFormat.PLAIN, LoggingConfig.defaults(), null, FALLBACK);
        s.start(new EventSink() {
            @Override
            public boolean put(Event event, Checkpoint checkpoint) {
                lines.add(((LogEvent) event).message());
                return true;
            }

            @Override
            public void offerSample(Event event) {
            }
        });
        return s;
    }

    void awaitLines(int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end && lines.size() < n) {
            Thread.sleep(10);
        }
        assertThat(lines).as("read within 5 s although the fallback poll is %s", FALLBACK).hasSize(n);
    }

    @Test
    void newLinesRotationAndLateFilesWakeTheTailer() throws Exception {
        assertThat(FileWatcher.shared()).as("inotify through the JDK's WatchService on Linux").isNotNull();
        Path f = Files.writeString(dir.resolve("app.log"), "old line\n");
        Path late = dir.resolve("late.log");
        FileTailSource s = tail(f);
        FileTailSource l = tail(late);
        try {
            Thread.sleep(300); // both have opened (or are waiting) and sleep now
            Files.writeString(f, "first\n", StandardOpenOption.APPEND);
            awaitLines(1);
            Files.move(f, dir.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(f, "after rotation\n");
            awaitLines(2);
            Files.writeString(late, "late file\n");
            awaitLines(3);
            assertThat(lines).containsExactly("first", "after rotation", "late file");
            assertThat(FileWatcher.shared().watching(f)).isTrue();
        } finally {
            s.stop();
            l.stop();
        }
        assertThat(FileWatcher.shared().watching(f)).isFalse(); // the last tailer of the directory cancelled it
    }
}
