package dev.eyes.source.metrics.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eyes.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaplTest {
    private static final String POWERCAP = "linux/powercap/node-exporter-sys/powercap";

    @Test
    void findsThePackageZoneOnlyAndReadsItsCounter() {
        Rapl rapl = new Rapl(Fixtures.path(POWERCAP));
        assertThat(rapl.available()).isTrue();
        assertThat(rapl.zones()).hasSize(1);
        Rapl.Zone z = rapl.zones().getFirst();
        assertThat(z.id()).isEqualTo("intel-rapl:0");
        assertThat(z.name()).isEqualTo("package-0");
        assertThat(z.maxRange()).isEqualTo(262143328850L);
        Rapl.Reading r = rapl.read(1000);
        assertThat(r.energyMicroJoules()).containsExactly(240422366267L);
    }

    @Test
    void powerFromAnEnergyDelta(@TempDir Path tmp) throws IOException {
        Path powercap = copy(tmp);
        Rapl rapl = new Rapl(powercap);
        Rapl.Reading a = rapl.read(0);
        // +2.5 J over 0.5 s = 5 W = 5000 mW
        Files.writeString(powercap.resolve("intel-rapl:0/energy_uj"), Long.toString(240422366267L + 2_500_000));
        Rapl.Reading b = rapl.read(500_000_000L);
        assertThat(rapl.powerMw(a, b)).isCloseTo(5000.0, within(1e-6));
        assertThat(rapl.powerMw(a, a)).as("no time passed").isNull();
        assertThat(rapl.powerMw(null, b)).isNull();
    }

    @Test
    void powerAcrossAWrapAtMaxEnergyRange(@TempDir Path tmp) throws IOException {
        Path powercap = copy(tmp);
        Path energy = powercap.resolve("intel-rapl:0/energy_uj");
        Files.writeString(energy, "262143000000");
        Rapl rapl = new Rapl(powercap);
        Rapl.Reading a = rapl.read(0);
        Files.writeString(energy, "500000\n");
        Rapl.Reading b = rapl.read(1_000_000_000L);
        // 262143328850 − 262143000000 + 500000 = 828850 µJ in 1 s
        assertThat(rapl.powerMw(a, b)).isCloseTo(828.85, within(1e-6));
        assertThat(Rapl.delta(10, 5, -1)).as("a wrap without a known range is no number").isNull();
        assertThat(Rapl.delta(10, 5, 8)).as("before above the range: a reset, not a wrap").isNull();
        assertThat(Rapl.delta(5, 10, 8)).isEqualTo(5);
    }

    @Test
    void unavailableWithAReason(@TempDir Path tmp) throws IOException {
        Rapl none = new Rapl(tmp.resolve("missing"));
        assertThat(none.available()).isFalse();
        assertThat(none.unavailableReason()).contains("does not exist");
        assertThat(none.read(0)).isNull();
        Path empty = Files.createDirectory(tmp.resolve("powercap"));
        Files.createDirectory(empty.resolve("intel-rapl"));
        assertThat(new Rapl(empty).unavailableReason()).contains("no intel-rapl package zones");
        Path junk = copy(tmp.resolve("junk"));
        Files.writeString(junk.resolve("intel-rapl:0/energy_uj"), "not a number");
        assertThat(new Rapl(junk).unavailableReason()).contains("unreadable");
    }

    private static Path copy(Path tmp) throws IOException {
        Path src = Fixtures.path(POWERCAP);
        Path dst = tmp.resolve("powercap");
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return dst;
    }
}
