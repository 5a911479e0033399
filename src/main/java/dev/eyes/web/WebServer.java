package dev.eyes.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.eyes.selfmon.HealthJson;
import dev.eyes.config.BindAddress;
import dev.eyes.store.AlertException;
import dev.eyes.store.AlertJson;
import dev.eyes.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The local dashboard and its JSON API, on the JDK's own {@code com.sun.net.httpserver}: each request runs on a
 * virtual thread, Server-Sent Events are chunked responses written by the request's thread. No framework: the
 * server adds no dependency, starts in a few milliseconds and costs a few hundred KB while idle.
 *
 * <p>Every request passes {@link WebSecurity}'s guards (Host, token, same-origin JSON writes) before a handler
 * runs, and every response carries the security headers and {@code Cache-Control: no-store}. Errors are
 * {@code {"message": …}} with their status: 400 invalid, 401 no token, 403 refused, 404 not found, 405 method,
 * 409 conflict, 413 too large, 415 not JSON, 500 database failure, 503 unavailable.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** Store calls from requests at once (each holds a SQLite connection; the rest wait their turn). */
    static final int STORE_CONCURRENCY = 4;
    /** While live clients are connected, health and changes made by other processes are checked this often. */
    static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

    static {
        // SSE and small JSON answers: no Nagle delay (read when the first server is created)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A value that changes whenever stored alerts, silences or rules change (by any process). */
    @FunctionalInterface
    public interface ChangeMark {
        String mark() throws Exception;
    }

    /**
     * What the server serves.
     *
     * @param metrics the Prometheus {@code /metrics} handler, or null (not mounted)
     * @param changes for live updates of changes made by other processes, or null
     */
    public record Parts(dev.eyes.store.AlertStore alerts, ManualAnalysis analysis, HealthSource health,
                        MetricSeries series, LiveAnalyses live, HttpHandler metrics, ChangeMark changes) {
        public Parts {
            Objects.requireNonNull(alerts, "alerts");
            analysis = analysis == null ? ManualAnalysis.NONE : analysis;
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(series, "series");
            live = live == null ? new LiveAnalyses() : live;
        }
    }

    private final BindAddress bind;
    private final WebSecurity security;
    private final Parts parts;
    private final EventHub hub;
    private final Api api;
    private final Assets assets = new Assets();
    private final Semaphore storeSlots = new Semaphore(STORE_CONCURRENCY, true);
    /** Requests refused by the guards (wrong Host, cross-site writes, no JSON): 403s. */
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private HttpServer server;
    private ExecutorService executor;
    private Thread watcher;
    private volatile boolean stopping;

    /**
     * @throws IllegalArgumentException when {@code bind} is not a loopback address and there is no token
     */
    public WebServer(BindAddress bind, String token, List<String> allowedHosts, Parts parts) {
        if (!bind.isLoopback() && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("web.token is required to serve the dashboard on " + bind
                    + ", which is not a loopback address: set web.token, or bind to 127.0.0.1");
        }
        this.bind = bind;
        this.security = new WebSecurity(bind, token, allowedHosts == null ? List.of() : allowedHosts);
        this.parts = parts;
        this.hub = new EventHub();
        this.api = new Api(parts, hub, storeSlots, refused::get);
        hub.onClientsChanged(this::clientsChanged);
    }

    /** Requests the guards refused (403) since the start. */
    public long refusedRequests() {
        return refused.get();
    }

    /** The live feed: publish here what the dashboard should see at once. */
    public EventHub events() {
        return hub;
    }

    public LiveAnalyses live() {
        return parts.live();
    }

    /** Binds and starts serving. */
    public synchronized void start() throws IOException {
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(bind.host()), bind.port());
        } catch (UnknownHostException e) {
            throw new IOException("cannot serve the dashboard on " + bind + ": unknown host " + bind.host(), e);
        }
        try {
            server = HttpServer.create(address, 64);
        } catch (BindException e) {
            throw new IOException("cannot serve the dashboard on " + bind + ": " + e.getMessage()
                    + " (another program — or another Eyes — uses it; set web.bind_address or --bind, or "
                    + "web.enabled = false)", e);
        }
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("eyes-web-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Where it listens (the real port when bound to port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port} for people (loopback shown as 127.0.0.1). */
    public String url() {
        InetSocketAddress a = address();
        String host = bind.host().contains(":") ? "[" + bind.host() + "]" : bind.host();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + a.getPort();
    }

    /** Ends live connections, stops accepting, waits briefly for requests in progress. */
    public void stop(Duration deadline) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        hub.close();
        Thread w;
        synchronized (this) {
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            w.interrupt();
        }
        HttpServer s = server;
        if (s != null) {
            s.stop((int) Math.max(0, Math.min(2, deadline.toSeconds())));
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    // ---- live watcher --------------------------------------------------------------------------------------

    /** Watches health and other processes' changes only while someone is watching the dashboard. */
    private void clientsChanged() {
        synchronized (this) {
            if (stopping || hub.clients() == 0 || watcher != null) {
                return;
            }
            watcher = Thread.ofVirtual().name("eyes-web-watch").start(this::watch);
        }
    }

    private void watch() {
        String lastHealth = null;
        String lastMark = null;
        long lastPublished = -1;
        try {
            while (!stopping) {
                synchronized (this) {
                    if (hub.clients() == 0) {
                        watcher = null;
                        return;
                    }
                }
                try {
                    ObjectNode summary = HealthJson.summary(parts.health().health());
                    String key = summary.get("status").asString() + summary.get("problems");
                    if (lastHealth != null && !lastHealth.equals(key)) {
                        hub.publish("health", summary);
                    }
                    lastHealth = key;
                } catch (RuntimeException e) {
                    LOG.debug("dashboard: health check failed", e);
                }
                if (parts.changes() != null) {
                    try {
                        long seen = hub.published();
                        String mark = parts.changes().mark();
                        // changes made through this process were announced already (and make clients reload)
                        if (lastMark != null && !lastMark.equals(mark) && seen == lastPublished) {
                            hub.publish("changed", AlertJson.error("stored alerts, silences or rules changed"));
                        }
                        lastMark = mark;
                        lastPublished = hub.published();
                    } catch (Exception e) {
                        LOG.debug("dashboard: change check failed", e);
                    }
                }
                Thread.sleep(WATCH_INTERVAL);
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            synchronized (this) {
                if (watcher == Thread.currentThread()) {
                    watcher = null;
                }
            }
            // a client may have come while this one was ending
            if (!stopping && hub.clients() > 0) {
                clientsChanged();
            }
        }
    }

    // ---- dispatch -----------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try {
            WebSecurity.headers(ex.getResponseHeaders());
            Request r = new Request(ex);
            security.checkHost(r.header("Host"));
            if (security.tokenRequired() && !authenticate(r)) {
                return;
            }
            if (WebSecurity.isWrite(r.method)) {
                security.checkWrite(r.header("Host"), r.header("Origin"), r.header("Sec-Fetch-Site"),
                        r.header("Content-Type"));
            }
            route(r);
        } catch (HttpError e) {
            if (e.status() == 403) {
                refused.incrementAndGet();
            }
            if (e.allow() != null) {
                ex.getResponseHeaders().set("Allow", e.allow());
            }
            error(ex, e.status(), e.getMessage());
        } catch (AlertException e) {
            error(ex, e.kind().httpStatus(), e.getMessage());
        } catch (ManualAnalysis.Unavailable e) {
            error(ex, 503, e.getMessage());
        } catch (StoreException e) {
            LOG.warn("dashboard: {} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.getMessage());
            error(ex, 500, "the database failed: " + e.getMessage());
        } catch (IOException e) {
            // the browser went away
        } catch (RuntimeException e) {
            LOG.error("dashboard: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            error(ex, 500, "internal error in Eyes: " + e.getClass().getSimpleName());
        } finally {
            ex.close();
        }
    }

    /**
     * The token: a page visited with {@code ?token=…} sets the session cookie and is reloaded without it; anything
     * else needs the cookie or a bearer header. Returns false when it answered the request itself.
     */
    private boolean authenticate(Request r) throws IOException {
        String given = r.param("token");
        if (given != null && r.method.equals("GET") && !r.path.startsWith("/api/")) {
            if (!security.tokenMatches(given)) {
                throw new HttpError(401, "wrong token: open the dashboard with the web.token from Eyes' "
                        + "configuration (/?token=…)");
            }
            HttpExchange ex = r.exchange;
            ex.getResponseHeaders().add("Set-Cookie", security.sessionCookie());
            ex.getResponseHeaders().set("Location", withoutToken(r));
            ex.sendResponseHeaders(303, -1);
            return false;
        }
        if (!security.authorized(r.header("Authorization"), r.header("Cookie"))) {
            r.exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"eyes\"");
            if (r.method.equals("GET") && Assets.PAGES.contains(r.path)) {
                // a person at a browser: say what to do, in plain text
                byte[] b = ("This Eyes dashboard needs its token.\n\nOpen it once in this browser as\n  "
                        + "http://" + Request.clip(String.valueOf(r.header("Host"))) + "/?token=YOUR_TOKEN\n"
                        + "with the web.token of Eyes' configuration; the browser then keeps a session cookie.\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                r.exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                r.exchange.sendResponseHeaders(401, b.length);
                try (OutputStream out = r.exchange.getResponseBody()) {
                    out.write(b);
                }
                return false;
            }
            throw new HttpError(401, "this dashboard needs its token: open /?token=… once in this browser, or send "
                    + "Authorization: Bearer …");
        }
        return true;
    }

    /** The page without the token in its query; only the dashboard's own pages (no open redirect). */
    private static String withoutToken(Request r) {
        String raw = r.exchange.getRequestURI().getRawQuery();
        String rest = raw == null ? "" : java.util.Arrays.stream(raw.split("&"))
                .filter(p -> !p.equals("token") && !p.startsWith("token="))
                .filter(p -> p.matches("[A-Za-z0-9_.~%+=-]*"))
                .collect(Collectors.joining("&"));
        String path = Assets.PAGES.contains(r.path) ? r.path : "/";
        return rest.isEmpty() ? path : path + "?" + rest;
    }

    private void route(Request r) throws IOException, StoreException {
        List<String> s = r.segments;
        if (!s.isEmpty() && s.getFirst().equals("api")) {
            api.route(r);
            return;
        }
        if (r.path.equals("/metrics") && parts.metrics() != null) {
            if (!r.method.equals("GET")) {
                throw HttpError.methodNotAllowed(r.method, "GET");
            }
            parts.metrics().handle(r.exchange);
            return;
        }
        Assets.Asset a = assets.find(r.path);
        if (a == null) {
            throw HttpError.notFound("nothing here: " + Request.clip(r.path));
        }
        if (!r.method.equals("GET") && !r.method.equals("HEAD")) {
            throw HttpError.methodNotAllowed(r.method, "GET, HEAD");
        }
        HttpExchange ex = r.exchange;
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        if (r.method.equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, a.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(a.body());
        }
    }

    static void error(HttpExchange ex, int status, String message) {
        if (ex.getResponseCode() != -1) {
            return; // already answering (a live stream that broke)
        }
        try {
            Api.json(ex, status, AlertJson.error(message));
        } catch (IOException ignored) {
            // the browser went away
        }
    }

    /** {@code /?token=…} for this server (what to print for people when a token is set). */
    public String urlWithToken(String token) {
        return url() + "/?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
