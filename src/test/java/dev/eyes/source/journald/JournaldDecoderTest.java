package dev.eyes.source.journald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.source.LineReader;
import dev.eyes.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournaldDecoderTest {

    record Decoded(LogEvent event, String cursor) {
    }

    static List<Decoded> decode(JournaldDecoder d, byte[] input) throws Exception {
        List<Decoded> out = new ArrayList<>();
        LineReader r = new LineReader(new ByteArrayInputStream(input), LineReader.DEFAULT_MAX_LINE);
        r.readAll((buf, len, truncated, consumed) -> d.feedLine(buf, 0, len, truncated,
                (e, c) -> out.add(new Decoded(e, c))), true);
        d.finish((e, c) -> out.add(new Decoded(e, c)));
        return out;
    }

    static List<Decoded> decode(String text) throws Exception {
        return decode(new JournaldDecoder(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oldSpacedStyleLines() throws Exception {
        JournaldDecoder d = new JournaldDecoder();
        List<Decoded> out = decode(d, Fixtures.bytes("linux/journalctl/json-old-spaced-style-imx6ul-2018-lnav.json"));
        assertThat(out).hasSize(2);
        LogEvent first = out.get(0).event();
        assertThat(first.timestamp()).isEqualTo(Instant.ofEpochSecond(1534860261L, 221_373_000L));
        assertThat(first.messageType()).isEqualTo(MessageType.FAULT); // PRIORITY 1 = alert
        assertThat(first.process()).isEqualTo("python");
        assertThat(first.processId()).isEqualTo(184);
        assertThat(first.subsystem()).isEqualTo("medusa-GpsLocator.service");
        assertThat(first.category()).isEqualTo("daemon"); // SYSLOG_FACILITY 3
        assertThat(first.message()).isEqualTo("GPS Reference longitude: 7.358143333");
        assertThat(out.get(0).cursor()).startsWith("s=e991dd5775894620914f2f7126aae6c1;i=372a;");
        assertThat(out.get(1).event().messageType()).isEqualTo(MessageType.INFO); // PRIORITY 6
        assertThat(out.get(1).event().message()).isEqualTo("GPS Reference latitude: 46.908706667");
        assertThat(d.counters().read()).isEqualTo(2);
        assertThat(d.counters().skipped()).isZero();
    }

    @Test
    void prettyPrintedObjectOverManyLines() throws Exception {
        JournaldDecoder d = new JournaldDecoder();
        List<Decoded> out = decode(d, Fixtures.bytes("linux/journalctl/json-pretty-single-event-beats.json"));
        assertThat(out).hasSize(1);
        LogEvent e = out.getFirst().event();
        assertThat(e.message()).isEqualTo("Count: 0000000001");
        assertThat(e.process()).isEqualTo("TestRestartsJournalctlOnError"); // SYSLOG_IDENTIFIER wins over _COMM
        assertThat(e.processId()).isEqualTo(235728);
        assertThat(e.subsystem()).isEqualTo("session-2.scope");
        assertThat(e.messageType()).isEqualTo(MessageType.INFO);
        assertThat(e.timestamp()).isEqualTo(Instant.ofEpochSecond(1724080855L, 230_058_000L));
        assertThat(out.getFirst().cursor()).contains("i=4eb1b1");
        assertThat(d.counters().skipped()).isZero();
    }

    @Test
    void coredumpWithByteArraysNullsAndMultiLineMessage() throws Exception {
        JournaldDecoder d = new JournaldDecoder();
        List<Decoded> out = decode(d, Fixtures.bytes("linux/journalctl/coredump-kdeconnectd-sigabrt-arch-beats.json"));
        assertThat(out).hasSize(1);
        LogEvent e = out.getFirst().event();
        assertThat(e.messageType()).isEqualTo(MessageType.FAULT); // PRIORITY 2 = crit
        assertThat(e.process()).isEqualTo("systemd-coredump");
        assertThat(e.processId()).isEqualTo(3740);
        assertThat(e.subsystem()).isEqualTo("systemd-coredump@0-3732-0.service");
        assertThat(e.message()).startsWith("Process 3717 (kdeconnectd) of user 1000 dumped core.")
                .contains("Stack trace of thread 3717").contains("\n");
        assertThat(d.counters().skipped()).isZero();
    }

    @Test
    void messageAsByteArrayIsDecodedAsUtf8WithReplacement() throws Exception {
        // "héllo" in UTF-8 then an invalid byte 0xff
        List<Decoded> out = decode("""
                {"__REALTIME_TIMESTAMP":"1700000000000000","PRIORITY":"3","MESSAGE":[104,195,169,108,108,111,32,255]}
                """);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().event().message()).isEqualTo("héllo \uFFFD");
        assertThat(out.getFirst().event().messageType()).isEqualTo(MessageType.ERROR);
    }

    @Test
    void repeatedFieldTakesTheFirstValue() throws Exception {
        List<Decoded> out = decode("""
                {"__REALTIME_TIMESTAMP":"1700000000000000","PRIORITY":["4","3"],"MESSAGE":["first","second"],"_PID":"7"}
                """);
        assertThat(out.getFirst().event().message()).isEqualTo("first");
        assertThat(out.getFirst().event().messageType()).isEqualTo(MessageType.WARNING);
    }

    @Test
    void prioritiesMapToLevels() throws Exception {
        String[] expected = {"FAULT", "FAULT", "FAULT", "ERROR", "WARNING", "INFO", "INFO", "DEBUG"};
        for (int p = 0; p <= 7; p++) {
            List<Decoded> out = decode("{\"__REALTIME_TIMESTAMP\":\"1\",\"PRIORITY\":\"" + p + "\",\"MESSAGE\":\"m\"}\n");
            assertThat(out.getFirst().event().messageType().name()).as("priority %d", p).isEqualTo(expected[p]);
        }
    }

    @Test
    void missingFieldsFallBack() throws Exception {
        List<Decoded> out = decode("""
                {"__REALTIME_TIMESTAMP":"1700000000000001","_COMM":"bash","MESSAGE":null}
                """);
        LogEvent e = out.getFirst().event();
        assertThat(e.process()).isEqualTo("bash"); // _COMM when no SYSLOG_IDENTIFIER
        assertThat(e.message()).isEmpty();
        assertThat(e.messageType()).isEqualTo(MessageType.INFO); // journald's default priority 6
        assertThat(e.subsystem()).isEmpty();
        assertThat(out.getFirst().cursor()).isNull();
    }

    @Test
    void malformedRecordsAreSkippedAndCountedWithoutStoppingTheReader() throws Exception {
        JournaldDecoder d = new JournaldDecoder();
        List<Decoded> out = decode(d, ("""
                {"__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":"ok 1"}
                {"__REALTIME_TIMESTAMP":"170000000000000
                not json at all
                {"MESSAGE":"no timestamp"}
                {"__REALTIME_TIMESTAMP":"abc","MESSAGE":"bad timestamp"}
                {"__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":"trailing"} garbage
                {"__REALTIME_TIMESTAMP":"1700000000000002","MESSAGE":"ok 2"}
                """).getBytes(StandardCharsets.UTF_8));
        // the complete record before "garbage" is kept; the garbage itself is counted
        assertThat(out).extracting(x -> x.event().message()).containsExactly("ok 1", "trailing", "ok 2");
        assertThat(d.counters().read()).isEqualTo(3);
        assertThat(d.counters().skipped()).isEqualTo(5);
    }

    @Test
    void truncatedLinesAreCountedAsSkipped() throws Exception {
        JournaldDecoder d = new JournaldDecoder();
        byte[] big = ("{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"" + "x".repeat(200) + "\"}\n"
                + "{\"__REALTIME_TIMESTAMP\":\"2\",\"MESSAGE\":\"small\"}\n").getBytes(StandardCharsets.UTF_8);
        List<Decoded> out = new ArrayList<>();
        new LineReader(new ByteArrayInputStream(big), 100).readAll((buf, len, truncated, consumed) ->
                d.feedLine(buf, 0, len, truncated, (e, c) -> out.add(new Decoded(e, c))), true);
        assertThat(out).extracting(x -> x.event().message()).containsExactly("small");
        assertThat(d.counters().skipped()).isEqualTo(1);
    }

    @Test
    void concatenatedAndArrayFramedObjects() throws Exception {
        List<Decoded> out = decode("""
                [{"__REALTIME_TIMESTAMP":"1","MESSAGE":"a"},
                 {"__REALTIME_TIMESTAMP":"2","MESSAGE":"b"}]
                {"__REALTIME_TIMESTAMP":"3","MESSAGE":"c"}{"__REALTIME_TIMESTAMP":"4","MESSAGE":"d {not a brace}"}
                """);
        assertThat(out).extracting(x -> x.event().message()).containsExactly("a", "b", "c", "d {not a brace}");
    }

    /**
     * Found by ParserFuzz: when the first of several objects on one line has a bad value (here a MESSAGE byte array
     * with a string in it; invalid UTF-8 in a field does the same), the objects after it are still read, and the bad
     * one is counted as skipped: no record is lost uncounted.
     */
    @Test
    void aBadValueInTheFirstOfSeveralObjectsOnALineLosesNothing() throws Exception {
        JournaldDecoder d = new JournaldDecoder();
        List<Decoded> out = decode(d, ("{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[1,\"x\"]} "
                + "{\"__REALTIME_TIMESTAMP\":\"2000000\",\"MESSAGE\":\"ok\"}\n").getBytes(StandardCharsets.UTF_8));
        assertThat(out).extracting(x -> x.event().message()).containsExactly("ok");
        assertThat(d.counters().read()).isEqualTo(1);
        assertThat(d.counters().skipped()).isEqualTo(1);

        JournaldDecoder alone = new JournaldDecoder();
        assertThat(decode(alone, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[1,\"x\"]}\n"
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(alone.counters().skipped()).isEqualTo(1);
    }
}
