package dev.eyes.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.analysis.Insight;
import dev.eyes.event.Severity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertTextTest {
    @Test
    void titleAndBodyAsTheOriginalWritesThem() {
        Insight i = new Insight("nginx cannot reach its upstream", "the upstream is down",
                List.of("Check the upstream", "Read its log", "Restart it", "Page the owner", "Write it down"),
                List.of("12 refused connections", "upstream port closed", "third line"), "high", "medium",
                List.of("only 10 s of logs", "no metrics"), Severity.WARNING);
        assertThat(AlertText.title(i)).isEqualTo("System Alert: nginx cannot reach its upstream");
        assertThat(AlertText.body(i)).isEqualTo("""
                Cause: the upstream is down

                Observation confidence: high
                Diagnosis confidence: medium
                Evidence: 12 refused connections
                Evidence: upstream port closed
                Limitation: only 10 s of logs

                Recommendations:
                1. Check the upstream
                2. Read its log
                3. Restart it
                ... and 2 more recommendations""");
        Insight bare = new Insight("disk full", null, List.of(), List.of(), "low", "low", List.of(), Severity.INFO);
        assertThat(AlertText.body(bare)).isEqualTo("""
                Observation confidence: low
                Diagnosis confidence: low

                No specific recommendations available.""");
    }

    @Test
    void longTextsAreCutOnCharacterBoundaries() {
        // 3-byte characters and 4-byte emoji: any cut at a byte count would split one
        String summary = "é€😀".repeat(200);
        Insight i = new Insight(summary, "x".repeat(2000), List.of(), List.of(), "high", "high", List.of(),
                Severity.CRITICAL);
        String title = AlertText.title(i);
        byte[] t = title.getBytes(StandardCharsets.UTF_8);
        assertThat(t.length).isLessThanOrEqualTo(256).isGreaterThan(250);
        assertThat(title).endsWith("...").startsWith("System Alert: é€😀");
        assertThat(new String(t, StandardCharsets.UTF_8)).isEqualTo(title);
        assertThat(title.chars().anyMatch(c -> c == '?')).isFalse();
        String body = AlertText.body(i);
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isEqualTo(1024);
        assertThat(body).startsWith("Cause: xxx").endsWith("x...");
        for (int max = 3; max < 40; max++) {
            String cut = AlertText.truncate("a😀é€".repeat(10), max);
            assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
            assertThat(cut).endsWith("...");
            assertThat(Character.isHighSurrogate(cut.charAt(Math.max(0, cut.length() - 4)))).isFalse();
        }
        assertThat(AlertText.truncate("short", 256)).isEqualTo("short");
    }
}
