package dev.eyes.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to the dashboard: the JDK client for ordinary requests, a raw socket for hand-made headers (Host). */
public final class WebClient {
    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** A response; header names are lower case. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        public String message() {
            return json().path("message").asString();
        }
    }

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;

    public WebClient(String host, int port) {
        this.base = "http://" + host + ":" + port;
        this.port = port;
    }

    public String base() {
        return base;
    }

    public int port() {
        return port;
    }

    public Response get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    /** A same-origin JSON POST, as the dashboard sends it. */
    public Response post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json, "Content-Type", "application/json", "Origin", base, "Sec-Fetch-Site",
                "same-origin");
    }

    public Response delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, "{}", "Content-Type", "application/json", "Origin", base, "Sec-Fetch-Site",
                "same-origin");
    }

    /** Any request; {@code headers} are name, value pairs. */
    public Response send(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, List<String>> h = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
        return new Response(r.statusCode(), h, r.body());
    }

    /** The JDK client, for streaming. */
    public HttpClient client() {
        return client;
    }

    /**
     * A request written byte for byte ({@code Connection: close} is added), for headers the JDK client will not
     * send as given (Host). Reads a fixed-length or unframed response.
     */
    public Response raw(String requestLine, String... headerLines) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(requestLine).append("\r\n");
            for (String h : headerLines) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                if (c > 0) {
                    h.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(lines[i].substring(c + 1).trim());
                }
            }
            return new Response(status, h, body);
        }
    }
}
