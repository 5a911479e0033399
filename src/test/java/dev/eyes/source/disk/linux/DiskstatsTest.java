package dev.eyes.source.disk.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.DiskEvent;
import dev.eyes.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskstatsTest {
    private static final List<String> DEFAULT_EXCLUDE = List.of("loop*", "ram*", "zram*");

    private static Map<String, Diskstats.Device> byName(Diskstats.Snapshot s) {
        return s.devices().stream().collect(Collectors.toMap(Diskstats.Device::name, Function.identity()));
    }

    @Test
    void mixedFieldCountsOfTheFixture() {
        Diskstats.Snapshot s = Diskstats.parse(Fixtures.text("linux/proc-diskstats/node-exporter-mixed-field-counts.txt"));
        assertThat(s.skipped()).isZero();
        assertThat(s.devices()).hasSize(51);
        Map<String, Diskstats.Device> d = byName(s);
        assertThat(d.get("sda")).isEqualTo(new Diskstats.Device(8, 0, "sda", 25354637, 1003346126, 28444756,
                505697032, 14));
        assertThat(d.get("sdb").fields()).as("4.18+ discard fields").isEqualTo(18);
        assertThat(d.get("sdb").sectorsWritten()).isEqualTo(1972905);
        assertThat(d.get("sdc").fields()).as("5.5+ flush fields").isEqualTo(20);
        assertThat(d.get("sdc").minor()).isEqualTo(32);
        assertThat(d.get("sdc").readsCompleted()).isEqualTo(126552);
        assertThat(d.get("nvme0n1").sectorsRead()).isEqualTo(4643973);
        assertThat(d.get("vda").writesCompleted()).isEqualTo(6038856);
        assertThat(d.get("mmcblk0p2").major()).isEqualTo(179);
        assertThat(d.keySet()).contains("dm-0", "fd0", "sr0", "ram15", "loop7");
    }

    @Test
    void badLinesAreSkippedAndCounted() {
        Diskstats.Snapshot s = Diskstats.parse("""
                   8       0 sda 1 2 3 4 5 6 7 8 9 10 11
                   8       1 sda1 1 2 3
                   x       2 sdb 1 2 3 4 5 6 7 8 9 10 11
                   8       3 sdc 1 2 3 4 5 6 7 8 9 10 -1
                """);
        assertThat(s.devices()).extracting(Diskstats.Device::name).containsExactly("sda");
        assertThat(s.skipped()).isEqualTo(3);
    }

    @Test
    void ratesFromTwoSnapshotsAfterPriming() {
        DiskRates rates = new DiskRates(new DeviceFilter(DEFAULT_EXCLUDE, null));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(rates.update(Diskstats.parse(" 254 0 vda 100 0 1000 0 200 0 4000 0 0 0 0\n"), t0, 0)).isEmpty();
        // 2 s later: +50 reads of 2048 sectors (1 MiB), +10 writes of 8192 sectors (4 MiB)
        List<DiskEvent> e = rates.update(Diskstats.parse(" 254 0 vda 150 0 3048 0 210 0 12192 0 0 0 0\n"),
                t0.plusSeconds(2), 2_000_000_000L);
        assertThat(e).containsExactly(new DiskEvent(t0.plusSeconds(2), 512.0, 2048.0, 25.0, 5.0, "vda", null));
    }

    @Test
    void aCounterThatWentBackIsAResetNotANegativeRate() {
        DiskRates rates = new DiskRates(name -> true);
        rates.update(Diskstats.parse(" 8 0 sda 1000 0 5000 0 1000 0 5000 0 0 0 0\n"), Instant.EPOCH, 0);
        List<DiskEvent> e = rates.update(Diskstats.parse(" 8 0 sda 10 0 50 0 10 0 50 0 0 0 0\n"),
                Instant.EPOCH.plusSeconds(1), 1_000_000_000L);
        assertThat(e).isEmpty();
        assertThat(rates.resets()).isEqualTo(1);
        // and it is primed again from the reset values
        e = rates.update(Diskstats.parse(" 8 0 sda 12 0 54 0 10 0 50 0 0 0 0\n"), Instant.EPOCH.plusSeconds(2),
                2_000_000_000L);
        assertThat(e).singleElement().satisfies(d -> {
            assertThat(d.readKbPerSec()).isEqualTo(2.0);
            assertThat(d.readOpsPerSec()).isEqualTo(2.0);
            assertThat(d.writeKbPerSec()).isZero();
        });
    }

    @Test
    void aReplacedDeviceWithANewMajorMinorIsPrimedAgain() {
        DiskRates rates = new DiskRates(name -> true);
        rates.update(Diskstats.parse(" 8 16 sdb 1 0 1 0 1 0 1 0 0 0 0\n"), Instant.EPOCH, 0);
        assertThat(rates.update(Diskstats.parse(" 8 32 sdb 9 0 9 0 9 0 9 0 0 0 0\n"), Instant.EPOCH.plusSeconds(1),
                1_000_000_000L)).isEmpty();
    }

    @Test
    void excludeGlobsAndPartitions(@TempDir Path sys) throws IOException {
        Path block = Files.createDirectories(sys.resolve("block"));
        for (String disk : List.of("sda", "vda", "nvme0n1", "dm-0", "loop0", "cciss!c0d0")) {
            Files.createDirectory(block.resolve(disk));
        }
        DeviceFilter f = new DeviceFilter(DEFAULT_EXCLUDE, block);
        assertThat(f.test("sda")).isTrue();
        assertThat(f.test("sda1")).as("partition").isFalse();
        assertThat(f.test("nvme0n1")).isTrue();
        assertThat(f.test("nvme0n1p2")).isFalse();
        assertThat(f.test("loop0")).as("excluded by glob").isFalse();
        assertThat(f.test("cciss/c0d0")).isTrue();
        DeviceFilter noSys = new DeviceFilter(DEFAULT_EXCLUDE, sys.resolve("missing"));
        assertThat(noSys.test("sda1")).as("cannot tell partitions apart: keep").isTrue();
        assertThat(noSys.test("ram3")).isFalse();
        assertThat(noSys.test("zram0")).isFalse();
        DeviceFilter custom = new DeviceFilter(List.of("sd[ab]", "nvme?n1", "dm-*"), null);
        assertThat(custom.test("sda")).isFalse();
        assertThat(custom.test("sdc")).isTrue();
        assertThat(custom.test("nvme0n1")).isFalse();
        assertThat(custom.test("dm-3")).isFalse();
        assertThat(DeviceFilter.globPattern("[z-a").matcher("[z-a").matches()).as("a broken class is literal")
                .isTrue();
    }

    @Test
    void fixtureSnapshotsWithTheDefaultFilter() {
        String text = Fixtures.text("linux/proc-diskstats/node-exporter-mixed-field-counts.txt");
        DiskRates rates = new DiskRates(new DeviceFilter(DEFAULT_EXCLUDE, null));
        rates.update(Diskstats.parse(text), Instant.EPOCH, 0);
        List<DiskEvent> e = rates.update(Diskstats.parse(text), Instant.EPOCH.plusSeconds(5), 5_000_000_000L);
        assertThat(e).extracting(DiskEvent::diskName).doesNotContain("ram0", "loop0").contains("sda", "vda", "dm-0")
                .hasSize(51 - 16 - 8);
        assertThat(e).allSatisfy(d -> assertThat(d.readKbPerSec() + d.writeKbPerSec()).isZero());
    }
}
