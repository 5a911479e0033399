package dev.eyes.alert.notify;

import dev.eyes.event.Severity;
import dev.eyes.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each webhook format sends.
 * <ul>
 *   <li>{@code json}: {@code {"source":"eyes","host","alert_id","group_id","severity","title","body","alert":{…}}}
 *       with the
 *       whole alert as the dashboard's {@code GET /api/alerts/{id}} shows it;</li>
 *   <li>{@code slack} (incoming webhooks, also Mattermost/Rocket.Chat): {@code text} (the fallback shown in
 *       notifications) and {@code blocks} — a header with the title, a section with the body, a context line
 *       with severity, rule, source, signal and host. {@code & < >} are escaped as Slack asks, so a log line
 *       cannot mention {@code <!channel>} or forge a link;</li>
 *   <li>{@code ntfy}: the body as the message, the title in {@code X-Title} (RFC 2047 encoded when not ASCII, as
 *       ntfy ≥ 2.4 decodes), {@code X-Priority} 3/4/5 for info/warning/critical and {@code X-Tags} with an
 *       emoji name.</li>
 * </ul>
 */
public final class WebhookPayloads {
    /** A request body and the headers that go with it. */
    public record Payload(byte[] body, Map<String, String> headers) {
    }

    static final int SLACK_HEADER_CHARS = 150;
    static final int SLACK_SECTION_CHARS = 3000;

    private WebhookPayloads() {
    }

    public static Payload build(String format, Notification n, String host) {
        return switch (format) {
            case "slack" -> slack(n, host);
            case "ntfy" -> ntfy(n);
            default -> json(n, host);
        };
    }

    static Payload json(Notification n, String host) {
        ObjectNode o = JsonTrees.object();
        o.put("source", "eyes");
        o.put("host", host);
        o.put("alert_id", n.candidateId());
        o.put("group_id", n.groupId());
        o.put("severity", n.severity().wireName());
        o.put("title", n.title());
        o.put("body", n.body());
        JsonNode alert = n.alert() == null ? null : n.alert().get();
        if (alert == null) {
            o.putNull("alert");
        } else {
            o.set("alert", alert);
        }
        return new Payload(bytes(o), Map.of("Content-Type", "application/json"));
    }

    /** Slack's escaping for text fields. */
    static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static Payload slack(Notification n, String host) {
        ObjectNode o = JsonTrees.object();
        o.put("text", slackEscape("[" + n.severity().wireName().toUpperCase(java.util.Locale.ROOT) + "] "
                + n.title()));
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        ObjectNode ht = header.putObject("text");
        ht.put("type", "plain_text");
        ht.put("text", cut(n.title(), SLACK_HEADER_CHARS));
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        ObjectNode st = section.putObject("text");
        st.put("type", "mrkdwn");
        st.put("text", cut(slackEscape(n.body()), SLACK_SECTION_CHARS));
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        ObjectNode ct = context.putArray("elements").addObject();
        ct.put("type", "mrkdwn");
        ct.put("text", slackEscape("*" + n.severity().wireName() + "* · " + n.rule() + " · "
                + (n.source() == null ? "system-wide" : n.source()) + " · Signal "
                + String.format(java.util.Locale.ROOT, "%04d", n.candidateId())
                + (n.groupId() == n.candidateId() ? "" : String.format(java.util.Locale.ROOT, " (group %04d)",
                n.groupId())) + " · " + host));
        return new Payload(bytes(o), Map.of("Content-Type", "application/json"));
    }

    static Payload ntfy(Notification n) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "text/plain; charset=utf-8");
        h.put("X-Title", headerText(n.title()));
        h.put("X-Priority", switch (n.severity()) {
            case INFO -> "3";
            case WARNING -> "4";
            case CRITICAL -> "5";
        });
        h.put("X-Tags", tag(n.severity()));
        return new Payload(n.body().getBytes(StandardCharsets.UTF_8), h);
    }

    static String tag(Severity s) {
        return switch (s) {
            case INFO -> "information_source";
            case WARNING -> "warning";
            case CRITICAL -> "rotating_light";
        };
    }

    /**
     * A header value: control characters (line breaks included) become spaces; a non-ASCII text becomes RFC 2047
     * encoded words ({@code =?UTF-8?B?…?=}, at most 45 bytes each, split between characters).
     */
    static String headerText(String s) {
        StringBuilder clean = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> clean.appendCodePoint(cp < 0x20 || cp == 0x7F ? ' ' : cp));
        String t = clean.toString();
        if (t.chars().allMatch(ch -> ch < 0x80)) {
            return t;
        }
        StringBuilder out = new StringBuilder();
        StringBuilder word = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            int n = ch.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > 45) {
                encodedWord(out, word);
                word.setLength(0);
                bytes = 0;
            }
            word.append(ch);
            bytes += n;
            i += Character.charCount(cp);
        }
        encodedWord(out, word);
        return out.toString();
    }

    private static void encodedWord(StringBuilder out, CharSequence word) {
        if (word.isEmpty()) {
            return;
        }
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append("=?UTF-8?B?")
                .append(Base64.getEncoder().encodeToString(word.toString().getBytes(StandardCharsets.UTF_8)))
                .append("?=");
    }

    private static String cut(String s, int chars) {
        if (s.codePointCount(0, s.length()) <= chars) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, chars - 1)) + "…";
    }

    private static byte[] bytes(JsonNode n) {
        return JsonTrees.bytes(n);
    }
}
