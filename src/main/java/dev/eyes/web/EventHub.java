package dev.eyes.web;

import com.sun.net.httpserver.HttpExchange;
import dev.eyes.json.JsonTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The live feed behind {@code GET /api/stream} (Server-Sent Events). Publishers — the store writer, analysis
 * threads, the alert stage, request handlers — call {@link #publish}, which never blocks and never waits for a
 * client: it numbers the event, keeps it in a small replay ring and offers it to each client's bounded queue. A
 * client whose queue is full (a stalled or slow reader) is dropped at once, its connection closed; the browser's
 * {@code EventSource} reconnects with {@code Last-Event-ID} and gets what it missed from the ring, or a
 * {@code reset} event (reload everything) when the ring no longer holds it. Each client is written by its own
 * virtual thread, so a slow socket holds up only that thread. Events reach every client in publication order, one
 * global sequence of ids.
 */
public final class EventHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    /** Events kept for clients that reconnect. */
    static final int REPLAY = 512;
    /** Events a client may have waiting before it is dropped. */
    static final int CLIENT_QUEUE = 1024;
    /** At most this many clients at once (each is a socket and a virtual thread); more are refused with 503. */
    static final int MAX_CLIENTS = 64;
    static final Duration KEEPALIVE = Duration.ofSeconds(15);

    /** One event: its id, its type and its JSON data (one line). */
    public record Event(long id, String type, String data) {
        byte[] frame() {
            return ("id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final Event CLOSE = new Event(-1, "", "");

    private static final class Client {
        final BlockingQueue<Event> queue;
        /** Its writer: interrupting it closes the connection, even in the middle of a blocked write. */
        final Thread writer = Thread.currentThread();
        volatile boolean dropped;

        Client(int capacity) {
            queue = new ArrayBlockingQueue<>(capacity + 1); // + room for CLOSE
        }

        /** Ends the stream: the writer wakes (or its blocked write fails: the socket channel closes). */
        void end() {
            queue.clear();
            queue.offer(CLOSE);
            writer.interrupt();
        }
    }

    private final int clientQueue;
    private final int maxClients;
    private final Duration keepalive;
    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private final Set<Client> clients = new LinkedHashSet<>();
    private long nextId = 1;
    private boolean closed;
    private final AtomicLong droppedClients = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Runnable> clientListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EventHub() {
        this(CLIENT_QUEUE, MAX_CLIENTS, KEEPALIVE);
    }

    EventHub(int clientQueue, int maxClients, Duration keepalive) {
        this.clientQueue = clientQueue;
        this.maxClients = maxClients;
        this.keepalive = keepalive;
    }

    /** Publishes an event to every connected client; never blocks. */
    public void publish(String type, ObjectNode data) {
        String json = JsonTrees.write(data); // outside the lock
        List<Client> overflowing = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            Event e = new Event(nextId++, type, json);
            recent.addLast(e);
            if (recent.size() > REPLAY) {
                recent.removeFirst();
            }
            for (Client c : clients) {
                if (!c.queue.offer(e) || c.queue.remainingCapacity() == 0) {
                    if (overflowing == null) {
                        overflowing = new ArrayList<>();
                    }
                    overflowing.add(c);
                }
            }
            if (overflowing != null) {
                for (Client c : overflowing) {
                    drop(c);
                }
            }
        }
        published.incrementAndGet();
        if (overflowing != null) {
            LOG.info("dashboard: {} live client(s) fell {} events behind and were disconnected (they reconnect and "
                    + "catch up)", overflowing.size(), clientQueue);
            clientsChanged();
        }
    }

    /**
     * Under the lock: forget the client and end its stream. Its writer may be blocked writing to a socket the
     * browser does not read; the interrupt closes that socket (an interruptible channel), so nothing lingers.
     */
    private void drop(Client c) {
        clients.remove(c);
        c.dropped = true;
        c.end();
        droppedClients.incrementAndGet();
    }

    public synchronized int clients() {
        return clients.size();
    }

    /** Connections being written right now (a dropped client's ends once its writer has let go of the socket). */
    public int activeStreams() {
        return streams.get();
    }

    /** Clients disconnected because they fell behind. */
    public long droppedClients() {
        return droppedClients.get();
    }

    public long published() {
        return published.get();
    }

    /** The id the next event will have. */
    public synchronized long nextId() {
        return nextId;
    }

    /** Called (on some thread) whenever a client connects or goes. */
    void onClientsChanged(Runnable r) {
        clientListeners.add(r);
    }

    private void clientsChanged() {
        for (Runnable r : clientListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.debug("client listener failed", e);
            }
        }
    }

    /**
     * Serves one {@code EventSource} connection until the client goes, falls behind or the hub closes. Runs on
     * the request's (virtual) thread.
     *
     * @param lastEventId the {@code Last-Event-ID} the browser sent when reconnecting, else null
     */
    void serve(HttpExchange ex, String lastEventId) throws IOException {
        Client client = new Client(clientQueue);
        List<Event> replay = new ArrayList<>();
        boolean reset = false;
        long last = parseId(lastEventId);
        synchronized (this) {
            if (closed) {
                throw new HttpError(503, "Eyes is stopping");
            }
            if (clients.size() >= maxClients) {
                throw new HttpError(503, "too many live connections (" + maxClients + "); close some dashboard tabs");
            }
            if (last >= 0) {
                long oldest = recent.isEmpty() ? nextId : recent.getFirst().id();
                if (last + 1 < oldest || last >= nextId) {
                    reset = true; // missed more than the ring holds, or from an earlier run of Eyes
                } else {
                    for (Event e : recent) {
                        if (e.id() > last) {
                            replay.add(e);
                        }
                    }
                }
            }
            clients.add(client);
        }
        clientsChanged();
        streams.incrementAndGet();
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("X-Accel-Buffering", "no");
            // a stream is never followed by another request on its connection: close it when the stream ends
            ex.getResponseHeaders().set("Connection", "close");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            StringBuilder hello = new StringBuilder("retry: 2000\n\n");
            if (reset) {
                hello.append("event: reset\ndata: {}\n\n");
            }
            out.write(hello.toString().getBytes(StandardCharsets.UTF_8));
            for (Event e : replay) {
                out.write(e.frame());
            }
            out.flush();
            while (true) {
                Event e = client.queue.poll(keepalive.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                if (e == CLOSE) {
                    break;
                }
                out.write(e.frame());
                // write what else is waiting, then flush once
                Event more;
                boolean close = false;
                while ((more = client.queue.poll()) != null) {
                    if (more == CLOSE) {
                        close = true;
                        break;
                    }
                    out.write(more.frame());
                }
                out.flush();
                if (close) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            // dropped or closing: the connection ends below
        } catch (IOException e) {
            // the browser went away, or a blocked write was interrupted (the channel is closed)
        } finally {
            synchronized (this) {
                clients.remove(client);
            }
            clientsChanged();
            try {
                ex.close();
            } finally {
                streams.decrementAndGet();
            }
        }
    }

    static long parseId(String s) {
        if (s == null || s.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Ends every connection; later publications are ignored. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Client c : new ArrayList<>(clients)) {
                clients.remove(c);
                c.end();
            }
        }
    }
}
