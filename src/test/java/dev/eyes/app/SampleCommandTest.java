package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.source.Platform;
import dev.eyes.testing.BlockDevices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code eyes sample} on this host: a Linux VM with PSI, without RAPL and without nvidia-smi. */
class SampleCommandTest {
    private static String disk;
    private static Path config;

    @BeforeAll
    static void thisIsLinux() throws Exception {
        config = java.nio.file.Files.createTempFile("eyes-sample", ".toml");
        config.toFile().deleteOnExit();
        assertThat(Platform.detect()).as("these tests describe the Linux test machine").isEqualTo(Platform.LINUX);
        disk = BlockDevices.diskOf(Path.of("/")).orElseThrow(() -> new AssertionError("/ is on no block device"));
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("sample", "--config", config.toString()));
        all.addAll(List.of(args));
        int status = Main.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void linesLikeTelegrafTestWithTheUnavailableCollectorsNamed() {
        Run r = run("--interval", "0.5");
        assertThat(r.status).isZero();
        List<String> lines = r.out.lines().toList();
        String metrics = lines.stream().filter(l -> l.startsWith("> metrics,")).findFirst().orElseThrow();
        assertThat(metrics).contains("platform=linux", "source=proc", "cpu_usage_percent=", "memory_used_mb=",
                "memory_pressure=\"").doesNotContain("cpu_power_mw").doesNotContain("gpu_");
        String provenance = lines.stream().filter(l -> l.startsWith("> provenance,")).findFirst().orElseThrow();
        assertThat(provenance).contains("cpu_usage=\"measured\"", "memory_pressure=\"measured\"",
                "memory_used=\"derived\"", "cpu_power=\"unavailable\"", "gpu_power=\"unavailable\"");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("> diskio,device=" + disk + ",")
                .contains("write_kb_per_sec=", "read_ops_per_sec="));
        assertThat(lines).noneMatch(l -> l.contains("device=loop") || l.contains("device=zram"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("> details,").contains("psi_memory_some_avg10="));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("! metrics/rapl unavailable: ")
                .contains("/sys/class/powercap"));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .isEqualTo("! metrics/nvidia-smi unavailable: nvidia-smi was not found on PATH"));
        assertThat(lines).noneMatch(l -> l.startsWith("! metrics/cpu") || l.startsWith("! metrics/psi")
                || l.startsWith("! disk/"));
    }

    @Test
    void jsonHasTheEventsAndEveryCollectorsState() throws Exception {
        Run r = run("--json", "--interval", "0.5");
        assertThat(r.status).isZero();
        JsonNode n = JsonMapper.builder().build().readTree(r.out);
        JsonNode m = n.path("metrics").get(0);
        assertThat(m.path("cpu_usage_percent").isNumber()).isTrue();
        assertThat(m.path("memory_used_mb").asDouble()).isPositive();
        assertThat(m.path("cpu_power_mw").isNull()).as("never a made-up 0").isTrue();
        assertThat(m.path("provenance").path("memory_pressure").asString()).isEqualTo("measured");
        assertThat(m.path("process_metrics").size()).isEqualTo(5);
        boolean sawDisk = false;
        for (JsonNode d : n.path("disks")) {
            sawDisk |= d.path("disk_name").asString().equals(disk);
        }
        assertThat(sawDisk).as("disk " + disk + " reported").isTrue();
        List<String> unavailable = new ArrayList<>();
        for (JsonNode c : n.path("collectors")) {
            if (!c.path("available").asBoolean()) {
                unavailable.add(c.path("name").asString() + ": " + c.path("reason").asString());
            }
        }
        assertThat(unavailable).hasSize(2);
        assertThat(unavailable).anySatisfy(u -> assertThat(u).startsWith("rapl: no RAPL"));
        assertThat(unavailable).anySatisfy(u -> assertThat(u).startsWith("nvidia-smi: "));
        assertThat(n.path("details").path("metrics").path("memory_scope").asString()).isEqualTo("host");
    }

    @Test
    void aBadIntervalIsAUserError() {
        Run r = run("--interval", "0");
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).contains("--interval must be between 0 and 60 seconds");
    }
}
