package dev.eyes.source.oslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.LogFormat;
import dev.eyes.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsLogDecoderTest {

    private static List<LogEvent> decode(OsLogDecoder d, String text) throws InterruptedException {
        List<LogEvent> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            d.feedText(line, (e, p) -> out.add(e));
        }
        d.finish((e, p) -> out.add(e));
        return out;
    }

    @Test
    void logShowJsonWithBannersAndAnArray() throws Exception {
        OsLogDecoder d = new OsLogDecoder();
        List<LogEvent> events = decode(d, Fixtures.text("macos/log/show-json-source-banner-sierra-era-2018.txt"));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.timestamp()).isEqualTo(Instant.parse("2018-06-10T15:47:50.829488Z"));
            assertThat(e.messageType()).as("Default is info").isEqualTo(MessageType.INFO);
            assertThat(e.subsystem()).isEqualTo("os_log_inlinable");
            assertThat(e.category()).isEqualTo("test");
            assertThat(e.process()).as("no process, no processImagePath").isEmpty();
            assertThat(e.processId()).isEqualTo(95957);
            assertThat(e.message()).isEqualTo("Hello, World!");
        });
        assertThat(d.counters().skipped()).as("banners are not malformed records").isZero();
        assertThat(d.ignored()).isEqualTo(2);
    }

    @Test
    void concatenatedObjectsWithProcessFromTheImagePath() throws Exception {
        OsLogDecoder d = new OsLogDecoder();
        List<LogEvent> events = decode(d, Fixtures.text(
                "macos/log/show-json-entries-kernel-hfs-and-unmountagent-macos15.json"));
        assertThat(events).hasSize(2);
        LogEvent kernel = events.get(0);
        assertThat(kernel.process()).isEqualTo("kernel");
        assertThat(kernel.processId()).isZero();
        assertThat(kernel.subsystem()).isEmpty();
        assertThat(kernel.message()).isEqualTo("hfs: mounted Firefox on device disk4s3");
        assertThat(kernel.timestamp()).isEqualTo(Instant.parse("2025-07-27T19:31:22.695081Z"));
        LogEvent agent = events.get(1);
        assertThat(agent.process()).isEqualTo("UnmountAssistantAgent");
        assertThat(agent.processId()).isEqualTo(28508);
        assertThat(agent.subsystem()).isEqualTo("com.apple.UnmountAssistantAgent");
        assertThat(agent.category()).isEqualTo("IPC");
        assertThat(agent.message()).isEqualTo("Volume \"file:///Volumes/Firefox/\" was unmounted");
        assertThat(d.counters().read()).isEqualTo(2);
        assertThat(d.counters().skipped()).isZero();
    }

    @Test
    void ndjsonStreamWithLevelsMessageAliasAndTrailer() throws Exception {
        OsLogDecoder d = new OsLogDecoder();
        List<LogEvent> events = decode(d, """
                Filtering the log data using "messageType == error OR messageType == fault"
                {"timestamp":"2024-12-09 10:30:45.123456-0800","messageType":"Error","eventType":"logEvent","subsystem":"com.apple.x","category":"net","process":"WindowServer","processID":411,"eventMessage":"boom"}
                {"timestamp":"2024-12-09 10:30:46.5+0100","messageType":"Fault","processImagePath":"/usr/libexec/syspolicyd","processID":7,"message":"via message"}
                {"timestamp":"2024-12-09 10:30:47-0800","messageType":"Debug","eventType":"activityCreateEvent","eventMessage":"x"}
                {"timestamp":"2024-12-09 10:30:48.000000-0800","messageType":"Bogus","eventMessage":"bad level"}
                {"messageType":"Error","eventMessage":"no time"}
                not json at all
                {"count":3,"finished":1}
                """);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.parse("2024-12-09T18:30:45.123456Z"));
        assertThat(events.get(0).messageType()).isEqualTo(MessageType.ERROR);
        assertThat(events.get(0).process()).isEqualTo("WindowServer");
        assertThat(events.get(1).timestamp()).isEqualTo(Instant.parse("2024-12-09T09:30:46.500Z"));
        assertThat(events.get(1).messageType()).isEqualTo(MessageType.FAULT);
        assertThat(events.get(1).process()).isEqualTo("syspolicyd");
        assertThat(events.get(1).message()).isEqualTo("via message");
        assertThat(d.counters().skipped()).as("bad level, no time, not json").isEqualTo(3);
        assertThat(d.ignored()).as("banner, activity, trailer").isEqualTo(3);
    }

    @Test
    void detectsOsLogRecordings() {
        byte[] json = Fixtures.bytes("macos/log/show-json-source-banner-sierra-era-2018.txt");
        assertThat(LogFormat.detect(json, json.length)).isEqualTo(LogFormat.OSLOG_JSON);
        byte[] pasted = Fixtures.bytes("macos/log/show-json-entries-kernel-hfs-and-unmountagent-macos15.json");
        assertThat(LogFormat.detect(pasted, pasted.length)).isEqualTo(LogFormat.OSLOG_JSON);
        byte[] nd = ("{\"timestamp\":\"2024-12-09 10:30:45.123456-0800\",\"messageType\":\"Error\","
                + "\"eventMessage\":\"x\"}\n").getBytes(StandardCharsets.UTF_8);
        assertThat(LogFormat.detect(nd, nd.length)).isEqualTo(LogFormat.OSLOG_NDJSON);
        byte[] journal = Fixtures.bytes("linux/journalctl/json-old-spaced-style-imx6ul-2018-lnav.json");
        assertThat(LogFormat.detect(journal, journal.length)).isEqualTo(LogFormat.JOURNALD_JSON);
        assertThat(LogFormat.parse("oslog-ndjson")).isEqualTo(LogFormat.OSLOG_NDJSON);
        assertThat(LogFormat.parse("oslog-json").newDecoder(dev.eyes.config.LoggingConfig.defaults(), "x",
                Instant::now)).isInstanceOf(OsLogDecoder.class);
    }

    @Test
    void basenames() {
        assertThat(OsLogDecoder.basename("/kernel")).isEqualTo("kernel");
        assertThat(OsLogDecoder.basename("/a/b/")).isEqualTo("b");
        assertThat(OsLogDecoder.basename("plain")).isEqualTo("plain");
        assertThat(OsLogDecoder.basename(null)).isEmpty();
    }
}
