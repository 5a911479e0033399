package dev.eyes.web;

import dev.eyes.config.BindAddress;
import dev.eyes.store.Database;
import dev.eyes.store.SqliteAlertStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Run in a fresh JVM by {@link WebFiguresTest}: opens a store, then times {@code new WebServer(...).start()} up
 * to the first byte of {@code GET /} read back over loopback, and prints the milliseconds.
 */
public final class WebColdStart {
    private WebColdStart() {
    }

    public static void main(String[] args) throws Exception {
        SqliteAlertStore store = new SqliteAlertStore(Database.open(Path.of(args[0])));
        long t0 = System.nanoTime();
        WebServer server = new WebServer(BindAddress.parse("127.0.0.1:0"), "", List.of(), new WebServer.Parts(store,
                null, Healths::ok,
                new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(5)), null, null, null));
        server.start();
        int port = server.address().getPort();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            if (in.read() == -1) {
                throw new IllegalStateException("no answer");
            }
        }
        System.out.printf(java.util.Locale.ROOT, "%.1f%n", (System.nanoTime() - t0) / 1e6);
        server.stop(Duration.ZERO);
        store.close();
    }
}
