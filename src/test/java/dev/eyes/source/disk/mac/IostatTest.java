package dev.eyes.source.disk.mac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.MetricsConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.event.Event;
import dev.eyes.source.RestartPolicy;
import dev.eyes.source.metrics.CommandRunner;
import dev.eyes.source.metrics.SampleRound;
import dev.eyes.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IostatTest {
    private static List<Iostat.Row> rows(String file) {
        Iostat p = new Iostat();
        List<Iostat.Row> out = new ArrayList<>();
        for (String line : Fixtures.text("macos/iostat/" + file).split("\n")) {
            Iostat.Row r = p.feedLine(line, Instant.EPOCH);
            if (r != null) {
                out.add(r);
            }
        }
        assertThat(p.skipped()).isZero();
        return out;
    }

    @Test
    void twoDisksFirstRowSinceBoot() {
        List<Iostat.Row> rows = rows("iostat-w1-c5-two-disks-apple-silicon.txt");
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0).sinceBoot()).isTrue();
        assertThat(rows.subList(1, 5)).noneMatch(Iostat.Row::sinceBoot);
        assertThat(rows.get(0).disks()).containsExactly(
                new DiskEvent(Instant.EPOCH, 1.85 * 1024, 0, 79, 0, "disk0", null),
                new DiskEvent(Instant.EPOCH, 0, 0, 0, 0, "disk4", null));
        DiskEvent busy = rows.get(3).disks().getFirst();
        assertThat(busy.diskName()).isEqualTo("disk0");
        assertThat(busy.readKbPerSec()).isEqualTo(3.10 * 1024);
        assertThat(busy.readOpsPerSec()).isEqualTo(222);
        assertThat(busy.writeKbPerSec()).as("iostat does not split reads and writes").isZero();
        assertThat(rows.get(4).disks().get(0).readKbPerSec()).isEqualTo(71.68);
    }

    @Test
    void singleSampleIsOnlySinceBoot() {
        List<Iostat.Row> rows = rows("iostat-single-sample-disk0.txt");
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.sinceBoot()).isTrue();
            assertThat(r.disks()).containsExactly(new DiskEvent(Instant.EPOCH, 0.72 * 1024, 0, 37, 0, "disk0", null));
        });
    }

    @Test
    void rowsBeforeAHeaderOrOfTheWrongWidthAreSkipped() {
        Iostat p = new Iostat();
        assertThat(p.feedLine("   1.00 2 0.10", Instant.EPOCH)).isNull();
        p.feedLine("  disk0", Instant.EPOCH);
        p.feedLine("  KB/t  tps  MB/s", Instant.EPOCH);
        assertThat(p.feedLine(" 1 2", Instant.EPOCH)).isNull();
        assertThat(p.feedLine(" 1 x 3", Instant.EPOCH)).isNull();
        assertThat(p.feedLine(" 4.0 10 0.04", Instant.EPOCH).disks()).hasSize(1);
        assertThat(p.skipped()).isEqualTo(3);
    }

    @Test
    void sampleOnceTakesTheIntervalRowNotTheSinceBootOne() {
        String out = Fixtures.text("macos/iostat/iostat-w1-c5-two-disks-apple-silicon.txt");
        List<List<String>> asked = new ArrayList<>();
        CommandRunner fake = (cmd, timeout) -> {
            asked.add(cmd);
            return new CommandRunner.Result(0, out, "", null);
        };
        MetricsConfig cfg = new MetricsConfig(5, true, true, 10, 40, List.of("disk4"), 5);
        SampleRound r = new MacDiskSource(cfg, fake, RestartPolicy.DEFAULT).sampleOnce(Duration.ofSeconds(1));
        assertThat(asked).containsExactly(List.of("iostat", "-d", "-w", "1", "-c", "2"));
        List<Event> events = r.events();
        assertThat(events).singleElement().satisfies(e -> {
            DiskEvent d = (DiskEvent) e;
            assertThat(d.diskName()).isEqualTo("disk0");
            assertThat(d.readOpsPerSec()).as("the last interval row").isEqualTo(5);
        });
        assertThat(r.collectors().getFirst().available()).isTrue();
        CommandRunner failing = (cmd, timeout) -> new CommandRunner.Result(-1, "", "", "cannot run iostat: no such file");
        SampleRound none = new MacDiskSource(cfg, failing, RestartPolicy.DEFAULT).sampleOnce(Duration.ofSeconds(1));
        assertThat(none.events()).isEmpty();
        assertThat(none.collectors().getFirst().detail()).contains("cannot run iostat");
    }
}
