package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.eyes.config.EyesConfig;
import dev.eyes.event.DiskEvent;
import dev.eyes.source.disk.linux.DiskRates;
import dev.eyes.source.disk.linux.Diskstats;
import dev.eyes.source.metrics.Numbers;
import dev.eyes.source.metrics.linux.Meminfo;
import dev.eyes.source.metrics.linux.NvidiaSmi;
import dev.eyes.source.metrics.linux.ProcStat;
import dev.eyes.source.metrics.linux.Psi;
import dev.eyes.source.metrics.mac.MemoryPressureTool;
import dev.eyes.source.metrics.mac.Sysctl;
import dev.eyes.source.metrics.mac.TopParser;
import dev.eyes.source.metrics.mac.VmStat;
import dev.eyes.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every parser, fed mutated and truncated real captures (seeded, so a failure repeats), never throws, and what it
 * returns stays within its contract.
 */
class ParserRobustnessTest {
    private static final long SEED = 0xE1E5_2026L;
    private static final EyesConfig CONFIG = EyesConfig.defaults();
    private static final byte[] SPECIAL = "\0\n\r\t {}[]<>\"\\,:;=%/.-+0123456789eE&!?#".getBytes(StandardCharsets.UTF_8);

    /** Each format with the captures that belong to it. */
    private static final Map<String, List<String>> CORPUS = Map.ofEntries(
            Map.entry("journald-json", List.of("linux/journalctl/json-old-spaced-style-imx6ul-2018-lnav.json",
                    "linux/journalctl/json-pretty-single-event-beats.json",
                    "linux/journalctl/coredump-kdeconnectd-sigabrt-arch-beats.json")),
            Map.entry("syslog", List.of("linux/crash-lines/syslog-compiz-segfault-i965-ubuntu16.04-2018.log",
                    "linux/crash-lines/grep-syslog-fwupd-segfault-then-systemd-code-dumped-ubuntu17.04.log")),
            Map.entry("oslog-json", List.of("macos/log/show-json-source-banner-sierra-era-2018.txt",
                    "macos/log/show-json-entries-kernel-hfs-and-unmountagent-macos15.json")),
            Map.entry("oslog-ndjson", List.of("macos/log/show-json-entries-kernel-hfs-and-unmountagent-macos15.json")),
            Map.entry("powermetrics-plist", List.of("macos/powermetrics/m1-macbookpro17_1-macos13-pumas.plist",
                    "macos/powermetrics/intel-haswell-macbookpro11_3-10.9-catapult.plist")),
            Map.entry("top", List.of("macos/top/top-l1-apple-silicon-macmini-32GB-2026-trimmed.txt",
                    "macos/top/top-l-logging-mode-header-2015-4GB-mac.txt")),
            Map.entry("vm_stat", List.of("macos/vm_stat/apple-silicon-macmini-32GB-16k-pages.txt",
                    "macos/vm_stat/intel-4k-pages-no-compressor-wazuh-issue-22113.txt")),
            Map.entry("memory_pressure", List.of("macos/memory_pressure/apple-silicon-32GB-86pct-free.txt")),
            Map.entry("sysctl", List.of("macos/sysctl/jc-osx-10.14.6-sysctl-a.txt")),
            Map.entry("iostat", List.of("macos/iostat/iostat-w1-c5-two-disks-apple-silicon.txt",
                    "macos/iostat/iostat-single-sample-disk0.txt")),
            Map.entry("proc-diskstats", List.of("linux/proc-diskstats/node-exporter-mixed-field-counts.txt")),
            Map.entry("proc-pressure", List.of("linux/proc-pressure/node-exporter/io",
                    "linux/proc-pressure/kernel-comment-sample/cpu")),
            Map.entry("proc-meminfo", List.of("linux/proc-meminfo/jc-4GiB-vm-with-memavailable.txt",
                    "linux/proc-meminfo/node-exporter-3.7GiB-no-memavailable.txt")),
            Map.entry("proc-stat", List.of("linux/proc-stat/jc-2cpu-vm.txt")),
            Map.entry("nvidia-smi-csv", List.of("linux/nvidia-smi/query-gpu-csv/tesla-p100-netdata.csv",
                    "linux/nvidia-smi/query-gpu-csv/l40s-drv595.80-load.csv")));

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int kind = r.nextInt(6);
        switch (kind) {
            case 0 -> { // truncate anywhere
                return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            }
            case 1 -> { // flip bytes
                for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 2 -> { // overwrite with structural characters
                for (int i = 0, n = 1 + r.nextInt(16); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] = SPECIAL[r.nextInt(SPECIAL.length)];
                }
                return b;
            }
            case 3 -> { // cut a slice out
                if (b.length < 2) {
                    return b;
                }
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(Math.max(1, b.length / 4)));
                byte[] out = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, to, out, from, b.length - to);
                return out;
            }
            case 4 -> { // duplicate a slice (repeated records, doubled headers)
                int from = r.nextInt(b.length + 1);
                int to = Math.min(b.length, from + r.nextInt(Math.max(1, b.length / 3) + 1));
                byte[] out = new byte[b.length + (to - from)];
                System.arraycopy(b, 0, out, 0, to);
                System.arraycopy(b, from, out, to, b.length - from);
                return out;
            }
            default -> { // shuffle lines
                List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.UTF_8).split("\n", -1)));
                java.util.Collections.shuffle(lines, r);
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void everyFormatSurvivesMutatedAndTruncatedCaptures() {
        Random r = new Random(SEED);
        int runs = 0;
        for (Map.Entry<String, List<String>> e : CORPUS.entrySet()) {
            for (String file : e.getValue()) {
                byte[] original = Fixtures.bytes(file);
                Parsers.Parsed clean = Parsers.parse(e.getKey(), original, CONFIG, "f", Instant.EPOCH);
                assertThat(clean.records()).as(e.getKey() + " reads " + file).isNotEmpty();
                for (int i = 0; i < 150; i++) {
                    byte[] m = mutate(original, r);
                    Parsers.Parsed p = Parsers.parse(e.getKey(), m, CONFIG, "f", Instant.EPOCH);
                    assertThat(p.skipped()).isNotNegative();
                    assertThat(p.records()).doesNotContainNull();
                    runs++;
                }
            }
        }
        assertThat(runs).isGreaterThan(3000);
    }

    @Test
    void arbitraryTextNeverBreaksTheLineParsers() {
        qt().withExamples(2000).forAll(strings().allPossible().ofLengthBetween(0, 300)).checkAssert(s -> {
            ProcStat.CpuTimes t = ProcStat.parse(s);
            if (t != null) {
                assertThat(t.total()).isNotNegative();
            }
            Meminfo.Usage u = Meminfo.parse(s).usage();
            if (u != null) {
                assertThat(u.usedMb()).isBetween(0.0, u.totalMb());
            }
            Psi p = Psi.parse(s);
            if (p != null) {
                assertThat(p.some().avg10()).isBetween(0.0, 100.0);
            }
            Diskstats.parse(s);
            NvidiaSmi.Parsed g = NvidiaSmi.parse(s);
            g.gpus().forEach(x -> {
                if (x.utilizationPercent() != null) {
                    assertThat(x.utilizationPercent()).isBetween(0.0, 100.0);
                }
            });
            VmStat.parse(s);
            MemoryPressureTool.parse(s);
            Sysctl.parse(s);
            Sysctl.pressureLevel(s);
            TopParser tp = new TopParser(3);
            for (String line : s.split("\n")) {
                tp.feedLine(line);
            }
            tp.finish();
            Numbers.leadingNumber(s);
            Numbers.parseDouble(s);
            for (String format : CORPUS.keySet()) {
                Parsers.parse(format, s.getBytes(StandardCharsets.UTF_8), CONFIG, "f", Instant.EPOCH);
            }
        });
    }

    @Test
    void diskRatesAreNeverNegativeWhateverTheCounters() {
        Random r = new Random(SEED);
        DiskRates rates = new DiskRates(name -> true);
        long[] c = new long[4];
        for (int i = 0; i < 5000; i++) {
            for (int k = 0; k < 4; k++) {
                // mostly rising, sometimes reset, sometimes a 32-bit wrap
                int what = r.nextInt(20);
                c[k] = what == 0 ? r.nextInt(100) : what == 1 ? c[k] % 4294967296L : c[k] + r.nextInt(100_000);
            }
            String line = " 8 0 sda " + c[0] + " 0 " + c[1] + " 0 " + c[2] + " 0 " + c[3] + " 0 0 0 0\n";
            for (DiskEvent d : rates.update(Diskstats.parse(line), Instant.EPOCH, i * 1_000_000_000L)) {
                assertThat(d.readKbPerSec()).isNotNegative();
                assertThat(d.writeKbPerSec()).isNotNegative();
                assertThat(d.readOpsPerSec()).isNotNegative();
                assertThat(d.writeOpsPerSec()).isNotNegative();
            }
        }
        assertThat(rates.resets()).isPositive();
    }
}
