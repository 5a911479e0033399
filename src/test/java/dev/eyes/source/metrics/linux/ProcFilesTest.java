package dev.eyes.source.metrics.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** /proc/stat, /proc/meminfo and PSI files, on real captures. */
class ProcFilesTest {

    @Test
    void procStatOfA2CpuVm() {
        ProcStat.CpuTimes t = ProcStat.parse(Fixtures.text("linux/proc-stat/jc-2cpu-vm.txt"));
        assertThat(t).isNotNull();
        assertThat(t.cpus()).isEqualTo(2);
        assertThat(t.user()).isEqualTo(6002);
        assertThat(t.nice()).isEqualTo(152);
        assertThat(t.system()).isEqualTo(8398);
        assertThat(t.idle()).isEqualTo(3444436);
        assertThat(t.iowait()).isEqualTo(448);
        assertThat(t.softirq()).isEqualTo(1174);
        assertThat(t.total()).isEqualTo(6002 + 152 + 8398 + 3444436 + 448 + 0 + 1174 + 0);
        // busy = total - idle - iowait
        assertThat(t.usageSinceBoot()).isCloseTo(100.0 * (6002 + 152 + 8398 + 1174) / t.total(), within(1e-9));
    }

    @Test
    void procStatOfAn8CpuHostIgnoresGuestInTheTotal() {
        ProcStat.CpuTimes t = ProcStat.parse(Fixtures.text("linux/proc-stat/node-exporter-8cpu.txt"));
        assertThat(t.cpus()).isEqualTo(8);
        assertThat(t.user()).isEqualTo(301854);
        assertThat(t.steal()).isZero();
        // guest (44) and guest_nice (36) are already inside user and nice
        assertThat(t.total()).isEqualTo(301854 + 612 + 111922 + 8979004 + 3552 + 2 + 3944);
    }

    @Test
    void usageBetweenTwoReadingsAndResets() {
        ProcStat.CpuTimes a = ProcStat.parse("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 1 1 1\n");
        ProcStat.CpuTimes b = ProcStat.parse("cpu  150 0 150 850 50 0 0 0 0 0\n");
        // +200 ticks total, of which idle 50 + iowait 50 → 50 % busy
        assertThat(b.usageSince(a)).isCloseTo(50.0, within(1e-9));
        assertThat(a.usageSince(a)).as("no ticks").isNull();
        assertThat(a.usageSince(b)).as("counters went backwards").isNull();
        assertThat(ProcStat.parse("cpu  1 2 3\n")).as("fewer than 4 columns").isNull();
        assertThat(ProcStat.parse("intr 1 2 3\n")).isNull();
        assertThat(ProcStat.parse("cpu  1 2 x 4\n")).isNull();
        // 4-column kernels (2.4 era) still parse
        assertThat(ProcStat.parse("cpu  1 2 3 4\n").total()).isEqualTo(10);
    }

    @Test
    void meminfoWithMemAvailableIsDerived() {
        Meminfo m = Meminfo.parse(Fixtures.text("linux/proc-meminfo/jc-4GiB-vm-with-memavailable.txt"));
        assertThat(m.get("MemTotal")).isEqualTo(3997272);
        assertThat(m.get("HugePages_Total")).as("unit-less value").isZero();
        assertThat(m.get("Hugetlb")).isZero();
        Meminfo.Usage u = m.usage();
        assertThat(u.kind()).isEqualTo(MeasurementKind.DERIVED);
        assertThat(u.totalMb()).isCloseTo(3997272 / 1024.0, within(1e-9));
        assertThat(u.availableMb()).isCloseTo(3386876 / 1024.0, within(1e-9));
        assertThat(u.usedMb()).isCloseTo((3997272 - 3386876) / 1024.0, within(1e-9)); // 596.09 MiB
    }

    @Test
    void meminfoWithoutMemAvailableIsEstimated() {
        Meminfo m = Meminfo.parse(Fixtures.text("linux/proc-meminfo/node-exporter-3.7GiB-no-memavailable.txt"));
        assertThat(m.get("MemAvailable")).isEqualTo(-1);
        Meminfo.Usage u = m.usage();
        assertThat(u.kind()).isEqualTo(MeasurementKind.ESTIMATED);
        // available ≈ MemFree + Buffers + Cached + SReclaimable − Shmem
        long available = 225472 + 22040 + 930888 + 44772 - 593840;
        assertThat(u.availableMb()).isCloseTo(available / 1024.0, within(1e-9));
        assertThat(u.usedMb()).isCloseTo((3742148 - available) / 1024.0, within(1e-9)); // ≈ 3039.9 MiB
        assertThat(Meminfo.parse("MemFree: 10 kB\n").usage()).as("no MemTotal").isNull();
        assertThat(Meminfo.parse("MemTotal: 100 kB\n").usage()).as("neither MemAvailable nor MemFree").isNull();
    }

    @Test
    void psiFilesOfBothKernels() {
        Psi mem = Psi.parse(Fixtures.text("linux/proc-pressure/node-exporter/memory"));
        assertThat(mem.some()).isEqualTo(new Psi.Line(0, 0, 0, 0));
        assertThat(mem.full()).isEqualTo(new Psi.Line(0, 0, 0, 0));
        Psi io = Psi.parse(Fixtures.text("linux/proc-pressure/node-exporter/io"));
        assertThat(io.some()).isEqualTo(new Psi.Line(0.18, 0.34, 0.10, 159886802));
        assertThat(io.full()).isEqualTo(new Psi.Line(0.18, 0.34, 0.10, 159229614));
        Psi cpu = Psi.parse(Fixtures.text("linux/proc-pressure/node-exporter/cpu"));
        assertThat(cpu.some().totalMicros()).isEqualTo(14036781);
        assertThat(cpu.full()).as("5.13+ cpu file has a full line").isNotNull();

        Psi oldCpu = Psi.parse(Fixtures.text("linux/proc-pressure/kernel-comment-sample/cpu"));
        assertThat(oldCpu.some()).isEqualTo(new Psi.Line(2.93, 3.17, 3.15, 94628150260L));
        assertThat(oldCpu.full()).as("pre-5.13 cpu file has no full line").isNull();
        Psi oldIo = Psi.parse(Fixtures.text("linux/proc-pressure/kernel-comment-sample/io"));
        assertThat(oldIo.full()).isEqualTo(new Psi.Line(1.06, 1.10, 1.11, 36592322936L));
        Psi oldMem = Psi.parse(Fixtures.text("linux/proc-pressure/kernel-comment-sample/memory"));
        assertThat(oldMem.some().totalMicros()).isEqualTo(29705314);
        assertThat(oldMem.full().totalMicros()).isEqualTo(17234456);
        assertThat(oldMem.level(10, 40)).isEqualTo(MemoryPressure.NORMAL);
        // the old cpu file at 2.93 % is Warning with a 2.5 % threshold
        assertThat(oldCpu.level(2.5, 40)).isEqualTo(MemoryPressure.WARNING);
    }

    @Test
    void psiLevelsAtTheirThresholds() {
        assertThat(Psi.levelOf(9.99, 10, 40)).isEqualTo(MemoryPressure.NORMAL);
        assertThat(Psi.levelOf(10.0, 10, 40)).isEqualTo(MemoryPressure.WARNING);
        assertThat(Psi.levelOf(39.99, 10, 40)).isEqualTo(MemoryPressure.WARNING);
        assertThat(Psi.levelOf(40.0, 10, 40)).isEqualTo(MemoryPressure.CRITICAL);
        assertThat(Psi.levelOf(100, 10, 40)).isEqualTo(MemoryPressure.CRITICAL);
        assertThat(Psi.levelOf(0, 0, 0)).as("zero thresholds: everything is Critical").isEqualTo(
                MemoryPressure.CRITICAL);
    }

    @Test
    void malformedPsi() {
        assertThat(Psi.parse("")).isNull();
        assertThat(Psi.parse("full avg10=1.00 avg60=0 avg300=0 total=1\n")).as("no some line").isNull();
        assertThat(Psi.parse("some avg10=x avg60=0 avg300=0 total=1\n")).isNull();
        assertThat(Psi.parse("some avg10=1 avg60=0 total=1\n")).as("avg300 missing").isNull();
        assertThat(Psi.parse("some avg10=1 avg60=0 avg300=0 total=1 extra=5\n").some().avg10()).isEqualTo(1.0);
    }
}
