package dev.eyes.soak;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes a parsed property list back as XML, keeping at most {@code maxArray} elements of every array: a real
 * powermetrics sample shrunk from tens of kilobytes to a few, with every key and layout of the original.
 */
final class PlistWriter {
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC "
            + "\"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
            + "<plist version=\"1.0\">\n";

    private PlistWriter() {
    }

    static byte[] write(Object root, int maxArray) {
        StringBuilder b = new StringBuilder(HEAD);
        value(b, root, maxArray, 0);
        b.append("</plist>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(StringBuilder b, Object v, int maxArray, int depth) {
        String indent = "\t".repeat(depth);
        switch (v) {
            case Map<?, ?> m -> {
                b.append(indent).append("<dict>\n");
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(indent).append("\t<key>").append(escape(e.getKey().toString())).append("</key>\n");
                    value(b, e.getValue(), maxArray, depth + 1);
                }
                b.append(indent).append("</dict>\n");
            }
            case List<?> l -> {
                b.append(indent).append("<array>\n");
                for (Object x : l.subList(0, Math.min(maxArray, l.size()))) {
                    value(b, x, maxArray, depth + 1);
                }
                b.append(indent).append("</array>\n");
            }
            case String s -> b.append(indent).append("<string>").append(escape(s)).append("</string>\n");
            case Long n -> b.append(indent).append("<integer>").append(n).append("</integer>\n");
            case Double d -> b.append(indent).append("<real>").append(d).append("</real>\n");
            case Boolean t -> b.append(indent).append(t ? "<true/>\n" : "<false/>\n");
            case Instant i -> b.append(indent).append("<date>").append(i).append("</date>\n");
            case byte[] data -> b.append(indent).append("<data>").append(Base64.getEncoder().encodeToString(data))
                    .append("</data>\n");
            default -> throw new IllegalArgumentException("not a plist value: " + v);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
