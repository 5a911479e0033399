package dev.eyes.selfmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.testing.Tool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** {@code /metrics} over real HTTP: formats, methods, token and Host guards. */
class MetricsServerTest {
    final HttpClient http = HttpClient.newHttpClient();

    Telemetry telemetry() {
        Telemetry t = new Telemetry("0.1.0", ProcessStats.forThisProcess(), System::nanoTime);
        t.bind(new TelemetryTest.FakeObserved());
        t.ingestCounter("journald", "log").add(3);
        return t;
    }

    HttpResponse<byte[]> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesThePrometheusTextFormat() throws Exception {
        try (MetricsServer s = MetricsServer.start(telemetry(), "127.0.0.1", 0, null, true)) {
            HttpResponse<byte[]> r = get(s.port(), "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(body).contains("eyes_events_ingested_total{kind=\"log\",source=\"journald\"} 3.0");
            assertThat(Tool.promtoolCheck(body).code()).isZero();

            HttpResponse<byte[]> om = get(s.port(), "/metrics", "Accept",
                    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
            assertThat(om.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/openmetrics-text"));
            assertThat(new String(om.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");

            HttpResponse<byte[]> gz = get(s.port(), "/metrics", "Accept-Encoding", "gzip");
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(unzipped).contains("eyes_events_ingested_total");

            assertThat(get(s.port(), "/").statusCode()).isEqualTo(404);
            assertThat(get(s.port(), "/api/health").statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/metrics")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTokenIsRequiredWhenOneIsSet() throws Exception {
        try (MetricsServer s = MetricsServer.start(telemetry(), "127.0.0.1", 0, "s3cret", false)) {
            HttpResponse<byte[]> none = get(s.port(), "/metrics");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"eyes\"");
            assertThat(get(s.port(), "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(get(s.port(), "/metrics", "Authorization", "Basic czNjcmV0").statusCode()).isEqualTo(401);
            assertThat(get(s.port(), "/metrics", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
            assertThat(get(s.port(), "/metrics", "Authorization", "bearer s3cret").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onLoopbackOnlyLoopbackHostNamesAreAnswered() throws Exception {
        try (MetricsServer s = MetricsServer.start(telemetry(), "127.0.0.1", 0, null, true)) {
            // a page on evil.example that resolves its name to 127.0.0.1 (DNS rebinding) sends Host: evil.example
            assertThat(rawStatus(s.port(), "evil.example:" + s.port())).isEqualTo(403);
            assertThat(rawStatus(s.port(), "localhost:" + s.port())).isEqualTo(200);
            assertThat(rawStatus(s.port(), "127.0.0.1")).isEqualTo(200);
            assertThat(rawStatus(s.port(), "[::1]:" + s.port())).isEqualTo(200);
            assertThat(rawStatus(s.port(), "10.0.0.1:" + s.port())).isEqualTo(403);
        }
        assertThat(MetricsHandler.loopbackHost("cafe")).isFalse(); // hex-looking names are not addresses
        assertThat(MetricsHandler.loopbackHost("127.9.9.9:80")).isTrue();
        assertThat(MetricsHandler.loopbackHost(null)).isFalse();
    }

    /** A request with a Host header of our choosing (java.net.http does not allow setting it). */
    static int rawStatus(int port, String host) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(sock.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
