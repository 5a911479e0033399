package dev.eyes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    @Test
    void newlineSearchAgreesWithAPlainScanEverywhere() {
        Random rnd = new Random(1);
        for (int round = 0; round < 20_000; round++) {
            byte[] a = new byte[rnd.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                int r = rnd.nextInt(10);
                a[i] = (byte) (r == 0 ? '\n' : r == 1 ? 0x0B : r == 2 ? (byte) 0x8A : r == 3 ? 0 : rnd.nextInt(256));
            }
            int from = a.length == 0 ? 0 : rnd.nextInt(a.length + 1);
            int to = from + (a.length - from == 0 ? 0 : rnd.nextInt(a.length - from + 1));
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (a[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(LineReader.indexOfNewline(a, from, to)).isEqualTo(expected);
        }
    }

    @Test
    void linesAcrossReadsCarriageReturnsAndAPartialLastLine() throws Exception {
        byte[] input = "one\r\ntwo\n\nthree-without-newline".getBytes(StandardCharsets.UTF_8);
        // a stream that returns one byte per read, so every line spans reads
        InputStream slow = new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < input.length ? input[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= input.length) {
                    return -1;
                }
                b[off] = input[pos++];
                return 1;
            }
        };
        List<String> lines = new ArrayList<>();
        List<Integer> consumed = new ArrayList<>();
        int partial = new LineReader(slow, 100).readAll((buf, len, t, c) -> {
            lines.add(new String(buf, 0, len, StandardCharsets.UTF_8));
            consumed.add(c);
        }, false);
        assertThat(lines).containsExactly("one", "two", "");
        assertThat(consumed).containsExactly(5, 4, 1);
        assertThat(partial).isEqualTo("three-without-newline".length());
        List<String> all = new ArrayList<>();
        new LineReader(new ByteArrayInputStream(input), 100).readAll((buf, len, t, c) ->
                all.add(new String(buf, 0, len, StandardCharsets.UTF_8)), true);
        assertThat(all).containsExactly("one", "two", "", "three-without-newline");
    }
}
