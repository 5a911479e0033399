package dev.eyes.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The stdio transport's line reader: terminators, UTF-8 across reads, and the length limit. */
class LinesTest {
    /** Hands out at most {@code chunk} bytes per read, as a pipe may. */
    static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void linesWithEitherTerminatorAndALastOneWithout() throws IOException {
        byte[] in = "{\"a\":1}\r\n\n{\"b\":\"é✓\"}\nlast".getBytes(StandardCharsets.UTF_8);
        StdioTransport.Lines lines = new StdioTransport.Lines(trickle(in, 3), 100);
        assertThat(lines.next()).isEqualTo("{\"a\":1}");
        assertThat(lines.next()).isEmpty();
        assertThat(lines.next()).isEqualTo("{\"b\":\"é✓\"}");
        assertThat(lines.next()).isEqualTo("last");
        assertThat(lines.next()).isNull();
        assertThat(lines.next()).isNull();
    }

    @Test
    void aLineOverTheLimitIsSkippedWholeAndReadingGoesOn() throws IOException {
        String longLine = "x".repeat(25);
        byte[] in = ("ok\n" + longLine + "\n" + "x".repeat(10) + "\nafter\n" + longLine)
                .getBytes(StandardCharsets.UTF_8);
        StdioTransport.Lines lines = new StdioTransport.Lines(trickle(in, 4), 10);
        assertThat(lines.next()).isEqualTo("ok");
        assertThat(lines.next()).isSameAs(StdioTransport.Lines.TOO_LONG);
        assertThat(lines.next()).isEqualTo("x".repeat(10));
        assertThat(lines.next()).isEqualTo("after");
        assertThat(lines.next()).isSameAs(StdioTransport.Lines.TOO_LONG);
        assertThat(lines.next()).isNull();
    }
}
