package dev.eyes.source.metrics.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsSource;
import dev.eyes.event.ProcessMetric;
import dev.eyes.testing.Fixtures;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** top, vm_stat, memory_pressure and sysctl, on real captures. */
class MacToolOutputTest {

    private static TopParser.Sample topSample(String file) {
        TopParser p = new TopParser(0);
        for (String line : Fixtures.text("macos/top/" + file).split("\n")) {
            assertThat(p.feedLine(line)).isNull();
        }
        TopParser.Sample s = p.finish();
        assertThat(p.skipped()).isZero();
        return s;
    }

    @Test
    void topAppleSiliconWithCompressorTrailingSpacesAndRows() {
        TopParser.Sample s = topSample("top-l1-apple-silicon-macmini-32GB-2026-trimmed.txt");
        assertThat(s.time()).isEqualTo(LocalDateTime.of(2026, 5, 24, 22, 30, 17));
        assertThat(s.cpuUserPercent()).isEqualTo(22.11);
        assertThat(s.cpuSysPercent()).isEqualTo(14.57);
        assertThat(s.cpuIdlePercent()).isEqualTo(63.31);
        assertThat(s.cpuUsagePercent()).isCloseTo(36.68, within(1e-9));
        assertThat(s.physMemUsedMb()).isEqualTo(29.0 * 1024);
        assertThat(s.physMemUnusedMb()).isEqualTo(2314.0);
        assertThat(s.processes()).containsExactly(
                new ProcessMetric(99060, "ContainerMetadat", 0.0, 4.1),
                new ProcessMetric(98518, "com.apple.Safari", 0.0, 6.4),
                new ProcessMetric(95991, "sirittsd", 0.0, 34.0),
                new ProcessMetric(95945, "com.apple.Mobile", 0.0, 58.0));
    }

    @Test
    void topOlderHeaderWithoutCompressorOrRows() {
        TopParser.Sample s = topSample("top-l-logging-mode-header-2015-4GB-mac.txt");
        assertThat(s.time()).isEqualTo(LocalDateTime.of(2015, 10, 23, 15, 15, 48));
        assertThat(s.cpuUsagePercent()).isCloseTo(5.63 + 23.94, within(1e-9));
        assertThat(s.physMemUsedMb()).isEqualTo(4077.0);
        assertThat(s.physMemUnusedMb()).isEqualTo(17.0);
        assertThat(s.processes()).isEmpty();
    }

    @Test
    void topStreamDeliversEachSampleAndCommandsWithSpaces() {
        TopParser p = new TopParser(2);
        String sample = """
                Processes: 10 total, 1 running
                2026/05/24 22:30:17
                CPU usage: 50.00% user, 10.00% sys, 40.00% idle
                PhysMem: 8G used (1G wired), 8G unused.

                PID    COMMAND          %CPU MEM
                411    Google Chrome He 12.5 1024M+
                7      kernel_task      3.0  2G
                """;
        TopParser.Sample got = null;
        for (String line : sample.split("\n")) {
            TopParser.Sample s = p.feedLine(line);
            if (s != null) {
                got = s;
            }
        }
        assertThat(got).as("complete after the expected rows").isNotNull();
        assertThat(got.processes()).containsExactly(new ProcessMetric(411, "Google Chrome He", 12.5, 1024.0),
                new ProcessMetric(7, "kernel_task", 3.0, 2048.0));
        MetricsEvent e = got.toEvent(Instant.EPOCH, MacMetricsSource.MW_PER_CPU_PERCENT, MemoryPressure.NORMAL,
                MeasurementKind.MEASURED, null, MeasurementKind.UNAVAILABLE, 1);
        assertThat(e.cpuUsagePercent()).isEqualTo(60.0);
        assertThat(e.cpuPowerMw()).as("60 % × 40 mW").isEqualTo(2400.0);
        assertThat(e.provenance().cpuPower()).isEqualTo(MeasurementKind.ESTIMATED);
        assertThat(e.provenance().energyImpact()).isEqualTo(MeasurementKind.ESTIMATED);
        assertThat(e.provenance().cpuUsage()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(e.provenance().gpuPower()).isEqualTo(MeasurementKind.UNAVAILABLE);
        assertThat(e.provenance().source()).isEqualTo(MetricsSource.TOP_VM_STAT);
        assertThat(e.memoryUsedMb()).as("top's PhysMem when vm_stat is missing").isEqualTo(8192.0);
        assertThat(e.provenance().memoryUsed()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(e.processes()).hasSize(1);
        assertThat(TopParser.sizeMb("0B")).isZero();
        assertThat(TopParser.sizeMb("N/A")).isNull();
        assertThat(TopParser.sizeMb("1T")).isEqualTo(1048576.0);
    }

    @Test
    void vmStatSixteenKPages() {
        VmStat vm = VmStat.parse(Fixtures.text("macos/vm_stat/apple-silicon-macmini-32GB-16k-pages.txt"));
        assertThat(vm.pageSize()).isEqualTo(16384);
        assertThat(vm.get("Pages free")).isEqualTo(130912);
        assertThat(vm.get("Translation faults")).as("quoted name").isEqualTo(5220385534L);
        assertThat(vm.get("Swapouts")).isZero();
        assertThat(vm.pages()).hasSize(22);
        // Activity Monitor's "Memory Used": anonymous − purgeable + wired + compressor-occupied
        long pages = 1212532 - 21054 + 127718 + 153447;
        assertThat(vm.usedMb()).isCloseTo(pages * 16384 / 1048576.0, within(1e-6)); // ≈ 23010 MiB
    }

    @Test
    void vmStatFourKPagesWithoutCompressor() {
        VmStat vm = VmStat.parse(Fixtures.text("macos/vm_stat/intel-4k-pages-no-compressor-wazuh-issue-22113.txt"));
        assertThat(vm.pageSize()).isEqualTo(4096);
        assertThat(vm.get("Pages occupied by compressor")).isZero();
        assertThat(vm.usedMb()).isCloseTo((464333L - 11820 + 715958) * 4096 / 1048576.0, within(1e-6));
        // an older vm_stat without "Anonymous pages": active + inactive + wired
        VmStat old = VmStat.parse("Mach Virtual Memory Statistics: (page size of 4096 bytes)\n"
                + "Pages active: 100.\nPages inactive: 50.\nPages wired down: 25.\n");
        assertThat(old.usedMb()).isCloseTo(175 * 4096 / 1048576.0, within(1e-9));
        assertThat(VmStat.parse("nothing here")).isNull();
        assertThat(VmStat.parse("Pages free: 1.\n").usedMb()).as("no wired count").isNull();
    }

    @Test
    void memoryPressureOutputs() {
        MemoryPressureTool a = MemoryPressureTool.parse(Fixtures.text("macos/memory_pressure/apple-silicon-32GB-86pct-free.txt"));
        assertThat(a.totalBytes()).isEqualTo(34359738368L);
        assertThat(a.pageSize()).isEqualTo(16384);
        assertThat(a.freePercent()).isEqualTo(86);
        assertThat(a.estimatedLevel()).isEqualTo(MemoryPressure.NORMAL);
        assertThat(MemoryPressureTool.parse(Fixtures.text("macos/memory_pressure/apple-silicon-32GB-90pct-free.txt"))
                .freePercent()).isEqualTo(90);
        assertThat(MemoryPressureTool.parse(Fixtures.text(
                "macos/memory_pressure/apple-silicon-32GB-88pct-free-with-swap.txt")).freePercent()).isEqualTo(88);
        assertThat(MemoryPressureTool.parse("System-wide memory free percentage: 19%").estimatedLevel())
                .isEqualTo(MemoryPressure.WARNING);
        assertThat(MemoryPressureTool.parse("System-wide memory free percentage: 9%").estimatedLevel())
                .isEqualTo(MemoryPressure.CRITICAL);
        assertThat(MemoryPressureTool.parse("System-wide memory free percentage: 10%").estimatedLevel())
                .isEqualTo(MemoryPressure.WARNING);
        assertThat(MemoryPressureTool.parse("System-wide memory free percentage: 20%").estimatedLevel())
                .isEqualTo(MemoryPressure.NORMAL);
        assertThat(MemoryPressureTool.parse("hello")).isNull();
    }

    @Test
    void sysctlAllHasNoPressureLevelButTheRest() {
        Map<String, String> kv = Sysctl.parse(Fixtures.text("macos/sysctl/jc-osx-10.14.6-sysctl-a.txt"));
        assertThat(kv).containsEntry("vm.memory_pressure", "0").containsEntry("hw.memsize", "17179869184")
                .containsEntry("hw.pagesize", "4096").containsEntry("hw.ncpu", "8")
                .doesNotContainKey(Sysctl.PRESSURE_KEY);
        assertThat(kv.get("vm.swapusage")).startsWith("total = 3072.00M");
        assertThat(kv.size()).isGreaterThan(1200);
        assertThat(Sysctl.pressureLevel(kv.get(Sysctl.PRESSURE_KEY))).isNull();
    }

    @Test
    void sysctlPressureLevels() {
        assertThat(Sysctl.pressureLevel("1\n")).isEqualTo(MemoryPressure.NORMAL);
        assertThat(Sysctl.pressureLevel("2")).isEqualTo(MemoryPressure.WARNING);
        assertThat(Sysctl.pressureLevel(" 4 ")).isEqualTo(MemoryPressure.CRITICAL);
        assertThat(Sysctl.pressureLevel("3")).isNull();
        assertThat(Sysctl.pressureLevel("0")).isNull();
        assertThat(Sysctl.parse(Sysctl.PRESSURE_KEY + ": 2\n")).containsEntry(Sysctl.PRESSURE_KEY, "2");
    }

    /** Found by ParserFuzz: values near the limits of long and double must not wrap or overflow into a reading. */
    @Test
    void extremeNumbersAreNoReading() {
        // a level that only equals 1 after an int cast is no level
        assertThat(Sysctl.pressureLevel("4294967297")).isNull();
        assertThat(Sysctl.pressureLevel("4294967298")).isNull();
        assertThat(Sysctl.pressureLevel(" 4\n")).isEqualTo(MemoryPressure.CRITICAL);

        // page counts near Long.MAX_VALUE: the sum must not wrap around to a negative memory use
        VmStat vm = VmStat.parse("Mach Virtual Memory Statistics: (page size of 16384 bytes)\n"
                + "Anonymous pages: 9223372036854775807.\nPages wired down: 9223372036854775807.\n"
                + "Pages occupied by compressor: 5.\n");
        assertThat(vm.usedMb()).isPositive().isFinite();

        // top: a size that overflows to Infinity is no size; a negative %CPU row is not a process row
        assertThat(TopParser.sizeMb("1e308G")).isNull();
        assertThat(TopParser.sizeMb("2019M+")).isEqualTo(2019.0);
        TopParser p = new TopParser(0);
        p.feedLine("Processes: 2 total");
        p.feedLine("PhysMem: 1e308G used (1M wired), 1e308T unused.");
        p.feedLine("PID    COMMAND  %CPU MEM");
        p.feedLine("1      good     1.5  10M");
        p.feedLine("2      bad      -1.0 10M");
        TopParser.Sample s = p.finish();
        assertThat(s.physMemUsedMb()).isNull();
        assertThat(s.physMemUnusedMb()).isNull();
        assertThat(s.processes()).extracting(ProcessMetric::process).containsExactly("good");
        assertThat(p.skipped()).isEqualTo(1);
    }

    /** Found by ParserFuzz (bin/soak R4): three regressions in the macOS tool parsers. */
    @Test
    void fuzzFindingsStayFixed() {
        // "17, unused": the comma right before " unused" left an empty (and inverted) range
        TopParser p = new TopParser(0);
        for (String line : ("Processes: 10 total, 1 running\n2026/05/24 22:30:17\n"
                + "CPU usage: 1.00% user, 1.00% sys, 98.00% idle\n"
                + "PhysMem: 4077M used (932M wired), 17, unused.\n").split("\n")) {
            p.feedLine(line);
        }
        TopParser.Sample s = p.finish();
        assertThat(s.physMemUsedMb()).isEqualTo(4077.0);
        assertThat(s.physMemUnusedMb()).isNull();
        // a name that is only whitespace is no name
        assertThat(Sysctl.parse("\t = 5\nhw.ncpu: 8\n\t: 3\n")).containsExactly(java.util.Map.entry("hw.ncpu", "8"));
        // a page size after a very long line: read in one pass (a regex here was quadratic)
        String longLine = "The system has 34359738368 (2097152 pages with a page size of 16384" + "x".repeat(200_000);
        assertThat(MemoryPressureTool.parse(longLine + "\nSystem-wide memory free percentage: 50%").pageSize())
                .isEqualTo(16384);
    }
}
