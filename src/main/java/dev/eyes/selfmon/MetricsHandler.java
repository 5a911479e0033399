package dev.eyes.selfmon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: every meter of {@link Telemetry} in the Prometheus text format 0.0.4 (OpenMetrics 1.0 when
 * the scraper's {@code Accept} asks for it), gzip when accepted, {@code Cache-Control: no-store}. Mount it on any
 * {@code com.sun.net.httpserver} server — the dashboard's (issue 6) or {@link MetricsServer}'s.
 *
 * <p>Guards, both optional: a bearer token ({@code Authorization: Bearer <token>}, compared in constant time;
 * 401 without it), and a {@code Host} check for loopback-only servers (403 when the {@code Host} header names
 * anything but a loopback address or {@code localhost}: a web page cannot read the metrics through DNS
 * rebinding). {@code HEAD} is answered like {@code GET} without a body; other methods get 405.
 */
public final class MetricsHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);

    private final Telemetry telemetry;
    private final byte[] token;
    private final boolean loopbackHostsOnly;

    /**
     * @param token             required bearer token, or null for none
     * @param loopbackHostsOnly answer only requests whose {@code Host} is a loopback name or address
     */
    public MetricsHandler(Telemetry telemetry, String token, boolean loopbackHostsOnly) {
        this.telemetry = telemetry;
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopbackHostsOnly = loopbackHostsOnly;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                text(ex, 405, "method not allowed\n");
                return;
            }
            if (loopbackHostsOnly && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                text(ex, 403, "forbidden: Host must be a loopback address\n");
                return;
            }
            if (token != null && !authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"eyes\"");
                text(ex, 401, "unauthorized: send Authorization: Bearer <web.token>\n");
                return;
            }
            boolean openMetrics = accepts(ex.getRequestHeaders().get("Accept"), "application/openmetrics-text");
            boolean gzip = accepts(ex.getRequestHeaders().get("Accept-Encoding"), "gzip");
            ByteArrayOutputStream buf = new ByteArrayOutputStream(32 * 1024);
            try (OutputStream out = gzip ? new GZIPOutputStream(buf) : buf) {
                telemetry.scrape(out, openMetrics);
            }
            ex.getResponseHeaders().set("Content-Type", openMetrics ? Telemetry.OPENMETRICS : Telemetry.TEXT);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            if (gzip) {
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, buf.size());
            buf.writeTo(ex.getResponseBody());
        } catch (IOException e) {
            LOG.debug("/metrics: {}", e.toString()); // the scraper went away
        } catch (RuntimeException e) {
            LOG.warn("/metrics: scraping failed: {}", e.toString());
            LOG.debug("/metrics failure", e);
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static boolean accepts(List<String> headers, String what) {
        if (headers == null) {
            return false;
        }
        for (String h : headers) {
            if (h.toLowerCase(Locale.ROOT).contains(what)) {
                return true;
            }
        }
        return false;
    }

    /** {@code localhost}, {@code *.localhost}, 127.0.0.0/8 or ::1, with or without a port. No DNS lookup. */
    static boolean loopbackHost(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            h = h.substring(1, end);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') > 0) {
            h = h.substring(0, h.indexOf(':'));
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (!h.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !(h.contains(":") && h.matches("[0-9a-f:.]+"))) {
            return false; // a name other than localhost: never resolved here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal address: no lookup happens
        } catch (IOException e) {
            return false;
        }
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
