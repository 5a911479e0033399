package dev.eyes.json;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON text to and from Jackson trees ({@link JsonNode}) with jackson-core's streaming parser and generator only.
 *
 * <p>Why not {@code ObjectMapper.readTree} and {@code JsonNode.toString()}: the first {@code ObjectMapper} an
 * application builds (and {@code toString()} builds a shared one) loads some 400 classes of Jackson's data binding
 * (serializers, deserializers, type introspection, java.time support) and fills their caches — about 4.5 MB of
 * resident memory that an idle observer, which only reads its config and writes a heartbeat, has no use for.
 * The trees are the same ({@code JsonNodeFactory}'s nodes, numbers as {@code readTree} makes them: int, long or
 * big integer; double for fractions), and so is the text ({@code toString()}'s compact form); {@code JsonTreesTest}
 * checks both against {@code ObjectMapper} on random and damaged JSON.
 */
public final class JsonTrees {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * Parses one JSON value, which must be the whole of {@code text} (whitespace aside); empty or blank text gives
     * a {@link MissingNode}, as {@code readTree} does.
     *
     * @throws JacksonException when it is not JSON or has content after the value
     */
    public static JsonNode parse(String text) {
        return parse(FACTORY.createParser(ObjectReadContext.empty(), text));
    }

    /** {@link #parse(String)} of bytes in UTF-8 (or UTF-16/32, detected as {@code readTree} does). */
    public static JsonNode parse(byte[] json) {
        return parse(FACTORY.createParser(ObjectReadContext.empty(), json));
    }

    private static JsonNode parse(JsonParser parser) {
        try (JsonParser p = parser) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return MissingNode.getInstance();
            }
            JsonNode value = read(p, t);
            if (p.nextToken() != null) {
                throw new StreamReadException(p, "unexpected content after the JSON value");
            }
            return value;
        }
    }

    /** Compact JSON text of a tree: what {@code node.toString()} gives, without an {@code ObjectMapper}. */
    public static String write(JsonNode node) {
        return write(node, ObjectWriteContext.empty());
    }

    /** Indented JSON text of a tree: what {@code node.toPrettyString()} gives. */
    public static String writePretty(JsonNode node) {
        return write(node, new ObjectWriteContext.Base() {
            @Override
            public PrettyPrinter getPrettyPrinter() {
                return new DefaultPrettyPrinter();
            }
        });
    }

    private static String write(JsonNode node, ObjectWriteContext context) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(context, out)) {
            write(g, node);
        }
        return out.toString();
    }

    /** {@link #write} as UTF-8. */
    public static byte[] bytes(JsonNode node) {
        return write(node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the value that starts at token {@code t}; nesting is bounded by the parser's depth limit
     * ({@code StreamReadConstraints}, 500 by default), so the recursion stays shallow.
     */
    private static JsonNode read(JsonParser p, JsonToken t) {
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, read(p, p.nextToken()));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) {
                    a.add(read(p, k));
                }
                yield a;
            }
            case VALUE_STRING -> NODES.stringNode(p.getString());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new StreamReadException(p, "unexpected token " + t);
        };
    }

    private static void write(JsonGenerator g, JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : n) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.stringValue());
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                    default -> g.writeNumber(n.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            // binary, POJO and "missing" nodes: none of Eyes' trees holds one
            default -> throw new IllegalArgumentException("cannot write a " + n.getNodeType() + " node as JSON");
        }
    }
}
