package dev.eyes.source.journald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.eyes.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and mutated input never throws out of the decoder, and every record is either read or counted skipped. */
class JournaldDecoderPropertyTest {

    private static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (Path p : Fixtures.all("linux/journalctl")) {
            seeds.add(Files.readAllBytes(p));
        }
        seeds.add("""
                {"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1700000000000000","PRIORITY":"3","MESSAGE":[104,105],"_PID":"1"}
                """.getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    @Test
    void randomStringsNeverThrow() {
        qt().withExamples(3000).forAll(strings().allPossible().ofLengthBetween(0, 300)).checkAssert(s -> {
            JournaldDecoder d = new JournaldDecoder();
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            try {
                d.feedLine(b, 0, b.length, false, (e, c) -> {
                });
                d.finish((e, c) -> {
                });
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void mutatedRealRecordsNeverThrowAndAreAccountedFor() throws Exception {
        List<byte[]> seeds = seeds();
        qt().withExamples(4000).forAll(integers().between(0, Integer.MAX_VALUE - 1)).checkAssert(seed -> {
            Random rnd = new Random(seed);
            byte[] base = seeds.get(rnd.nextInt(seeds.size())).clone();
            byte[] mutated = mutate(base, rnd);
            JournaldDecoder d = new JournaldDecoder();
            int[] emitted = {0};
            try {
                List<byte[]> lines = splitLines(mutated);
                for (byte[] line : lines) {
                    d.feedLine(line, 0, line.length, false, (e, c) -> {
                        assertThat(e.timestamp()).isNotNull();
                        assertThat(e.message()).isNotNull();
                        emitted[0]++;
                    });
                }
                d.finish((e, c) -> emitted[0]++);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(d.counters().read()).isEqualTo(emitted[0]);
        });
    }

    static byte[] mutate(byte[] b, Random rnd) {
        int ops = 1 + rnd.nextInt(6);
        byte[] out = b;
        for (int i = 0; i < ops && out.length > 0; i++) {
            int pos = rnd.nextInt(out.length);
            switch (rnd.nextInt(5)) {
                case 0 -> out[pos] = (byte) rnd.nextInt(256);
                case 1 -> out = java.util.Arrays.copyOf(out, pos); // truncate
                case 2 -> {
                    byte[] n = new byte[out.length + 1];
                    System.arraycopy(out, 0, n, 0, pos);
                    n[pos] = (byte) "{}[]\",:\\0".charAt(rnd.nextInt(9));
                    System.arraycopy(out, pos, n, pos + 1, out.length - pos);
                    out = n;
                }
                case 3 -> {
                    byte[] n = new byte[out.length - 1];
                    System.arraycopy(out, 0, n, 0, pos);
                    System.arraycopy(out, pos + 1, n, pos, out.length - pos - 1);
                    out = n;
                }
                default -> out[pos] = (byte) '\n';
            }
        }
        return out;
    }

    static List<byte[]> splitLines(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
