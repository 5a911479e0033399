package dev.eyes.soak;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes fuzz inputs for one parser from its real captures: mutated captures (bit flips, byte inserts and deletes,
 * structural characters, splices of two captures, truncation, repeated and shuffled lines, joined lines, huge lines,
 * invalid UTF-8, deep nesting, numbers at extremes, NULs, CRLF, empty input) and purely random input (bytes, and
 * lines of words taken from the captures). Every input is a function of its own random generator only, so an input
 * is reproduced from the seed and its index alone.
 */
final class Mutator {
    /** Inputs stay below this size (the JSON framers' 4 MiB object limit is therefore never reached). */
    static final int MAX_INPUT = 3 << 20;
    /** Most mutations of a capture larger than this start from a window of its lines (keeps inputs cheap). */
    static final int WINDOW_ABOVE = 8 << 10;

    private static final byte[] STRUCTURAL =
            "\0\n\r\t {}[]<>\"\\,:;=%/.-+0123456789eE&!?#*()|'".getBytes(StandardCharsets.UTF_8);
    private static final String[] EXTREME_NUMBERS = {"0", "-0", "-1", "1", "00000000000000000000001",
        "2147483647", "2147483648", "-2147483649", "4294967295", "4294967297", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "18446744073709551615", "99999999999999999999999999999",
        "1e308", "1e309", "-1e308", "1.7976931348623157E308", "4.9e-324", "1e-400", "0.000000000000000000001",
        "NaN", "Infinity", "-Infinity", "0x10", "1_000", "1,5", "١٢٣", "1e", "e5", ".", "-", "+", "--1", "1..2",
        "123456789012345678901234567890.123456789"};
    private static final byte[][] BAD_UTF8 = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC3},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}};
    private static final String[][] NESTING = {{"{\"a\":", "}"}, {"[", "]"}, {"<dict><key>k</key>", "</dict>"},
        {"<array>", "</array>"}, {"{", "}"}, {"(", ")"}, {"[[", "]]"}};

    private final List<byte[]> corpus;
    private final List<String> words;

    Mutator(List<byte[]> corpus) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("a fuzz target needs at least one capture");
        }
        this.corpus = List.copyOf(corpus);
        this.words = words(corpus);
    }

    /** The words of the captures (split at white space), the vocabulary of random lines. */
    private static List<String> words(List<byte[]> corpus) {
        Set<String> w = new LinkedHashSet<>();
        for (byte[] c : corpus) {
            for (String s : new String(c, StandardCharsets.UTF_8).split("\\s+")) {
                if (!s.isEmpty() && s.length() <= 200) {
                    w.add(s);
                }
                if (w.size() >= 20_000) {
                    break;
                }
            }
        }
        w.add("");
        return List.copyOf(w);
    }

    /** The input for one generator: mostly mutated captures, some purely random. */
    byte[] input(SplittableRandom r) {
        int kind = r.nextInt(100);
        byte[] out;
        if (kind < 2) {
            out = new byte[0];
        } else if (kind < 10) {
            out = randomBytes(r);
        } else if (kind < 20) {
            out = randomLines(r);
        } else if (kind < 25) {
            out = corpus.get(r.nextInt(corpus.size())).clone();
        } else {
            out = corpus.get(r.nextInt(corpus.size()));
            if (out.length > WINDOW_ABOVE && r.nextInt(8) != 0) {
                out = window(out, r);
            }
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                out = mutate(out, r);
            }
        }
        return out.length > MAX_INPUT ? Arrays.copyOf(out, MAX_INPUT) : out;
    }

    /** Whole lines of a capture, starting at a random line, 256 bytes to 8 KiB of them. */
    private static byte[] window(byte[] in, SplittableRandom r) {
        int start = r.nextInt(in.length);
        while (start > 0 && in[start - 1] != '\n') {
            start--;
        }
        int end = Math.min(in.length, start + 256 + r.nextInt(WINDOW_ABOVE - 256));
        while (end < in.length && in[end - 1] != '\n') {
            end++;
        }
        return Arrays.copyOfRange(in, start, end);
    }

    byte[] mutate(byte[] in, SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0 -> Arrays.copyOf(in, r.nextInt(in.length + 1));
            case 1 -> flipBits(in, r);
            case 2 -> setBytes(in, r);
            case 3 -> structural(in, r);
            case 4 -> insertRandom(in, r);
            case 5 -> deleteSlice(in, r);
            case 6 -> duplicateSlice(in, r);
            case 7 -> splice(in, corpus.get(r.nextInt(corpus.size())), r);
            case 8 -> repeatLine(in, r);
            case 9 -> shuffleLines(in, r);
            case 10 -> joinLines(in, r);
            case 11 -> r.nextInt(64) == 0 ? hugeLine(in, r) : insertRandom(in, r);
            case 12, 13 -> invalidUtf8(in, r);
            case 14 -> deepNesting(in, r);
            case 15, 16 -> extremeNumber(in, r);
            case 17 -> insert(in, r.nextInt(in.length + 1), r.nextBoolean() ? new byte[] {0} : "\r\n".getBytes(
                    StandardCharsets.US_ASCII));
            case 18 -> crlf(in);
            default -> insert(in, r.nextInt(in.length + 1),
                    (words.get(r.nextInt(words.size())) + (r.nextBoolean() ? "\n" : " "))
                            .getBytes(StandardCharsets.UTF_8));
        };
    }

    private static byte[] flipBits(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static byte[] setBytes(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] structural(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        for (int i = 0, n = 1 + r.nextInt(16); i < n && b.length > 0; i++) {
            b[r.nextInt(b.length)] = STRUCTURAL[r.nextInt(STRUCTURAL.length)];
        }
        return b;
    }

    private static byte[] insertRandom(byte[] in, SplittableRandom r) {
        byte[] x = new byte[1 + r.nextInt(64)];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextBoolean() ? (byte) r.nextInt(256) : STRUCTURAL[r.nextInt(STRUCTURAL.length)];
        }
        return insert(in, r.nextInt(in.length + 1), x);
    }

    private static byte[] deleteSlice(byte[] in, SplittableRandom r) {
        if (in.length < 2) {
            return new byte[0];
        }
        int from = r.nextInt(in.length);
        int to = Math.min(in.length, from + 1 + r.nextInt(Math.max(1, in.length / 4)));
        byte[] out = new byte[in.length - (to - from)];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(in, to, out, from, in.length - to);
        return out;
    }

    private static byte[] duplicateSlice(byte[] in, SplittableRandom r) {
        int from = r.nextInt(in.length + 1);
        int to = Math.min(in.length, from + r.nextInt(Math.max(1, in.length / 3) + 1));
        return insert(in, to, Arrays.copyOfRange(in, from, to));
    }

    /** A prefix of one capture followed by a suffix of another (or the same). */
    private static byte[] splice(byte[] a, byte[] b, SplittableRandom r) {
        int cutA = r.nextInt(a.length + 1);
        int cutB = r.nextInt(b.length + 1);
        byte[] out = new byte[cutA + (b.length - cutB)];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    private static byte[] repeatLine(byte[] in, SplittableRandom r) {
        List<String> lines = lines(in);
        int at = r.nextInt(lines.size());
        int times = r.nextInt(4) == 0 ? 1 + r.nextInt(300) : 1 + r.nextInt(4);
        List<String> out = new ArrayList<>(lines.subList(0, at));
        for (int i = 0; i < times && (long) out.size() * 16 < MAX_INPUT; i++) {
            out.add(lines.get(at));
        }
        out.addAll(lines.subList(at, lines.size()));
        return join(out, "\n");
    }

    private static byte[] shuffleLines(byte[] in, SplittableRandom r) {
        List<String> lines = new ArrayList<>(lines(in));
        for (int i = lines.size() - 1; i > 0; i--) {
            java.util.Collections.swap(lines, i, r.nextInt(i + 1));
        }
        return join(lines, "\n");
    }

    /** Removes some newlines: several records on one line. */
    private static byte[] joinLines(byte[] in, SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int keepOneIn = 1 + r.nextInt(4);
        for (byte b : in) {
            if (b == '\n' && r.nextInt(keepOneIn + 1) != 0) {
                if (r.nextBoolean()) {
                    out.write(' ');
                }
                continue;
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** A line of 64 to 128 KiB, or of about 1 MiB (around LineReader's limit: some are cut, some not). Rare: slow. */
    private static byte[] hugeLine(byte[] in, SplittableRandom r) {
        int len = r.nextBoolean() ? (64 << 10) + r.nextInt(64 << 10) : (1 << 20) - 1024 + r.nextInt(64 << 10);
        byte[] x = new byte[len];
        byte fill = STRUCTURAL[r.nextInt(STRUCTURAL.length)];
        if (fill == '\n') {
            fill = 'x';
        }
        Arrays.fill(x, fill);
        if (r.nextBoolean()) {
            for (int i = 0; i < 64; i++) {
                x[r.nextInt(len)] = (byte) (32 + r.nextInt(95));
            }
        }
        return insert(in, r.nextInt(in.length + 1), x);
    }

    private static byte[] invalidUtf8(byte[] in, SplittableRandom r) {
        byte[] out = in;
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            out = insert(out, r.nextInt(out.length + 1), BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
        }
        return out;
    }

    private static byte[] deepNesting(byte[] in, SplittableRandom r) {
        String[] pair = NESTING[r.nextInt(NESTING.length)];
        int depth = 1 + r.nextInt(r.nextBoolean() ? 100 : 5000);
        boolean close = r.nextBoolean();
        StringBuilder b = new StringBuilder(depth * (pair[0].length() + pair[1].length()) + 8);
        b.append(pair[0].repeat(depth));
        b.append(r.nextBoolean() ? "1" : "\"x\"");
        if (close) {
            b.append(pair[1].repeat(depth));
        }
        return insert(in, r.nextInt(in.length + 1), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces a run of digits (or, without one, any position) with a number at an extreme. */
    private static byte[] extremeNumber(byte[] in, SplittableRandom r) {
        byte[] n = EXTREME_NUMBERS[r.nextInt(EXTREME_NUMBERS.length)].getBytes(StandardCharsets.UTF_8);
        int start = in.length == 0 ? 0 : r.nextInt(in.length);
        int d = start;
        while (d < in.length && (in[d] < '0' || in[d] > '9')) {
            d++;
        }
        if (d == in.length) {
            return insert(in, start, n);
        }
        int e = d;
        while (e < in.length && ((in[e] >= '0' && in[e] <= '9') || in[e] == '.')) {
            e++;
        }
        byte[] out = new byte[in.length - (e - d) + n.length];
        System.arraycopy(in, 0, out, 0, d);
        System.arraycopy(n, 0, out, d, n.length);
        System.arraycopy(in, e, out, d + n.length, in.length - e);
        return out;
    }

    private static byte[] crlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 16);
        for (byte b : in) {
            if (b == '\n') {
                out.write('\r');
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(SplittableRandom r) {
        byte[] b = new byte[r.nextInt(r.nextInt(10) == 0 ? 65_536 : 2048)];
        int mode = r.nextInt(3);
        for (int i = 0; i < b.length; i++) {
            b[i] = switch (mode) {
                case 0 -> (byte) r.nextInt(256);
                case 1 -> (byte) (r.nextInt(12) == 0 ? '\n' : 32 + r.nextInt(95));
                default -> STRUCTURAL[r.nextInt(STRUCTURAL.length)];
            };
        }
        return b;
    }

    /** Lines of words from the captures, with the odd number, symbol or control character. */
    private byte[] randomLines(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int l = 0, lines = r.nextInt(60); l < lines; l++) {
            for (int w = 0, n = r.nextInt(12); w < n; w++) {
                int pick = r.nextInt(10);
                if (pick == 0) {
                    b.append(EXTREME_NUMBERS[r.nextInt(EXTREME_NUMBERS.length)]);
                } else if (pick == 1) {
                    b.append((char) STRUCTURAL[r.nextInt(STRUCTURAL.length)]);
                } else {
                    b.append(words.get(r.nextInt(words.size())));
                }
                b.append(r.nextInt(6) == 0 ? "\t" : " ");
            }
            b.append(r.nextInt(10) == 0 ? "\r\n" : "\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(byte[] in, int at, byte[] x) {
        byte[] out = new byte[in.length + x.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(x, 0, out, at, x.length);
        System.arraycopy(in, at, out, at + x.length, in.length - at);
        return out;
    }

    private static List<String> lines(byte[] in) {
        return List.of(new String(in, StandardCharsets.ISO_8859_1).split("\n", -1));
    }

    private static byte[] join(List<String> lines, String sep) {
        return String.join(sep, lines).getBytes(StandardCharsets.ISO_8859_1);
    }
}
