package dev.eyes.selfmon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ProcessStatsTest {

    @Test
    void statTicksReadsUtimeAndStimeWhateverTheCommandName(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        // a command name with spaces and parentheses, as a process may choose
        Files.writeString(stat, "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 567 0 0 20 0 9 0"
                + " 100 123456 789 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
        assertThat(ProcessStats.statTicks(stat)).isEqualTo(1234 + 567);
        Files.writeString(stat, "4242 (truncated");
        assertThat(ProcessStats.statTicks(stat)).isEqualTo(-1);
        assertThat(ProcessStats.statTicks(dir.resolve("missing"))).isEqualTo(-1);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void cpuTimeAgreesWithTheJdksView() {
        ProcessStats stats = ProcessStats.forThisProcess();
        long spin = System.nanoTime() + Duration.ofMillis(300).toNanos();
        long x = 0;
        while (System.nanoTime() < spin) {
            x += x * 31 + 7;
        }
        long jdk = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        long ours = stats.cpuNanos();
        long jdkAfter = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        assertThat(x).isNotZero();
        assertThat(ours).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos())
                .isBetween(jdk - Duration.ofMillis(20).toNanos(), jdkAfter + Duration.ofMillis(20).toNanos());
    }
}
