package dev.eyes.app;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM ask for a clean stop (so {@code eyes run} can exit 0 rather than 130/143); SIGHUP is
 * reported to a reload handler. Falls back to a shutdown hook where signals cannot be handled.
 */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String received = "";

    void install(Runnable onHangup) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    received = "SIG" + s.getName();
                    stop.countDown();
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        if (onHangup != null) {
            try {
                Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().start(onHangup));
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIGHUP: {}", e.getMessage());
            }
        }
    }

    void await() throws InterruptedException {
        stop.await();
    }

    void requestStop(String why) {
        received = why;
        stop.countDown();
    }

    String received() {
        return received;
    }
}
