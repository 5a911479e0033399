package dev.eyes.source.metrics.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eyes.event.MeasurementKind;
import dev.eyes.event.MemoryPressure;
import dev.eyes.event.MetricsEvent;
import dev.eyes.event.MetricsSource;
import dev.eyes.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PowermetricsTest {
    private static final String DIR = "macos/powermetrics/";

    private static Powermetrics sample(String file) throws Exception {
        List<byte[]> docs = frame(Fixtures.bytes(DIR + file));
        assertThat(docs).as(file).hasSize(1);
        return Powermetrics.from(Plist.parse(docs.getFirst()));
    }

    static List<byte[]> frame(byte[] content) throws InterruptedException {
        List<byte[]> docs = new ArrayList<>();
        PlistFramer f = new PlistFramer(16 << 20);
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                f.feedLine(content, start, i - start, (d, n) -> docs.add(java.util.Arrays.copyOf(d, n)));
                start = i + 1;
            }
        }
        f.finish((d, n) -> docs.add(d));
        return docs;
    }

    @Test
    void appleSiliconM1() throws Exception {
        Powermetrics pm = sample("m1-macbookpro17_1-macos13-pumas.plist");
        assertThat(pm.timestamp()).isEqualTo(Instant.parse("2023-04-01T13:18:36Z"));
        assertThat(pm.hwModel()).isEqualTo("MacBookPro17,1");
        assertThat(pm.elapsedMs()).isCloseTo(2019.17875, within(1e-6));
        assertThat(pm.cpuPowerMw()).isEqualTo(44.0773);
        assertThat(pm.gpuPowerMw()).isEqualTo(15.3528);
        assertThat(pm.cpuCount()).isEqualTo(8);
        // no tasks sampler: mean active residency of the 8 CPUs
        assertThat(pm.cpuUsageKind()).isEqualTo(MeasurementKind.DERIVED);
        assertThat(pm.cpuUsagePercent()).isCloseTo(4.5145, within(1e-3));
        assertThat(pm.gpuUsagePercent()).isCloseTo((1 - 0.983341) * 100, within(1e-9));
        assertThat(pm.thermalPressure()).isEqualTo("Nominal");
        assertThat(pm.tasks()).isEmpty();
    }

    @Test
    void appleSiliconM1SecondCapture() throws Exception {
        Powermetrics pm = sample("m1-macbookpro17_1-macos13-pumas-2.plist");
        assertThat(pm.cpuPowerMw()).isEqualTo(102.663);
        assertThat(pm.gpuPowerMw()).isEqualTo(19.0117);
        assertThat(pm.gpuUsagePercent()).isCloseTo(5.9796, within(1e-3));
        assertThat(pm.cpuUsagePercent()).isCloseTo(10.4586, within(1e-3));
    }

    @Test
    void appleSiliconM4MaxWithTasks() throws Exception {
        Powermetrics pm = sample("m4max-mac16_5-macos26-tasks-trimmed-pause-monitor.plist");
        assertThat(pm.timestamp()).isEqualTo(Instant.parse("2026-01-22T21:07:07Z"));
        assertThat(pm.cpuPowerMw()).isEqualTo(2978.45);
        assertThat(pm.gpuPowerMw()).isEqualTo(269.614);
        assertThat(pm.cpuCount()).isEqualTo(16);
        // all_tasks 1542.22 ms/s over 16 CPUs
        assertThat(pm.cpuUsageKind()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(pm.cpuUsagePercent()).isCloseTo(1542.22 / 16000 * 100, within(1e-9));
        assertThat(pm.gpuUsagePercent()).isCloseTo((1 - 0.877343) * 100, within(1e-9));
        assertThat(pm.tasks()).hasSize(70).as("DEAD_TASKS (pid -1) left out")
                .noneMatch(t -> t.pid() < 0);
        assertThat(pm.tasks().getFirst()).isEqualTo(new Powermetrics.Task(55249, "2.1.15", 630.672));
    }

    @Test
    void intelHaswellPackageWattsAndGpuArray() throws Exception {
        Powermetrics pm = sample("intel-haswell-macbookpro11_3-10.9-catapult.plist");
        assertThat(pm.hwModel()).isEqualTo("MacBookPro11,3");
        assertThat(pm.cpuPowerMw()).as("package_watts is in W").isCloseTo(3037.13, within(1e-6));
        assertThat(pm.gpuPowerMw()).as("the iGPU is inside the package figure").isNull();
        assertThat(pm.cpuCount()).isEqualTo(8);
        assertThat(pm.cpuUsagePercent()).isCloseTo(136.35 / 8000 * 100, within(1e-9));
        assertThat(pm.gpuUsagePercent()).as("c_state_ratio 1.0: idle").isZero();
        assertThat(pm.thermalPressure()).isNull();
        assertThat(pm.tasks()).hasSize(30);
    }

    @Test
    void eventFromASampleCarriesProvenance() throws Exception {
        Powermetrics pm = sample("m4max-mac16_5-macos26-tasks-trimmed-pause-monitor.plist");
        MetricsEvent e = pm.toEvent(Instant.EPOCH, MemoryPressure.WARNING, MeasurementKind.MEASURED, 24128.0,
                MeasurementKind.DERIVED, List.of());
        assertThat(e.timestamp()).isEqualTo(pm.timestamp());
        assertThat(e.energyImpact()).isCloseTo(2978.45 + 269.614, within(0.01));
        assertThat(e.provenance().source()).isEqualTo(MetricsSource.POWERMETRICS);
        assertThat(e.provenance().cpuPower()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(e.provenance().energyImpact()).isEqualTo(MeasurementKind.DERIVED);
        assertThat(e.provenance().memoryPressure()).isEqualTo(MeasurementKind.MEASURED);
        assertThat(e.memoryPressure()).isEqualTo(MemoryPressure.WARNING);
    }

    @Test
    void noProcessorDictAtAllAndEnergyOnlyGpu() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0"><dict>
                <key>elapsed_ns</key><integer>500000000</integer>
                <key>gpu</key><dict><key>idle_ratio</key><real>0.25</real><key>gpu_energy</key><integer>100</integer></dict>
                </dict></plist>
                """;
        Powermetrics pm = Powermetrics.from(Plist.parse(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(pm.cpuPowerMw()).isNull();
        assertThat(pm.cpuUsagePercent()).isNull();
        assertThat(pm.cpuUsageKind()).isEqualTo(MeasurementKind.UNAVAILABLE);
        assertThat(pm.gpuPowerMw()).as("100 mJ over 0.5 s").isCloseTo(200.0, within(1e-9));
        assertThat(pm.gpuUsagePercent()).isEqualTo(75.0);
        assertThat(pm.timestamp()).isNull();
        MetricsEvent e = pm.toEvent(Instant.EPOCH, MemoryPressure.UNKNOWN, MeasurementKind.UNAVAILABLE, null,
                MeasurementKind.UNAVAILABLE, List.of());
        assertThat(e.timestamp()).isEqualTo(Instant.EPOCH);
        assertThat(e.energyImpact()).as("no CPU power: no energy figure").isNull();
        assertThat(e.provenance().cpuPower()).isEqualTo(MeasurementKind.UNAVAILABLE);
    }

    @Test
    void framingByNulAndByEndTagAcrossSamples() throws Exception {
        byte[] one = Fixtures.bytes(DIR + "m1-macbookpro17_1-macos13-pumas.plist");
        byte[] two = Fixtures.bytes(DIR + "m1-macbookpro17_1-macos13-pumas-2.plist");
        // as powermetrics streams: doc NUL doc NUL, the NUL at the start of the next line
        byte[] stream = new byte[one.length + two.length + 2];
        System.arraycopy(one, 0, stream, 0, one.length);
        stream[one.length] = 0;
        System.arraycopy(two, 0, stream, one.length + 1, two.length);
        stream[stream.length - 1] = 0;
        List<byte[]> docs = frame(stream);
        assertThat(docs).hasSize(2);
        assertThat(Powermetrics.from(Plist.parse(docs.get(0))).cpuPowerMw()).isEqualTo(44.0773);
        assertThat(Powermetrics.from(Plist.parse(docs.get(1))).cpuPowerMw()).isEqualTo(102.663);
        // a truncated last document is dropped, not parsed
        byte[] cut = java.util.Arrays.copyOf(stream, one.length + 1 + two.length / 2);
        PlistFramer f = new PlistFramer(16 << 20);
        List<byte[]> got = new ArrayList<>();
        feedAll(f, cut, got);
        f.finish((d, n) -> got.add(d));
        assertThat(got).hasSize(1);
        assertThat(f.dropped()).isEqualTo(1);
    }

    private static void feedAll(PlistFramer f, byte[] content, List<byte[]> out) throws InterruptedException {
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                f.feedLine(content, start, i - start, (d, n) -> out.add(java.util.Arrays.copyOf(d, n)));
                start = i + 1;
            }
        }
    }

    @Test
    void oversizedDocumentsAreDropped() throws Exception {
        PlistFramer f = new PlistFramer(100);
        List<byte[]> got = new ArrayList<>();
        byte[] big = ("<plist><dict>" + "<key>k</key><string>x</string>".repeat(20) + "</dict></plist>")
                .getBytes(StandardCharsets.UTF_8);
        f.feedLine(big, 0, big.length, (d, n) -> got.add(d));
        byte[] small = "<plist><true/></plist>".getBytes(StandardCharsets.UTF_8);
        f.feedLine(small, 0, small.length, (d, n) -> got.add(java.util.Arrays.copyOf(d, n)));
        assertThat(f.dropped()).isEqualTo(1);
        assertThat(got).hasSize(1);
        assertThat(Plist.parse(got.getFirst())).isEqualTo(true);
    }

    @Test
    void plistValueTypes() throws Exception {
        String xml = "<plist><dict><key>s</key><string>a &amp; b</string><key>i</key><integer>-3</integer>"
                + "<key>big</key><integer>99999999999999999999</integer><key>r</key><real>1.5e3</real>"
                + "<key>t</key><true/><key>f</key><false/><key>d</key><date>2024-01-01T00:00:00Z</date>"
                + "<key>b</key><data>aGk=</data><key>a</key><array><integer>1</integer><dict/></array></dict></plist>";
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Plist.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(m.get("s")).isEqualTo("a & b");
        assertThat(m.get("i")).isEqualTo(-3L);
        assertThat(m.get("big")).isEqualTo(1e20);
        assertThat(m.get("r")).isEqualTo(1500.0);
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m.get("f")).isEqualTo(false);
        assertThat(m.get("d")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat((byte[]) m.get("b")).containsExactly('h', 'i');
        assertThat((List<?>) m.get("a")).hasSize(2);
    }

    @Test
    void plistRefusesExternalEntitiesAndEntityExpansion() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<plist><string>&xxe;</string></plist>";
        assertThatThrownBy(() -> Plist.parse(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Plist.PlistException.class);
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                + "<plist><string>&c;</string></plist>";
        assertThatThrownBy(() -> Plist.parse(laughs.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Plist.PlistException.class);
        String deep = "<plist>" + "<array>".repeat(100) + "</array>".repeat(100) + "</plist>";
        assertThatThrownBy(() -> Plist.parse(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Plist.PlistException.class).hasMessageContaining("nested");
        assertThatThrownBy(() -> Plist.parse("<dict/>".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not <plist>");
        assertThatThrownBy(() -> Plist.parse("<plist><dict><key>x</key></dict></plist>"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no value");
    }

    /** Found by ParserFuzz: a sample with bytes that are not UTF-8 is unreadable, without the JDK's stderr noise. */
    @Test
    void invalidUtf8IsAPlistErrorAndPrintsNothing() throws Exception {
        byte[] xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>hw_model</key>"
                .concat("<string>X</string></dict></plist>").getBytes(StandardCharsets.UTF_8);
        byte[] bad = xml.clone();
        bad[xml.length - 25] = (byte) 0xFF; // the string value "X"
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> Plist.parse(bad))
                    .isInstanceOf(Plist.PlistException.class);
        } finally {
            System.setErr(before);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Plist.asDict(Plist.parse(xml))).containsEntry("hw_model", "X");
    }

    /** Found by ParserFuzz (bin/soak R4): package_watts of 1e306 became Infinity mW (so
     * would an energy of 1e308 mJ over 1 ns). */
    @Test
    void anOverflowingPowerIsAbsentNotInfinite() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
                + "<key>elapsed_ns</key><integer>1</integer><key>processor</key><dict>"
                + "<key>package_watts</key><real>1e306</real><key>cpu_energy</key><real>1e308</real></dict>"
                + "</dict></plist>";
        Powermetrics pm = Powermetrics.from(Plist.parse(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(pm.cpuPowerMw()).isNull();
    }
}
