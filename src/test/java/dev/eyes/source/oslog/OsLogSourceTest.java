package dev.eyes.source.oslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.EventSink;
import dev.eyes.source.RestartPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log-stream source against a stand-in {@code log} that, like older macOS, refuses {@code --style ndjson}. */
class OsLogSourceTest {

    @Test
    void fallsBackToJsonStyleAndDecodesTheStreamedArray(@TempDir Path tmp) throws Exception {
        Path args = tmp.resolve("args");
        Path log = tmp.resolve("log");
        Files.writeString(log, """
                #!/bin/sh
                echo "$@" >> %s
                case "$*" in
                  *ndjson*) echo "log: Invalid value 'ndjson' for --style" >&2; exit 64 ;;
                esac
                echo 'Filtering the log data using "messageType == error OR messageType == fault"'
                echo '[{'
                echo '  "timestamp" : "2024-12-09 10:30:45.123456-0800",'
                echo '  "messageType" : "Error",'
                echo '  "processImagePath" : "\\/usr\\/sbin\\/bluetoothd",'
                echo '  "processID" : 123,'
                echo '  "subsystem" : "com.apple.bluetooth",'
                echo '  "category" : "Server",'
                echo '  "eventMessage" : "connection failed"'
                echo '},{'
                echo '  "timestamp" : "2024-12-09 10:30:46.000001-0800",'
                echo '  "messageType" : "Fault",'
                echo '  "process" : "kernel",'
                echo '  "processID" : 0,'
                echo '  "eventMessage" : "panic(cpu 0 caller 0x1)"'
                echo '}'
                sleep 30
                """.formatted(args));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Event> got = new CopyOnWriteArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public boolean put(Event event, Checkpoint checkpoint) {
                assertThat(checkpoint).as("log stream has no resume position").isNull();
                got.add(event);
                return true;
            }

            @Override
            public void offerSample(Event event) {
                throw new AssertionError("a log source hands over log events only");
            }
        };
        OsLogSource source = new OsLogSource(log.toString(), "messageType == error OR messageType == fault",
                new RestartPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 5, Duration.ofMillis(200),
                        Duration.ofSeconds(30)));
        source.start(sink);
        try {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.size() < 2 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        } finally {
            source.stop();
        }
        assertThat(source.style()).isEqualTo("json");
        assertThat(Files.readAllLines(args)).first().asString()
                .isEqualTo("stream --style ndjson --predicate messageType == error OR messageType == fault");
        assertThat(Files.readAllLines(args)).last().asString().startsWith("stream --style json --predicate");
        assertThat(got).hasSize(2);
        LogEvent first = (LogEvent) got.get(0);
        assertThat(first.process()).isEqualTo("bluetoothd");
        assertThat(first.messageType()).isEqualTo(MessageType.ERROR);
        assertThat(first.subsystem()).isEqualTo("com.apple.bluetooth");
        assertThat(((LogEvent) got.get(1)).messageType()).isEqualTo(MessageType.FAULT);
        assertThat(source.decoder().counters().skipped()).isZero();
    }
}
