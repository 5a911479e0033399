package dev.eyes.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.config.BindAddress;
import dev.eyes.event.Severity;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.WebClient;
import dev.eyes.testing.WebClient.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guards over real HTTP: security headers on every kind of answer, the Host check (DNS rebinding), same-origin
 * JSON writes (Origin, Sec-Fetch-Site, Content-Type), the token (bearer header, the cookie set by /?token=…), and
 * the refusal to serve off loopback without a token.
 */
class WebGuardsTest {
    @TempDir
    Path dir;

    static void assertSecurityHeaders(Response r) {
        assertThat(r.header("content-security-policy")).as("CSP").startsWith("default-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(r.header("referrer-policy")).isEqualTo("no-referrer");
        assertThat(r.header("x-frame-options")).isEqualTo("DENY");
        assertThat(r.header("cache-control")).isEqualTo("no-store");
        assertThat(r.header("access-control-allow-origin")).isNull();
    }

    long seedOne(WebFixture w) throws Exception {
        long id = w.fx.record(AlertFixtures.trigger("CrashDetectionRule", "app.service/app", Severity.CRITICAL,
                Instant.parse("2026-03-01T10:00:00Z"), "segfault"));
        w.fx.analyze(id, AlertFixtures.insight("app crashed", Severity.CRITICAL));
        return id;
    }

    String resolution(WebFixture w, long id) throws Exception {
        return w.store.getAlert(id).resolutionStatus();
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        try (WebFixture w = WebFixture.start(dir)) {
            seedOne(w);
            for (String path : List.of("/", "/assets/app.js", "/assets/styles.css", "/favicon.svg", "/api/alerts",
                    "/api/alerts/1", "/api/alerts/99", "/api/nothing", "/nothing", "/api/health",
                    "/api/metrics/series", "/api/silences", "/api/auto-group-rules")) {
                assertSecurityHeaders(w.client.get(path));
            }
            assertSecurityHeaders(w.client.post("/api/alerts/1/acknowledge", "{}"));
            assertSecurityHeaders(w.client.send("POST", "/api/alerts/1/resolve", "{}", "Content-Type",
                    "application/json", "Origin", "http://evil.example"));
            assertSecurityHeaders(w.client.raw("GET /api/alerts HTTP/1.1", "Host: evil.example"));
        }
    }

    @Test
    void hostMustBeLoopbackOrConfigured() throws Exception {
        try (WebFixture w = new WebFixture(dir, "127.0.0.1:0", "", List.of("eyes.lan"), Duration.ZERO)) {
            int port = w.client.port();
            for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "127.0.0.1",
                    "[::1]:" + port, "app.localhost:" + port, "eyes.lan:" + port, "Eyes.LAN")) {
                assertThat(w.client.raw("GET /api/alerts HTTP/1.1", "Host: " + host).status()).as(host)
                        .isEqualTo(200);
            }
            for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example",
                    "localhost.evil.example", "10.0.0.5:" + port, "eyes.lan.evil.example", "", "a b", "::1")) {
                Response r = w.client.raw("GET /api/alerts HTTP/1.1", "Host: " + host);
                assertThat(r.status()).as(host).isEqualTo(403);
                assertThat(r.body()).contains("\"message\"");
            }
            Response page = w.client.raw("GET / HTTP/1.1", "Host: attacker.example:" + port);
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.body()).contains("is not allowed").doesNotContain("<script");
        }
    }

    @Test
    void writesMustBeSameOriginJson() throws Exception {
        try (WebFixture w = WebFixture.start(dir)) {
            long id = seedOne(w);
            String path = "/api/alerts/" + id + "/resolve";
            WebClient c = w.client;
            // cross-site browsers: Origin of another site, Sec-Fetch-Site other than same-origin
            assertRefused(c.send("POST", path, "{}", "Content-Type", "application/json", "Origin",
                    "http://evil.example"), 403, "cross-origin request refused");
            assertRefused(c.send("POST", path, "{}", "Content-Type", "application/json", "Origin",
                    "http://localhost:" + c.port()), 403, "cross-origin request refused"); // another origin, too
            assertRefused(c.send("POST", path, "{}", "Content-Type", "application/json", "Origin", "null"), 403,
                    "cross-origin");
            assertRefused(c.send("POST", path, "{}", "Content-Type", "application/json", "Sec-Fetch-Site",
                    "cross-site"), 403, "cross-site request refused");
            assertRefused(c.send("POST", path, "{}", "Content-Type", "application/json", "Sec-Fetch-Site",
                    "same-site", "Origin", c.base()), 403, "cross-site request refused");
            // a cross-site HTML form: urlencoded or text/plain, with its Origin
            assertRefused(c.send("POST", path, "resolution=x", "Content-Type", "application/x-www-form-urlencoded",
                    "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"), 403, "refused");
            assertRefused(c.send("POST", path, "{\"resolution\":\"x\"}", "Content-Type", "text/plain", "Origin",
                    "http://evil.example"), 403, "refused");
            // no browser headers: a program; it still needs a JSON body
            assertRefused(c.send("POST", path, "{}", "Content-Type", "text/plain"), 403, "need a JSON body");
            assertRefused(c.send("POST", path, "{}"), 403, "need a JSON body");
            // same origin, but not JSON: 415
            assertRefused(c.send("POST", path, "{}", "Content-Type", "text/plain", "Origin", c.base()), 415,
                    "send the request body as JSON");
            assertRefused(c.send("DELETE", "/api/silences/1", null, "Origin", "http://evil.example"), 403,
                    "cross-origin");
            assertThat(resolution(w, id)).isEqualTo("open");

            // a preflight is never granted
            Response pre = c.send("OPTIONS", path, null, "Origin", "http://evil.example",
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
            assertThat(pre.status()).isEqualTo(405);
            assertThat(pre.header("access-control-allow-origin")).isNull();
            assertThat(pre.header("access-control-allow-methods")).isNull();

            // what the dashboard sends, and what a program sends
            assertThat(c.send("POST", path, "{}", "Content-Type", "application/json; charset=utf-8", "Origin",
                    c.base(), "Sec-Fetch-Site", "same-origin").status()).isEqualTo(200);
            assertThat(resolution(w, id)).isEqualTo("resolved");
            long other = seedOne(w);
            assertThat(c.send("POST", "/api/alerts/" + other + "/acknowledge", "{}", "Content-Type",
                    "application/json").status()).isEqualTo(200);
            // reads need nothing of this
            assertThat(c.get("/api/alerts", "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site").status())
                    .isEqualTo(200);
        }
    }

    static void assertRefused(Response r, int status, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.message()).contains(message);
        assertSecurityHeaders(r);
    }

    @Test
    void theTokenComesAsBearerOrAsTheCookieThatVisitingWithItSets() throws Exception {
        String token = "s3cret token/+=";
        try (WebFixture w = new WebFixture(dir, "127.0.0.1:0", token, List.of(), Duration.ZERO)) {
            WebClient c = w.client;
            Response none = c.get("/api/alerts");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("www-authenticate")).isEqualTo("Bearer realm=\"eyes\"");
            assertThat(none.message()).contains("needs its token");
            assertSecurityHeaders(none);
            Response page = c.get("/");
            assertThat(page.status()).isEqualTo(401);
            assertThat(page.header("content-type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(page.body()).contains("needs its token", "/?token=YOUR_TOKEN");
            assertSecurityHeaders(page);
            assertThat(c.get("/assets/app.js").status()).isEqualTo(401);
            assertThat(c.get("/api/stream").status()).isEqualTo(401);
            assertThat(c.get("/api/alerts", "Authorization", "Bearer wrong").status()).isEqualTo(401);
            assertThat(c.get("/api/alerts", "Authorization", "Basic " + token).status()).isEqualTo(401);
            assertThat(c.get("/api/alerts", "Authorization", "Bearer " + token).status()).isEqualTo(200);

            // visiting /?token=… once sets the cookie and sends the browser back without the token in the URL
            String q = java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(c.get("/?token=wrong").status()).isEqualTo(401);
            Response visit = c.get("/silences?x=1&token=" + q);
            assertThat(visit.status()).isEqualTo(303);
            assertThat(visit.header("location")).isEqualTo("/silences?x=1");
            // the way back is always one of the dashboard's pages: no open redirect
            assertThat(c.get("/assets/x.js?token=" + q).header("location")).isEqualTo("/");
            assertThat(c.raw("GET //evil.example/?token=" + q + " HTTP/1.1", "Host: 127.0.0.1").header("location"))
                    .isEqualTo("/");
            String setCookie = visit.header("set-cookie");
            assertThat(setCookie).startsWith("eyes_session=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                    .doesNotContain(token, q);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertThat(c.get("/api/alerts", "Cookie", "theme=dark; " + cookie).status()).isEqualTo(200);
            assertThat(c.get("/", "Cookie", cookie).status()).isEqualTo(200);
            assertThat(c.get("/api/alerts", "Cookie", cookie + "0").status()).isEqualTo(401);
            assertThat(c.get("/api/alerts", "Cookie", "eyes_session=" + token).status()).isEqualTo(401);
            // the token in the query of an API call is not accepted (it would end up in logs and histories)
            assertThat(c.get("/api/alerts?token=" + q).status()).isEqualTo(401);
            // writes need the token and still the same-origin JSON rules
            assertThat(c.send("POST", "/api/silences", "{}", "Content-Type", "application/json").status())
                    .isEqualTo(401);
            assertThat(c.send("POST", "/api/silences", "{\"rule\":\"X\",\"duration\":\"1h\"}", "Content-Type",
                    "application/json", "Cookie", cookie, "Origin", "http://evil.example").status()).isEqualTo(403);
            assertThat(c.send("POST", "/api/silences", "{\"rule\":\"X\",\"duration\":\"1h\"}", "Content-Type",
                    "application/json", "Cookie", cookie, "Origin", c.base()).status()).isEqualTo(201);
        }
    }

    @Test
    void metricsIsMountedWhenGivenBehindTheSameGuards() throws Exception {
        com.sun.net.httpserver.HttpHandler prometheus = ex -> {
            byte[] b = "# TYPE eyes_up gauge\neyes_up 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        };
        try (WebFixture w = new WebFixture(dir, "127.0.0.1:0", "tok", List.of(), Duration.ZERO, prometheus)) {
            Response m = w.client.get("/metrics", "Authorization", "Bearer tok");
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.body()).isEqualTo("# TYPE eyes_up gauge\neyes_up 1\n");
            assertThat(m.header("content-type")).startsWith("text/plain; version=0.0.4");
            assertSecurityHeaders(m);
            assertThat(w.client.get("/metrics").status()).isEqualTo(401);
            assertThat(w.client.raw("GET /metrics HTTP/1.1", "Host: evil.example", "Authorization: Bearer tok")
                    .status()).isEqualTo(403);
            assertThat(w.client.send("POST", "/metrics", "{}", "Content-Type", "application/json", "Authorization",
                    "Bearer tok").status()).isEqualTo(405);
        }
        try (WebFixture w = WebFixture.start(dir.resolve("other"))) {
            assertThat(w.client.get("/metrics").status()).isEqualTo(404);
        }
    }

    @Test
    void offLoopbackNeedsAToken() throws Exception {
        WebServer.Parts parts = new WebServer.Parts(new dev.eyes.store.SqliteAlertStore(
                dev.eyes.store.Database.open(dir.resolve("x.db"))), null, () -> null,
                new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(5)), null, null, null);
        assertThatThrownBy(() -> new WebServer(BindAddress.parse("0.0.0.0:8787"), "", List.of(), parts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("web.token is required to serve the dashboard on 0.0.0.0:8787");
        assertThatThrownBy(() -> new WebServer(BindAddress.parse("192.168.1.5:8787"), "  ", List.of(), parts))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offLoopbackAnyAddressOfTheMachineIsAcceptedButNoForeignName() throws Exception {
        try (WebFixture w = new WebFixture(dir, "0.0.0.0:0", "tok", List.of(), Duration.ZERO)) {
            WebClient c = w.client;
            assertThat(c.raw("GET /api/alerts HTTP/1.1", "Host: 192.168.1.5:" + c.port(), "Authorization: Bearer tok")
                    .status()).isEqualTo(200);
            assertThat(c.raw("GET /api/alerts HTTP/1.1", "Host: [fe80::1]:" + c.port(), "Authorization: Bearer tok")
                    .status()).isEqualTo(200);
            assertThat(c.raw("GET /api/alerts HTTP/1.1", "Host: rebind.evil.example", "Authorization: Bearer tok")
                    .status()).isEqualTo(403);
            assertThat(c.raw("GET /api/alerts HTTP/1.1", "Host: 192.168.1.5:" + c.port()).status()).isEqualTo(401);
        }
    }

    @Test
    void hostNamesAreParsedStrictly() {
        assertThat(WebSecurity.hostName("LocalHost:8787")).isEqualTo("localhost");
        assertThat(WebSecurity.hostName("[::1]:8787")).isEqualTo("::1");
        assertThat(WebSecurity.hostName("[::1]")).isEqualTo("::1");
        assertThat(WebSecurity.hostName("example.com.")).isEqualTo("example.com");
        assertThat(WebSecurity.hostName("::1")).isNull();
        assertThat(WebSecurity.hostName("a:b")).isNull();
        assertThat(WebSecurity.hostName("[::1]x")).isNull();
        assertThat(WebSecurity.hostName("ex ample")).isNull();
        assertThat(WebSecurity.hostName("")).isNull();
        assertThat(WebSecurity.hostName(null)).isNull();
        assertThat(WebSecurity.sameOrigin("http://127.0.0.1:8787", "127.0.0.1:8787")).isTrue();
        assertThat(WebSecurity.sameOrigin("HTTP://LOCALHOST:8787", "localhost:8787")).isTrue();
        assertThat(WebSecurity.sameOrigin("http://eyes.lan", "eyes.lan:80")).isTrue();
        assertThat(WebSecurity.sameOrigin("http://127.0.0.1:8788", "127.0.0.1:8787")).isFalse();
        assertThat(WebSecurity.sameOrigin("http://127.0.0.1:8787/x", "127.0.0.1:8787")).isTrue();
        assertThat(WebSecurity.sameOrigin("file://", "127.0.0.1:8787")).isFalse();
        assertThat(WebSecurity.sameOrigin("null", "127.0.0.1:8787")).isFalse();
        assertThat(WebSecurity.cookie("a=1; eyes_session=abc ; b=2", "eyes_session")).isEqualTo("abc");
        assertThat(WebSecurity.cookie("xeyes_session=abc", "eyes_session")).isNull();
    }
}
