package dev.eyes.source.metrics.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.ProcessMetric;
import dev.eyes.source.metrics.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcProcessSamplerTest {

    /** A /proc/<pid>/stat line as the kernel writes it (52 fields), with the figures that matter set. */
    private static String stat(long pid, String comm, long utime, long stime, long start, long rssPages) {
        return pid + " (" + comm + ") S 1 " + pid + " " + pid + " 0 -1 4194560 100 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 1 0 " + start + " 123456789 " + rssPages
                + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    }

    private static void proc(Path root, long pid, String line) throws IOException {
        Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.writeString(root.resolve(pid + "/stat"), line);
    }

    @Test
    void parsesNamesWithSpacesAndParentheses() {
        var p = ProcProcessSampler.parse(stat(42, "Web Content (x)", 150, 50, 1000, 2560));
        assertThat(p.pid()).isEqualTo(42);
        assertThat(p.name()).isEqualTo("Web Content (x)");
        assertThat(p.cpuTicks()).isEqualTo(200);
        assertThat(p.startTicks()).isEqualTo(1000);
        assertThat(p.rssPages()).isEqualTo(2560);
        assertThat(ProcProcessSampler.parse("42 (x) S 1 2 3")).isNull();
        assertThat(ProcProcessSampler.parse("garbage")).isNull();
    }

    /** The parser before it read bytes in place: split on single spaces after the last ')'. */
    private static ProcProcessSampler.Proc byStringSplit(String s) {
        int open = s.indexOf('(');
        int close = s.lastIndexOf(')');
        if (open <= 0 || close < open) {
            return null;
        }
        long pid = dev.eyes.source.metrics.Numbers.parseLong(s.substring(0, open).strip(), -1);
        String[] f = s.substring(close + 1).strip().split(" ");
        if (pid < 0 || f.length < 22) {
            return null;
        }
        long utime = dev.eyes.source.metrics.Numbers.parseLong(f[11], -1);
        long stime = dev.eyes.source.metrics.Numbers.parseLong(f[12], -1);
        long start = dev.eyes.source.metrics.Numbers.parseLong(f[19], -1);
        long rss = dev.eyes.source.metrics.Numbers.parseLong(f[21], -1);
        if (utime < 0 || stime < 0 || start < 0 || rss < 0) {
            return null;
        }
        return new ProcProcessSampler.Proc(pid, s.substring(open + 1, close), utime + stime, start, rss);
    }

    @Test
    void agreesWithASplittingParserOnRandomAndDamagedLines() {
        java.util.Random r = new java.util.Random(20261128);
        String alphabet = "ab (x)) 019-\n";
        int agreed = 0;
        int parsed = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder comm = new StringBuilder();
            for (int k = r.nextInt(16); k > 0; k--) {
                comm.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String line = stat(r.nextInt(1 << 22), comm.toString(), r.nextLong(1L << 40), r.nextInt(100_000),
                    r.nextLong(1L << 50), r.nextInt(1 << 24));
            switch (r.nextInt(4)) {
                case 0 -> line = line.substring(0, r.nextInt(line.length() + 1));          // cut short
                case 1 -> {                                                                   // one byte changed
                    int at = r.nextInt(line.length());
                    line = line.substring(0, at) + alphabet.charAt(r.nextInt(alphabet.length())) + line.substring(at + 1);
                }
                case 2 -> line = line.replaceFirst(" 0 0 20 ", " 0  0 20 ");                  // a doubled space
                default -> {
                }
            }
            var expected = byStringSplit(line);
            assertThat(ProcProcessSampler.parse(line)).as(line).isEqualTo(expected);
            agreed++;
            parsed += expected == null ? 0 : 1;
        }
        assertThat(agreed).isEqualTo(50_000);
        assertThat(parsed).as("a fair share of the lines are valid").isGreaterThan(10_000);
    }

    @Test
    void topByRssWithCpuSinceStartThenBetweenCalls(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("uptime"), "110.00 200.00\n");
        proc(root, 1, stat(1, "init", 100, 0, 0, 1000));              // 1 s of CPU in 110 s alive
        proc(root, 200, stat(200, "java", 500, 500, 1000, 256000));  // 10 s in 100 s: 10 %
        proc(root, 300, stat(300, "big db", 0, 0, 10000, 512000));
        Files.createDirectories(root.resolve("self"));
        Files.createDirectories(root.resolve("sys"));
        ProcProcessSampler s = new ProcProcessSampler(root, 100, 4096);
        List<ProcessMetric> first = s.top(2);
        assertThat(first).containsExactly(new ProcessMetric(300, "big db", 0.0, 2000.0),
                new ProcessMetric(200, "java", 10.0, 1000.0));
        Thread.sleep(200);
        proc(root, 200, stat(200, "java", 600, 500, 1000, 256000)); // +1 s of CPU in ~0.2 s
        proc(root, 300, stat(300, "big db", 0, 0, 99999, 512000));  // pid reused: since-start again
        List<ProcessMetric> second = s.top(5);
        assertThat(second).hasSize(3);
        assertThat(second.get(1).cpuUsagePercent()).as("~100 ticks in ~0.2 s").isBetween(100.0, 600.0);
        assertThat(second.get(0).cpuUsagePercent()).isZero();
        assertThat(s.top(0)).isEmpty();
    }

    @Test
    void thisHostListsItsLargestProcesses() {
        ProcProcessSampler s = ProcProcessSampler.forHost(CommandRunner.SYSTEM);
        List<ProcessMetric> top = s.top(5);
        assertThat(top).hasSize(5);
        assertThat(top).isSortedAccordingTo((a, b) -> Double.compare(b.residentMemoryMb(), a.residentMemoryMb()));
        long me = ProcessHandle.current().pid();
        assertThat(top).as("this JVM is among the largest processes of a test VM")
                .anySatisfy(p -> assertThat(p.processId()).isEqualTo(me));
    }
}
