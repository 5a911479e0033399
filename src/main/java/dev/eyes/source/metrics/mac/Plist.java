package dev.eyes.source.metrics.mac;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A reader for XML property lists (what {@code powermetrics -f plist} prints) on the JDK's StAX parser, set up
 * safely: no DTD processing (the {@code <!DOCTYPE plist …>} line is passed over, never fetched), no external
 * entities, and entity references are an error, so neither XXE nor "billion laughs" can get through. Nesting is
 * limited too.
 *
 * <p>Values: {@code dict} → {@code Map<String,Object>} (insertion order), {@code array} → {@code List<Object>},
 * {@code string} → String, {@code integer} → Long (or Double when it does not fit), {@code real} → Double,
 * {@code true}/{@code false} → Boolean, {@code date} → Instant, {@code data} → byte[].
 */
public final class Plist {
    private static final int MAX_DEPTH = 64;
    private static final XMLInputFactory FACTORY = newFactory();

    private Plist() {
    }

    /** Why a document could not be read. */
    public static final class PlistException extends Exception {
        public PlistException(String message) {
            super(message);
        }
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource " + systemId + " refused");
        });
        return f;
    }

    /** Parses one document; its root is normally a dict. */
    public static Object parse(byte[] xml, int off, int len) throws PlistException {
        XMLStreamReader r = null;
        try {
            // decoded here (UTF-8, malformed bytes an error): the JDK's own decoder prints "[Fatal Error]" to stderr
            r = FACTORY.createXMLStreamReader(new InputStreamReader(new ByteArrayInputStream(xml, off, len),
                    StandardCharsets.UTF_8.newDecoder()));
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new PlistException("entity references are not allowed");
                }
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (!r.getLocalName().equals("plist")) {
                        throw new PlistException("root element is <" + r.getLocalName() + ">, not <plist>");
                    }
                    Object v = null;
                    while (r.hasNext()) {
                        int e = r.next();
                        if (e == XMLStreamConstants.START_ELEMENT) {
                            v = value(r, 0);
                        } else if (e == XMLStreamConstants.END_ELEMENT) {
                            break;
                        } else if (e == XMLStreamConstants.ENTITY_REFERENCE) {
                            throw new PlistException("entity references are not allowed");
                        }
                    }
                    if (v == null) {
                        throw new PlistException("empty plist");
                    }
                    return v;
                }
            }
            throw new PlistException("no <plist> element");
        } catch (XMLStreamException | RuntimeException e) {
            throw new PlistException("malformed plist: " + firstLine(e.getMessage()));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release
                }
            }
        }
    }

    public static Object parse(byte[] xml) throws PlistException {
        return parse(xml, 0, xml.length);
    }

    /** Reads the value whose start tag the reader is on; leaves the reader on its end tag. */
    private static Object value(XMLStreamReader r, int depth) throws XMLStreamException, PlistException {
        if (depth > MAX_DEPTH) {
            throw new PlistException("nested deeper than " + MAX_DEPTH);
        }
        String tag = r.getLocalName();
        switch (tag) {
            case "dict" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                String key = null;
                while (true) {
                    int e = next(r);
                    if (e == XMLStreamConstants.END_ELEMENT) {
                        if (key != null) {
                            throw new PlistException("key \"" + key + "\" has no value");
                        }
                        return m;
                    }
                    if (e != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    if (r.getLocalName().equals("key")) {
                        if (key != null) {
                            throw new PlistException("key \"" + key + "\" has no value");
                        }
                        key = text(r);
                    } else {
                        if (key == null) {
                            throw new PlistException("a value without a key in a dict");
                        }
                        m.put(key, value(r, depth + 1));
                        key = null;
                    }
                }
            }
            case "array" -> {
                List<Object> l = new ArrayList<>();
                while (true) {
                    int e = next(r);
                    if (e == XMLStreamConstants.END_ELEMENT) {
                        return l;
                    }
                    if (e == XMLStreamConstants.START_ELEMENT) {
                        l.add(value(r, depth + 1));
                    }
                }
            }
            case "string" -> {
                return text(r);
            }
            case "integer" -> {
                String t = text(r).strip();
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e2) {
                        throw new PlistException("bad integer \"" + t + "\"");
                    }
                }
            }
            case "real" -> {
                String t = text(r).strip();
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new PlistException("bad real \"" + t + "\"");
                }
            }
            case "true", "false" -> {
                text(r);
                return tag.equals("true");
            }
            case "date" -> {
                String t = text(r).strip();
                try {
                    return Instant.parse(t);
                } catch (DateTimeParseException e) {
                    throw new PlistException("bad date \"" + t + "\"");
                }
            }
            case "data" -> {
                String t = text(r).replaceAll("\\s+", "");
                try {
                    return Base64.getDecoder().decode(t);
                } catch (IllegalArgumentException e) {
                    throw new PlistException("bad data");
                }
            }
            default -> throw new PlistException("unknown element <" + tag + ">");
        }
    }

    private static int next(XMLStreamReader r) throws XMLStreamException, PlistException {
        if (!r.hasNext()) {
            throw new PlistException("unexpected end of document");
        }
        int e = r.next();
        if (e == XMLStreamConstants.ENTITY_REFERENCE) {
            throw new PlistException("entity references are not allowed");
        }
        if (e == XMLStreamConstants.END_DOCUMENT) {
            throw new PlistException("unexpected end of document");
        }
        return e;
    }

    /** The text of a simple element; leaves the reader on its end tag. */
    private static String text(XMLStreamReader r) throws XMLStreamException, PlistException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int e = next(r);
            if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA
                    || e == XMLStreamConstants.SPACE) {
                b.append(r.getText());
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                return b.toString();
            } else if (e == XMLStreamConstants.START_ELEMENT) {
                throw new PlistException("unexpected <" + r.getLocalName() + "> inside a simple value");
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    // ---- typed access helpers for the callers ----

    /** The dict under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> dict(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Map<?, ?> d ? (Map<String, Object>) d : null;
    }

    /** The array under {@code key}, or an empty list. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A number under {@code key} (integer or real), or null. */
    public static Double number(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return null;
    }

    public static String string(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asDict(Object o) {
        return o instanceof Map<?, ?> d ? (Map<String, Object>) d : null;
    }
}
