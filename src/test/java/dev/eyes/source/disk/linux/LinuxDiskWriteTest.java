package dev.eyes.source.disk.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.Checkpoint;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.source.EventSink;
import dev.eyes.source.SourceStatus;
import dev.eyes.testing.BlockDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real writes with {@code dd oflag=direct} show up as write KB/s on the disk that holds the file. */
class LinuxDiskWriteTest {
    private static final int MIB = 96;

    @Test
    void directWritesRaiseWriteRateOnTheRightDevice() throws Exception {
        Path dir = BlockDevices.scratchOnDisk();
        String device = BlockDevices.diskOf(dir).orElseThrow(() -> new AssertionError(dir + " is on no disk"));
        Path file = Files.createTempFile(dir, "eyes-dd", ".bin");
        List<DiskEvent> seen = new CopyOnWriteArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public boolean put(Event event, Checkpoint checkpoint) {
                return true;
            }

            @Override
            public void offerSample(Event event) {
                seen.add((DiskEvent) event);
            }
        };
        MetricsConfig cfg = new MetricsConfig(1, true, true, 10, 40, List.of("loop*", "ram*", "zram*"), 5);
        LinuxDiskSource source = LinuxDiskSource.forHost(cfg);
        source.start(sink);
        try {
            await(() -> seen.stream().anyMatch(e -> e.diskName().equals(device)), Duration.ofSeconds(5));
            assertThat(source.status().state()).isEqualTo(SourceStatus.State.RUNNING);
            int before = seen.size();
            Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=" + MIB,
                    "oflag=direct", "conv=fsync").redirectErrorStream(true).start();
            dd.getInputStream().readAllBytes();
            assertThat(dd.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dd.exitValue()).isZero();
            int afterDd = seen.size();
            // two more samples after dd ended, so the interval that holds the writes has been reported
            await(() -> seen.stream().skip(afterDd).filter(e -> e.diskName().equals(device)).count() >= 2,
                    Duration.ofSeconds(6));
            List<DiskEvent> during = seen.subList(before, seen.size()).stream()
                    .filter(e -> e.diskName().equals(device)).toList();
            double writtenKb = during.stream().mapToDouble(DiskEvent::writeKbPerSec).sum(); // 1 s samples
            double peak = during.stream().mapToDouble(DiskEvent::writeKbPerSec).max().orElse(0);
            assertThat(writtenKb).as("KB written on %s while dd wrote %d MiB: %s", device, MIB, during)
                    .isGreaterThan(MIB * 1024 * 0.8);
            assertThat(peak).isGreaterThan(MIB * 1024 * 0.3);
            assertThat(during).allSatisfy(e -> assertThat(e.writeOpsPerSec()).isNotNegative());
            assertThat(seen).noneMatch(e -> e.diskName().startsWith("loop") || e.diskName().startsWith("zram"));
        } finally {
            source.stop();
            Files.deleteIfExists(file);
        }
        assertThat(source.status().state()).isEqualTo(SourceStatus.State.STOPPED);
    }

    private static void await(java.util.function.BooleanSupplier done, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + max);
            }
            Thread.sleep(50);
        }
    }
}
