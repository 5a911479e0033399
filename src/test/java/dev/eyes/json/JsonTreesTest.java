package dev.eyes.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link JsonTrees} must be a drop-in for {@code ObjectMapper.readTree} and {@code JsonNode.toString()}: the same
 * text from the same tree, the same tree (or the same refusal) from the same text — checked here against a real
 * {@code ObjectMapper} on seeded random trees and on damaged text.
 */
class JsonTreesTest {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String ALPHABET = "aZ09 _-.:/\"\\\n\r\t\b\f\u0000\u0001\u001f\u007f\u00e9\u00df\u4e2d\u2028\u2029"
            + "\uD83D\uDE00<>&'{}[],";
    static final int CODE_POINTS = ALPHABET.codePointCount(0, ALPHABET.length());

    /** A random tree; {@code exact} = only values whose text parses back to an equal node (no NaN, float, decimal). */
    static JsonNode tree(Random r, int depth, boolean exact) {
        int kind = depth <= 0 ? 2 + r.nextInt(8) : r.nextInt(10);
        return switch (kind) {
            case 0 -> {
                ObjectNode o = NODES.objectNode();
                int n = r.nextInt(6);
                for (int i = 0; i < n; i++) {
                    o.set(string(r), tree(r, depth - 1, exact));
                }
                yield o;
            }
            case 1 -> {
                ArrayNode a = NODES.arrayNode();
                int n = r.nextInt(6);
                for (int i = 0; i < n; i++) {
                    a.add(tree(r, depth - 1, exact));
                }
                yield a;
            }
            case 2, 3 -> NODES.stringNode(string(r));
            case 4 -> NODES.numberNode(r.nextInt());
            // the parser makes the smallest of int, long and big integer that holds a value: so does the generator
            case 5 -> NODES.numberNode((r.nextBoolean() ? 1 : -1) * ((long) Integer.MAX_VALUE + 1
                    + (r.nextLong() & 0x3fffffffffffffffL)));
            case 6 -> NODES.numberNode(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.TWO)
                    .add(new BigInteger(1 + r.nextInt(100), r)).multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1)));
            case 7 -> NODES.numberNode(doubleValue(r, exact));
            case 8 -> exact ? NODES.booleanNode(r.nextBoolean()) : switch (r.nextInt(3)) {
                case 0 -> NODES.numberNode(r.nextFloat() * 1000);
                case 1 -> NODES.numberNode(new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(40) - 20));
                default -> NODES.booleanNode(r.nextBoolean());
            };
            default -> NODES.nullNode();
        };
    }

    static double doubleValue(Random r, boolean exact) {
        int pick = r.nextInt(exact ? 6 : 9);
        return switch (pick) {
            case 0 -> -0.0;
            case 1 -> r.nextDouble();
            case 2 -> r.nextGaussian() * 1e300;
            case 3 -> Double.MIN_VALUE * r.nextInt(100);
            case 4 -> r.nextInt(1000) + 0.5;
            case 5 -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL);
            case 6 -> Double.NaN;
            case 7 -> Double.POSITIVE_INFINITY;
            default -> Double.NEGATIVE_INFINITY;
        };
    }

    static String string(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            // whole code points: the emoji is a surrogate pair and is never split
            int cp = ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, r.nextInt(CODE_POINTS)));
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    @Test
    void writesWhatTheMapperWritesForRandomTrees() throws Exception {
        Random r = new Random(20261128);
        for (int i = 0; i < 20_000; i++) {
            JsonNode t = tree(r, r.nextInt(5), false);
            String expected = MAPPER.writeValueAsString(t);
            assertThat(JsonTrees.write(t)).as("case %d", i).isEqualTo(expected).isEqualTo(t.toString());
            assertThat(JsonTrees.writePretty(t)).as("case %d", i).isEqualTo(t.toPrettyString());
            assertThat(new String(JsonTrees.bytes(t), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void readsWhatTheMapperReadsAndRoundTrips() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            JsonNode t = tree(r, r.nextInt(5), true);
            String compact = t.toString();
            String pretty = t.toPrettyString();
            assertThat(JsonTrees.parse(compact)).as("case %d: %s", i, compact).isEqualTo(MAPPER.readTree(compact))
                    .isEqualTo(t);
            assertThat(JsonTrees.parse(pretty)).isEqualTo(MAPPER.readTree(pretty));
            assertThat(JsonTrees.parse(compact.getBytes(StandardCharsets.UTF_8))).isEqualTo(t);
            assertThat(JsonTrees.parse(compact.getBytes(StandardCharsets.UTF_16BE))).isEqualTo(t);
        }
        // what the mapper's text holds for values that do not survive exactly (NaN as "NaN", floats as doubles)
        for (int i = 0; i < 5_000; i++) {
            String text = tree(r, r.nextInt(4), false).toString();
            assertThat(JsonTrees.parse(text)).as(text).isEqualTo(MAPPER.readTree(text));
        }
    }

    @Test
    void refusesWhatTheMapperRefusesOnDamagedText() {
        Random r = new Random(11);
        String noise = "{}[]\",:\\ -+.eE0123456789tfnul\u00e9\u0000";
        int refused = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder b = new StringBuilder(tree(r, 1 + r.nextInt(4), true).toString());
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits && !b.isEmpty(); e++) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(4)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, noise.charAt(r.nextInt(noise.length())));
                    case 2 -> b.setLength(at);
                    default -> b.append(' ').append(noise.charAt(r.nextInt(noise.length())));
                }
            }
            String text = b.toString();
            JsonNode expected;
            try {
                expected = MAPPER.readTree(text);
            } catch (JacksonException e) {
                refused++;
                assertThatThrownBy(() -> JsonTrees.parse(text)).as("refused by the mapper: %s", text)
                        .isInstanceOf(JacksonException.class);
                continue;
            }
            assertThat(JsonTrees.parse(text)).as("read by the mapper: %s", text).isEqualTo(expected);
        }
        assertThat(refused).as("the damage made most inputs invalid").isGreaterThan(15_000);
    }

    @Test
    void edgeCasesMatchTheMapper() throws Exception {
        for (String text : new String[] {"", "   ", "\n\t"}) {
            assertThat(JsonTrees.parse(text)).isSameAs(MissingNode.getInstance()).isEqualTo(MAPPER.readTree(text));
        }
        assertThat(JsonTrees.parse("{\"a\":1,\"a\":2}")).isEqualTo(MAPPER.readTree("{\"a\":1,\"a\":2}"));
        assertThat(JsonTrees.parse("12345678901234567890123").isBigInteger()).isTrue();
        assertThat(JsonTrees.parse("1e400")).isEqualTo(MAPPER.readTree("1e400"));
        assertThatThrownBy(() -> JsonTrees.parse("{} {}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> MAPPER.readTree("{} {}")).isInstanceOf(JacksonException.class);
        // nesting beyond the parser's limit is refused, not a stack overflow
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        assertThatThrownBy(() -> JsonTrees.parse(deep)).isInstanceOf(JacksonException.class)
                .hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> JsonTrees.write(NODES.pojoNode(new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("POJO");
    }
}
