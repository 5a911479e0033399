package dev.eyes.selfmon;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server for {@code /metrics} alone ({@code eyes run --metrics-bind ADDR}), for hosts where the
 * dashboard is off or should not be reachable by the scraper: the JDK's {@code com.sun.net.httpserver}, one virtual
 * thread per request. Everything but {@code /metrics} is 404.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param host  the address to bind (a literal or a name)
     * @param port  0 for any free port
     * @param token the bearer token to require, or null; the caller decides (required off loopback)
     * @param loopback whether the bind address is loopback (then the Host header must be loopback too)
     * @throws IOException when the address cannot be bound
     */
    public static MetricsServer start(Telemetry telemetry, String host, int port, String token, boolean loopback)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/metrics", new MetricsHandler(telemetry, token, loopback));
        server.createContext("/", ex -> {
            try (ex) {
                byte[] b = "not found: only /metrics is served here\n".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                ex.sendResponseHeaders(404, b.length);
                ex.getResponseBody().write(b);
            }
        });
        server.start();
        MetricsServer s = new MetricsServer(server, executor);
        LOG.info("serving Prometheus metrics at http://{}/metrics{}", s.address(),
                token == null ? "" : " (bearer token required)");
        return s;
    }

    /** host:port actually bound ({@code [::1]:9464} for IPv6). */
    public String address() {
        InetSocketAddress a = server.getAddress();
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
