package dev.eyes.rule;

import static dev.eyes.rule.RuleHarness.NO_BENIGN;
import static dev.eyes.rule.RuleHarness.at;
import static dev.eyes.rule.RuleHarness.disk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DiskIOSpikeRuleTest {
    private static final double READ = 524288;
    private static final double WRITE = 262144;

    private static DiskIOSpikeRule rule() {
        return new DiskIOSpikeRule(Duration.ofSeconds(30), READ, WRITE, 1000, NO_BENIGN);
    }

    @Test
    void readExactlyAtTheThresholdWithTheOriginalsReasonText() {
        RuleHarness h = new RuleHarness(Duration.ofSeconds(300), rule());
        h.feed(disk(0, "vda", 1000, 10), disk(5, "vda", 1000 + READ, 10));
        assertThat(h.fired).singleElement().satisfies(t -> {
            assertThat(t.rule()).isEqualTo("DiskIOSpikeRule");
            assertThat(t.source()).isEqualTo("vda");
            assertThat(t.expectedSeverity()).isEqualTo(Severity.WARNING);
            assertThat(t.reason()).isEqualTo("Rule 'DiskIOSpikeRule' triggered: vda read spike: baseline 1000.0 KB/s,"
                    + " peak 525288.0 KB/s, delta +524288.0 KB/s (threshold 524288.0 KB/s), source mixed or"
                    + " unavailable");
            assertThat(t.diskEvents()).extracting(DiskEvent::diskName).containsOnly("vda");
            assertThat(t.diskEvents()).hasSize(2);
        });
    }

    @Test
    void belowTheThresholdAndDecreasesDoNotFire() {
        RuleHarness h = new RuleHarness(Duration.ofSeconds(300), rule());
        h.feed(disk(0, "sda", 0, 0), disk(5, "sda", READ - 1, WRITE - 1), disk(10, "sda", 0, 0),
                disk(15, "sda", 900_000, 900_000));
        assertThat(h.fired).as("only the last sample rises far enough").hasSize(1);
        RuleHarness down = new RuleHarness(Duration.ofSeconds(300), rule());
        down.feed(disk(0, "sda", 2_000_000, 2_000_000), disk(5, "sda", 0, 0));
        assertThat(down.fired).isEmpty();
    }

    @Test
    void writeSpikeWithAPathAndBothSpikesLargestFirst() {
        RuleHarness h = new RuleHarness(Duration.ofSeconds(300), rule());
        h.feed(new DiskEvent(at(0), 0, 0, 0, 0, "disk0", "/Users/me/big.iso"),
                new DiskEvent(at(5), 600_000, 800_000, 0, 0, "disk0", "/Users/me/big.iso"));
        String reason = h.fired.getFirst().reason();
        // write +800000/262144 = 3.05 before read +600000/524288 = 1.14
        assertThat(reason).isEqualTo("Rule 'DiskIOSpikeRule' triggered: disk0 write spike: baseline 0.0 KB/s, peak"
                + " 800000.0 KB/s, delta +800000.0 KB/s (threshold 262144.0 KB/s), source /Users/me/big.iso; disk0"
                + " read spike: baseline 0.0 KB/s, peak 600000.0 KB/s, delta +600000.0 KB/s (threshold 524288.0"
                + " KB/s), source /Users/me/big.iso");
    }

    @Test
    void devicesAreNeverComparedWithEachOtherAndCoolDownApart() {
        RuleHarness h = new RuleHarness(Duration.ofSeconds(300), rule());
        // sdb is always busy, sda always idle: no device rose over its own minimum
        h.feed(disk(0, "sda", 0, 0), disk(0, "sdb", 900_000, 900_000), disk(5, "sda", 0, 0),
                disk(5, "sdb", 900_000, 900_000));
        assertThat(h.fired).isEmpty();
        h.feed(disk(10, "sda", 0, 300_000), disk(10, "nvme0n1", 0, 0), disk(15, "nvme0n1", 0, 300_000));
        assertThat(h.fired).extracting(Trigger::source).containsExactly("sda", "nvme0n1");
        h.feed(disk(20, "sda", 0, 0), disk(25, "sda", 0, 300_000));
        assertThat(h.fired).as("sda is cooling down").hasSize(2);
        assertThat(h.suppressed).containsExactly("DiskIOSpikeRule:sda");
    }

    @Test
    void theWindowExpires() {
        RuleHarness h = new RuleHarness(Duration.ofSeconds(300), rule());
        h.feed(disk(0, "vda", 0, 0), disk(31, "vda", 0, 300_000));
        assertThat(h.fired).as("the idle sample is 31 s old").isEmpty();
        RuleHarness in = new RuleHarness(Duration.ofSeconds(300), rule());
        in.feed(disk(0, "vda", 0, 0), disk(30, "vda", 0, 300_000));
        assertThat(in.fired).hasSize(1);
    }

    @Test
    void aTransientSpikeFiresOnceAndTheReturnIsQuiet() {
        RuleHarness h = new RuleHarness(Duration.ofSeconds(10), rule());
        h.feed(disk(0, "vda", 100, 100), disk(5, "vda", 100, 400_000), disk(10, "vda", 100, 100),
                disk(15, "vda", 100, 120), disk(20, "vda", 100, 90));
        assertThat(h.fired).hasSize(1);
        h.feed(disk(25, "vda", 100, 500_000));
        assertThat(h.fired).as("a new spike after the cooldown").hasSize(2);
    }

    @Test
    void idleDevicesAreForgotten() {
        DiskIOSpikeRule r = rule();
        RuleHarness h = new RuleHarness(Duration.ofSeconds(300), r);
        for (int i = 0; i < 100; i++) {
            h.feed(disk(0, "dev" + i, 0, 0));
        }
        for (int i = 0; i < 300; i++) {
            h.feed(disk(1000 + i, "vda", 0, 0));
        }
        assertThat(r.trackedDevices()).isEqualTo(1);
    }
}
