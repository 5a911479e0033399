package dev.eyes.source.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.config.LoggingConfig;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.rule.BenignNoise;
import dev.eyes.rule.CrashDetectionRule;
import dev.eyes.source.LineReader;
import dev.eyes.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyslogDecoderTest {
    static final ZoneId UTC = ZoneOffset.UTC;
    static final Instant REF = Instant.parse("2026-06-15T12:00:00Z");

    static SyslogDecoder decoder() {
        return new SyslogDecoder(new ErrorInference(LoggingConfig.DEFAULT_ERROR_KEYWORDS), UTC, () -> REF);
    }

    static List<LogEvent> decode(SyslogDecoder d, byte[] bytes) throws Exception {
        List<LogEvent> out = new ArrayList<>();
        new LineReader(new ByteArrayInputStream(bytes), LineReader.DEFAULT_MAX_LINE).readAll(
                (buf, len, truncated, consumed) -> d.feedLine(buf, 0, len, truncated, (e, p) -> out.add(e)), true);
        return out;
    }

    static List<LogEvent> decode(String text) throws Exception {
        return decode(decoder(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rfc3164WithKernelTimestampAndInferredLevel() throws Exception {
        List<LogEvent> out = decode(decoder(), Fixtures.bytes("linux/crash-lines/syslog-compiz-segfault-i965-ubuntu16.04-2018.log"));
        assertThat(out).hasSize(2);
        LogEvent e = out.getFirst();
        assertThat(e.process()).isEqualTo("kernel");
        assertThat(e.message()).startsWith("[  242.324861] compiz[1855]: segfault at 0 ip 00007f580cd70986");
        assertThat(e.messageType()).isEqualTo(MessageType.ERROR); // "segfault" is an error keyword
        // Jan 10 21:27:17 with no year: the year that is not in the future relative to the reference
        assertThat(e.timestamp()).isEqualTo(LocalDateTime.of(2026, 1, 10, 21, 27, 17).toInstant(ZoneOffset.UTC));
    }

    @Test
    void grepPrefixedLinesAndSystemdCoreDumps() throws Exception {
        List<LogEvent> out = decode(decoder(), Fixtures.bytes(
                "linux/crash-lines/grep-syslog-fwupd-segfault-then-systemd-code-dumped-ubuntu17.04.log"));
        assertThat(out).extracting(LogEvent::process)
                .containsExactly("fwupd", "kernel", "systemd", "systemd", "systemd");
        assertThat(out.get(0).processId()).isEqualTo(13969);
        assertThat(out.get(0).message()).isEqualTo("Unknown board_id 204");
        assertThat(out.get(0).messageType()).isEqualTo(MessageType.INFO);
        assertThat(out.get(2).processId()).isEqualTo(1);
        assertThat(out.get(2).message()).isEqualTo("fwupd.service: Main process exited, code=dumped, status=11/SEGV");
        assertThat(out.get(3).messageType()).isEqualTo(MessageType.ERROR); // "failed"
        assertThat(out.get(0).timestamp()).isEqualTo(Instant.parse("2026-05-10T10:27:55Z"));
    }

    @Test
    void bareKernelMessageKeepsItsProcessAndPid() throws Exception {
        List<LogEvent> out = decode(decoder(), Fixtures.bytes("linux/crash-lines/bare-kernel-msg-cheese-segfault-libc2.15-2012.log"));
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().process()).isEqualTo("cheese");
        assertThat(out.getFirst().processId()).isEqualTo(4075);
        assertThat(out.getFirst().message()).startsWith("segfault at 0 ip 00007f66a9376096");
        assertThat(out.getFirst().messageType()).isEqualTo(MessageType.ERROR);
        assertThat(out.getFirst().timestamp()).isEqualTo(REF); // no time of its own
    }

    @Test
    void messagesOnlyAndDmesgLinesAreKeptAsMessages() throws Exception {
        List<LogEvent> cat = decode(decoder(), Fixtures.bytes("linux/crash-lines/journal-cat-fprintd-code-dumped.log"));
        assertThat(cat).extracting(LogEvent::message).containsExactly(
                "fprintd.service: Main process exited, code=dumped, status=11/SEGV",
                "fprintd.service: Failed with result 'core-dump'.");
        List<LogEvent> dmesg = decode(decoder(), Fixtures.bytes("linux/crash-lines/dmesg-oom-early-boot-rhel9-collapsed-spaces.log"));
        assertThat(dmesg).hasSize(3);
        assertThat(dmesg.get(1).message()).contains("Out of memory: Killed process 931 (firewalld)");
        assertThat(dmesg.get(1).messageType()).isEqualTo(MessageType.ERROR);
        assertThat(dmesg.get(0).messageType()).isEqualTo(MessageType.INFO);
    }

    @Test
    void nullInstructionPointerLines() throws Exception {
        List<LogEvent> out = decode(decoder(), Fixtures.bytes("linux/crash-lines/messages-operapluginwrap-segfault-ip-null-2010.log"));
        assertThat(out).hasSize(2);
        assertThat(out).allSatisfy(e -> {
            assertThat(e.process()).isEqualTo("kernel");
            assertThat(e.message()).contains("segfault at 0 ip (null)");
            assertThat(e.timestamp()).isEqualTo(Instant.parse("2025-09-27T20:56:40Z")); // Sep 27 is after Jun 15: last year
        });
    }

    @Test
    void everyCrashFixtureFiresTheCrashRule() throws Exception {
        CrashDetectionRule rule = new CrashDetectionRule(List.of(), Duration.ofSeconds(10), new BenignNoise(List.of()));
        for (var file : Fixtures.all("linux/crash-lines")) {
            List<LogEvent> events = decode(decoder(), java.nio.file.Files.readAllBytes(file));
            boolean crash = events.stream().anyMatch(e -> e.messageType().isErrorOrFault()
                    && rule.signature(e.message()) != null);
            assertThat(crash).as(file.getFileName().toString()).isTrue();
        }
    }

    @Test
    void rfc5424WithStructuredDataAndPriority() throws Exception {
        List<LogEvent> out = decode("""
                <165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="App\\]lication"] \uFEFFAn application event log entry
                <11>1 2024-05-01T10:00:00+02:00 host app 4242 - - something broke
                """);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).message()).isEqualTo("An application event log entry");
        assertThat(out.get(0).process()).isEqualTo("evntslog");
        assertThat(out.get(0).subsystem()).isEqualTo("ID47");
        assertThat(out.get(0).category()).isEqualTo("local4");
        assertThat(out.get(0).messageType()).isEqualTo(MessageType.INFO); // 165 & 7 = 5 notice
        assertThat(out.get(0).timestamp()).isEqualTo(Instant.parse("2003-10-11T22:14:15.003Z"));
        assertThat(out.get(1).messageType()).isEqualTo(MessageType.ERROR); // 11 & 7 = 3
        assertThat(out.get(1).processId()).isEqualTo(4242);
        assertThat(out.get(1).timestamp()).isEqualTo(Instant.parse("2024-05-01T08:00:00Z"));
    }

    @Test
    void priorityPrefixOnBsdLinesOverridesInference() throws Exception {
        List<LogEvent> out = decode("<14>Jun  1 09:00:00 host app[7]: error in the text but priority says info\n");
        assertThat(out.getFirst().messageType()).isEqualTo(MessageType.INFO);
        assertThat(out.getFirst().category()).isEqualTo("user");
        assertThat(out.getFirst().processId()).isEqualTo(7);
    }

    @Test
    void rsyslogHighPrecisionFormat() throws Exception {
        List<LogEvent> out = decode("2026-05-01T10:00:00.123456+00:00 vm sshd[812]: Failed password for root\n");
        LogEvent e = out.getFirst();
        assertThat(e.process()).isEqualTo("sshd");
        assertThat(e.processId()).isEqualTo(812);
        assertThat(e.messageType()).isEqualTo(MessageType.ERROR);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-05-01T10:00:00.123456Z"));
    }

    @Test
    void errorInferenceUsesWholeWords() {
        ErrorInference inf = new ErrorInference(LoggingConfig.DEFAULT_ERROR_KEYWORDS);
        assertThat(inf.infer("Connection refused")).isEqualTo(MessageType.ERROR);
        assertThat(inf.infer("request timed out after 30s")).isEqualTo(MessageType.ERROR);
        assertThat(inf.infer("errorless run, no terror")).isEqualTo(MessageType.INFO);
        assertThat(inf.infer("all good")).isEqualTo(MessageType.INFO);
        assertThat(new ErrorInference(List.of()).infer("error")).isEqualTo(MessageType.INFO);
    }

    @Test
    void blankLinesAreIgnoredAndContinuationLinesKept() throws Exception {
        SyslogDecoder d = decoder();
        List<LogEvent> out = decode(d, "Jun  1 09:00:00 host app[7]: first\n\n   at frame 2\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out).extracting(LogEvent::message).containsExactly("first", "at frame 2");
        assertThat(out.get(1).timestamp()).isEqualTo(out.get(0).timestamp());
        assertThat(d.counters().read()).isEqualTo(2);
    }

    @Test
    void randomAndMutatedInputNeverThrows() throws Exception {
        Random rnd = new Random(42);
        List<byte[]> seeds = new ArrayList<>();
        for (var f : Fixtures.all("linux/crash-lines")) {
            seeds.add(java.nio.file.Files.readAllBytes(f));
        }
        for (int i = 0; i < 5000; i++) {
            byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
            for (int k = 0; k < 1 + rnd.nextInt(5); k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextBoolean()) {
                b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            SyslogDecoder d = decoder();
            List<LogEvent> out = decode(d, b);
            assertThat(d.counters().read()).isEqualTo(out.size());
        }
    }
}
