package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code eyes parse} over every captured format, with the values it prints. */
class ParseCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Path config;

    @BeforeAll
    static void emptyConfig() throws Exception {
        config = Files.createTempFile("eyes-parse", ".toml");
        config.toFile().deleteOnExit();
    }

    record Run(int status, String out, String err) {
        List<JsonNode> json() {
            List<JsonNode> l = new ArrayList<>();
            out.lines().forEach(line -> l.add(JSON.readTree(line)));
            return l;
        }
    }

    static Run parse(String format, String file, boolean json) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("parse", "--config", config.toString(), "--format", format,
                file.startsWith("/") ? file : Fixtures.path(file).toString()));
        if (json) {
            args.add("--json");
        }
        int status = Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void journaldJsonInThreeLayouts() {
        Run r = parse("journald-json", "linux/journalctl/json-old-spaced-style-imx6ul-2018-lnav.json", true);
        assertThat(r.status).isZero();
        assertThat(r.json()).hasSize(2);
        assertThat(r.json().get(0).path("message_type").asString()).isEqualTo("fault");
        Run c = parse("journald-json", "linux/journalctl/coredump-kdeconnectd-sigabrt-arch-beats.json", false);
        assertThat(c.status).isZero();
        assertThat(c.out).contains(" fault ").contains("kdeconnectd");
        Run p = parse("journald-json", "linux/journalctl/json-pretty-single-event-beats.json", true);
        assertThat(p.json()).hasSize(1);
    }

    @Test
    void syslogAndPlainCrashLines() {
        Run r = parse("syslog", "linux/crash-lines/syslog-compiz-segfault-i965-ubuntu16.04-2018.log", false);
        assertThat(r.status).isZero();
        assertThat(r.out).contains("compiz").contains("segfault at 0");
        Run g = parse("syslog", "linux/crash-lines/grep-syslog-fwupd-segfault-then-systemd-code-dumped-ubuntu17.04.log",
                true);
        assertThat(g.status).isZero();
        assertThat(g.out).contains("code=dumped");
        Run plain = parse("plain", "linux/crash-lines/journal-cat-fprintd-code-dumped.log", true);
        assertThat(plain.status).isZero();
        assertThat(plain.json()).isNotEmpty();
    }

    @Test
    void everyCrashLineCaptureParses() {
        Run cheese = parse("syslog", "linux/crash-lines/bare-kernel-msg-cheese-segfault-libc2.15-2012.log", true);
        JsonNode c = cheese.json().getFirst();
        assertThat(c.path("message_type").asString()).isEqualTo("error");
        assertThat(c.path("process").asString()).isEqualTo("cheese");
        assertThat(c.path("process_id").asLong()).isEqualTo(4075);
        assertThat(c.path("message").asString()).startsWith("segfault at 0 ip 00007f66a9376096");
        List<JsonNode> oom = parse("plain", "linux/crash-lines/dmesg-oom-early-boot-rhel9-collapsed-spaces.log", true)
                .json();
        assertThat(oom.stream().filter(n -> n.path("message_type").asString().equals("error")))
                .extracting(n -> n.path("message").asString())
                .anySatisfy(m -> assertThat(m).contains("Out of memory: Killed process 931 (firewalld)"))
                .anySatisfy(m -> assertThat(m).contains("Out of memory: Killed process 1825 (kexec)"));
        List<JsonNode> opera = parse("syslog", "linux/crash-lines/messages-operapluginwrap-segfault-ip-null-2010.log",
                true).json();
        assertThat(opera).hasSize(2).allSatisfy(n -> {
            assertThat(n.path("process").asString()).isEqualTo("kernel");
            assertThat(n.path("message").asString()).contains("operapluginwrap[").contains("segfault at 0 ip (null)");
        });
        List<JsonNode> fprintd = parse("plain", "linux/crash-lines/journal-cat-fprintd-code-dumped.log", true).json();
        assertThat(fprintd).extracting(n -> n.path("message").asString())
                .contains("fprintd.service: Failed with result 'core-dump'.");
    }

    @Test
    void oslogJsonAndNdjson() {
        Run a = parse("oslog-json", "macos/log/show-json-source-banner-sierra-era-2018.txt", false);
        assertThat(a.status).isZero();
        assertThat(a.out.strip()).isEqualTo("2018-06-10T15:47:50.829488Z info ? [95957] (os_log_inlinable/test): Hello,"
                .replace(" [", "[") + " World!");
        assertThat(a.err).isEmpty();
        Run b = parse("oslog-ndjson", "macos/log/show-json-entries-kernel-hfs-and-unmountagent-macos15.json", true);
        assertThat(b.json()).extracting(n -> n.path("process").asString()).containsExactly("kernel",
                "UnmountAssistantAgent");
    }

    @Test
    void powermetricsSamples() {
        Run r = parse("powermetrics-plist", "macos/powermetrics/m4max-mac16_5-macos26-tasks-trimmed-pause-monitor.plist",
                true);
        assertThat(r.status).isZero();
        JsonNode n = r.json().getFirst();
        assertThat(n.path("hw_model").asString()).isEqualTo("Mac16,5");
        assertThat(n.path("tasks").asInt()).isEqualTo(70);
        assertThat(n.path("busiest_tasks").get(0).path("name").asString()).isEqualTo("2.1.15");
        assertThat(n.path("metrics").path("cpu_power_mw").asDouble()).isEqualTo(2978.45);
        assertThat(n.path("metrics").path("provenance").path("memory_pressure").asString()).isEqualTo("unavailable");
        Run intel = parse("powermetrics-plist", "macos/powermetrics/intel-haswell-macbookpro11_3-10.9-catapult.plist",
                false);
        assertThat(intel.out).contains("hw_model=MacBookPro11,3").contains("\"cpu_power_mw\":3037.13");
        for (String f : List.of("m1-macbookpro17_1-macos13-pumas.plist", "m1-macbookpro17_1-macos13-pumas-2.plist")) {
            assertThat(parse("powermetrics-plist", "macos/powermetrics/" + f, true).json()).hasSize(1);
        }
    }

    @Test
    void topVmStatMemoryPressureAndSysctl() {
        Run top = parse("top", "macos/top/top-l1-apple-silicon-macmini-32GB-2026-trimmed.txt", true);
        JsonNode t = top.json().getFirst();
        assertThat(t.path("cpu_user_percent").asDouble()).isEqualTo(22.11);
        assertThat(t.path("physmem_used_mb").asDouble()).isEqualTo(29696.0);
        assertThat(t.path("metrics").path("provenance").path("cpu_power").asString()).isEqualTo("estimated");
        assertThat(t.path("metrics").path("process_metrics").size()).isEqualTo(4);
        assertThat(parse("top", "macos/top/top-l-logging-mode-header-2015-4GB-mac.txt", true).json()).hasSize(1);
        Run vm = parse("vm_stat", "macos/vm_stat/apple-silicon-macmini-32GB-16k-pages.txt", true);
        assertThat(vm.json().getFirst().path("page_size").asInt()).isEqualTo(16384);
        assertThat(vm.json().getFirst().path("memory_used_mb").asDouble()).isEqualTo(23010.05); // 1472643 pages of 16 KiB
        assertThat(parse("vm_stat", "macos/vm_stat/intel-4k-pages-no-compressor-wazuh-issue-22113.txt", true)
                .json().getFirst().path("page_size").asInt()).isEqualTo(4096);
        for (String f : List.of("apple-silicon-32GB-86pct-free.txt", "apple-silicon-32GB-88pct-free-with-swap.txt",
                "apple-silicon-32GB-90pct-free.txt")) {
            JsonNode m = parse("memory_pressure", "macos/memory_pressure/" + f, true).json().getFirst();
            assertThat(m.path("total_bytes").asLong()).isEqualTo(34359738368L);
            assertThat(m.path("memory_pressure_provenance").asString()).isEqualTo("estimated");
        }
        JsonNode s = parse("sysctl", "macos/sysctl/jc-osx-10.14.6-sysctl-a.txt", true).json().getFirst();
        assertThat(s.path("memory_pressure").asString()).isEqualTo("Unknown");
        assertThat(s.path("hw.memsize").asString()).isEqualTo("17179869184");
    }

    @Test
    void sysctlDashN(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("level"), "4\n");
        JsonNode s = parse("sysctl", f.toString(), true).json().getFirst();
        assertThat(s.path("memory_pressure").asString()).isEqualTo("Critical");
        assertThat(s.path("memory_pressure_provenance").asString()).isEqualTo("measured");
    }

    @Test
    void iostatDiskstatsPressureMeminfoStatAndNvidia() {
        List<JsonNode> io = parse("iostat", "macos/iostat/iostat-w1-c5-two-disks-apple-silicon.txt", true).json();
        assertThat(io).hasSize(10);
        assertThat(io.get(0).path("since_boot").asBoolean()).isTrue();
        assertThat(io.get(2).path("since_boot").asBoolean()).isFalse();
        assertThat(parse("iostat", "macos/iostat/iostat-single-sample-disk0.txt", true).json()).hasSize(1);
        List<JsonNode> ds = parse("proc-diskstats", "linux/proc-diskstats/node-exporter-mixed-field-counts.txt", true)
                .json();
        assertThat(ds).hasSize(51);
        assertThat(ds.stream().filter(n -> n.path("excluded").asBoolean()).count()).isEqualTo(24);
        JsonNode io2 = parse("proc-pressure", "linux/proc-pressure/node-exporter/io", true).json().getFirst();
        assertThat(io2.path("some").path("avg60").asDouble()).isEqualTo(0.34);
        assertThat(io2.path("level").asString()).isEqualTo("Normal");
        assertThat(parse("proc-pressure", "linux/proc-pressure/kernel-comment-sample/cpu", true).json().getFirst()
                .path("full").isNull()).isTrue();
        JsonNode mem = parse("proc-meminfo", "linux/proc-meminfo/node-exporter-3.7GiB-no-memavailable.txt", true)
                .json().getFirst();
        assertThat(mem.path("used_provenance").asString()).isEqualTo("estimated");
        JsonNode stat = parse("proc-stat", "linux/proc-stat/node-exporter-8cpu.txt", true).json().getFirst();
        assertThat(stat.path("cpus").asInt()).isEqualTo(8);
        JsonNode gpu = parse("nvidia-smi-csv", "linux/nvidia-smi/query-gpu-csv/h100-80gb-hbm3-drv590.48.01-load.csv",
                true).json().getFirst();
        assertThat(gpu.path("power_draw_w").asDouble()).isEqualTo(631.95);
        assertThat(gpu.path("utilization_gpu_percent").asDouble()).isEqualTo(100.0);
    }

    @Test
    void unparseableInputIsAClearMessageAndExit1() {
        Run r = parse("nvidia-smi-csv",
                "linux/nvidia-smi/query-gpu-csv/h100-80gb-hbm3-drv590.48.01-load-compute-apps.csv", false);
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err).contains("no nvidia-smi-csv records found (3 unreadable skipped)");
        Run wrong = parse("powermetrics-plist", "linux/proc-stat/jc-2cpu-vm.txt", false);
        assertThat(wrong.status).isEqualTo(1);
        assertThat(wrong.err).contains("no powermetrics-plist records found");
        Run unknown = parse("yaml", "linux/proc-stat/jc-2cpu-vm.txt", false);
        assertThat(unknown.status).isEqualTo(1);
        assertThat(unknown.err).contains("--format must be one of journald-json, syslog");
        Run missing = parse("top", "/nonexistent/file", false);
        assertThat(missing.status).isEqualTo(1);
        assertThat(missing.err).contains("cannot read /nonexistent/file: no such file");
    }

    @Test
    void partlyParseableInputPrintsWhatParsedAndCountsTheRest(@TempDir Path tmp) throws Exception {
        String good = Fixtures.text("macos/log/show-json-entries-kernel-hfs-and-unmountagent-macos15.json");
        Path f = Files.writeString(tmp.resolve("mixed.json"), good + "\nthis is not json\n{\"broken\": \n");
        Run r = parse("oslog-json", f.toString(), true);
        assertThat(r.status).isZero();
        assertThat(r.json()).hasSize(2);
        assertThat(r.err).isEqualTo("parse: 2 records read, 2 skipped as unreadable\n");
    }
}
