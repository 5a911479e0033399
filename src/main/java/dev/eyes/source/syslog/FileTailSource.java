package dev.eyes.source.syslog;

import dev.eyes.config.LoggingConfig;
import dev.eyes.event.Checkpoint;
import dev.eyes.source.EventSink;
import dev.eyes.source.LineReader;
import dev.eyes.source.LogDecoder;
import dev.eyes.source.LogFormat;
import dev.eyes.source.Source;
import dev.eyes.source.SourceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails a text log file (syslog, journald JSON or plain), surviving rotation:
 * <ul>
 *   <li>rename rotation ({@code logrotate} default): the old file is read to its end, then the new file from 0;</li>
 *   <li>copytruncate: when the file shrinks below the read offset, reading restarts at 0;</li>
 *   <li>a missing file is waited for.</li>
 * </ul>
 * Every event carries a checkpoint {@code <file identity>|<offset after the line>}; on restart Eyes resumes
 * there when the file is still the same one, reads a rotated-in file from its start, and otherwise (first start)
 * begins at the current end of the file. A half-written last line is held back until its newline arrives.
 *
 * <p>Idle, it sleeps until its directory reports a change (inotify through {@link FileWatcher}), and looks anyway
 * every {@code pollInterval} (rotation schemes a watch could miss; directories that cannot be watched).
 */
public final class FileTailSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailSource.class);

    private final Path path;
    private final String id;
    private final LogDecoder decoder;
    private final LogFormat format;
    private final String savedPosition;
    private final Duration pollInterval;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
    private final FileWatcher watcher;
    private FileWatcher.Registration registration;
    private volatile Thread thread;
    private volatile SourceStatus status;
    private EventSink sink;
    private FileChannel channel;
    private Object fileKey;
    private long offset;

    public FileTailSource(Path path, LogFormat format, LoggingConfig logging, String savedPosition,
                          Duration pollInterval) {
        this.path = path.toAbsolutePath().normalize();
        this.id = "file:" + this.path;
        this.format = format;
        this.decoder = format.newDecoder(logging, path.getFileName().toString(), Instant::now);
        this.savedPosition = savedPosition;
        this.pollInterval = pollInterval;
        this.status = new SourceStatus(id, SourceStatus.State.STARTING, "", 0, Instant.now());
        this.watcher = FileWatcher.shared();
    }

    /** The checkpoint id of a file source for {@code path}. */
    public static String idFor(Path path) {
        return "file:" + path.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return id;
    }

    public LogDecoder decoder() {
        return decoder;
    }

    @Override
    public dev.eyes.source.DecodeCounters decodeCounters() {
        return decoder.counters();
    }

    @Override
    public String parser() {
        return format.parserName();
    }

    @Override
    public synchronized void start(EventSink sink) {
        if (thread != null) {
            return;
        }
        this.sink = sink;
        thread = Thread.ofVirtual().name("eyes-tail-" + path.getFileName()).start(this::loop);
    }

    @Override
    public void stop() {
        stopped.countDown();
        wake.release();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        status = new SourceStatus(id, SourceStatus.State.STOPPED, "", 0, Instant.now());
    }

    @Override
    public SourceStatus status() {
        return status;
    }

    private void loop() {
        try {
            watch();
            openInitial();
            while (stopped.getCount() > 0) {
                // a change reported from here on leaves a permit, so the wait below cannot miss it
                wake.drainPermits();
                boolean progressed = channel != null && readAvailable();
                if (!progressed && !checkRotation()) {
                    // sleep until the directory reports a change, or the fallback interval passes
                    boolean woken = wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    if (stopped.getCount() == 0) {
                        break;
                    }
                    if (!woken) {
                        watch();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (registration != null) {
                registration.cancel();
            }
            closeChannel();
        }
    }

    /** (Re)registers with the watcher when the directory is not watched (yet, or any more). */
    private void watch() {
        if (watcher == null || (registration != null && watcher.watching(path))) {
            return;
        }
        if (registration != null) {
            registration.cancel();
        }
        registration = watcher.watch(path, wake::release);
    }

    private void openInitial() {
        Object currentKey = keyOf(path);
        if (currentKey == null) {
            degraded("waiting for " + path + " to exist");
            return;
        }
        long start;
        String[] saved = savedPosition == null ? null : splitPosition(savedPosition);
        if (saved != null && saved[0].equals(currentKey.toString())) {
            start = Long.parseLong(saved[1]);
        } else if (saved != null) {
            start = 0; // rotated while Eyes was not running: the new file is all new
        } else {
            start = size(path); // first start: begin at the current end, like tail -F -n 0
        }
        open(currentKey, start);
    }

    private void open(Object key, long start) {
        closeChannel();
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            fileKey = key;
            long size = channel.size();
            offset = start > size ? 0 : start;
            status = new SourceStatus(id, SourceStatus.State.RUNNING, "", 0, Instant.now());
        } catch (IOException e) {
            channel = null;
            degraded("cannot open " + path + ": " + e.getMessage());
        }
    }

    /** Reads the complete lines available after {@code offset}; returns whether any byte was consumed. */
    private boolean readAvailable() throws InterruptedException {
        try {
            long size = channel.size();
            if (size <= offset) {
                return false;
            }
            long start = offset;
            long[] consumed = {0};
            InputStream in = Channels.newInputStream(channel.position(start));
            LineReader reader = new LineReader(in, LineReader.DEFAULT_MAX_LINE);
            reader.readAll((buf, len, truncated, n) -> {
                consumed[0] += n;
                long after = start + consumed[0];
                decoder.feedLine(buf, 0, len, truncated, (event, position) ->
                        sink.put(event, new Checkpoint(id, fileKey + "|" + after)));
            }, false);
            offset = start + consumed[0];
            return consumed[0] > 0;
        } catch (IOException e) {
            LOG.warn("{}: read failed: {}", id, e.getMessage());
            closeChannel();
            return false;
        }
    }

    /** Follows rotation, truncation and a file that appears; returns true when there is a new place to read. */
    private boolean checkRotation() throws InterruptedException {
        Object currentKey = keyOf(path);
        if (channel == null) {
            if (currentKey != null) {
                LOG.info("{}: file appeared; reading from its start", id);
                open(currentKey, 0);
                return channel != null;
            }
            return false;
        }
        if (currentKey == null) {
            // removed or renamed away, nothing new yet: keep the old handle (it was read to its end)
            degraded(path + " was moved away; waiting for a new file");
            return false;
        }
        if (!Objects.equals(currentKey, fileKey)) {
            while (channel != null && readAvailable()) {
                // drain what the writer added to the old file before it switched
            }
            LOG.info("{}: rotated; reading the new file from its start", id);
            open(currentKey, 0);
            return channel != null;
        }
        long size = size(path);
        boolean truncated = size < offset;
        if (truncated) {
            LOG.info("{}: truncated (copytruncate); reading again from its start", id);
            offset = 0;
        }
        if (status.state() != SourceStatus.State.RUNNING) {
            status = new SourceStatus(id, SourceStatus.State.RUNNING, "", 0, Instant.now());
        }
        return truncated;
    }

    private void degraded(String reason) {
        if (!reason.equals(status.reason())) {
            LOG.info("{}: {}", id, reason);
        }
        status = new SourceStatus(id, SourceStatus.State.DEGRADED, reason, 0, Instant.now());
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            channel = null;
        }
    }

    private static Object keyOf(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            Object k = a.fileKey();
            return k != null ? k : "size-unknown";
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** "key|offset" → [key, offset], or null when it does not parse. */
    static String[] splitPosition(String position) {
        int bar = position.lastIndexOf('|');
        if (bar <= 0) {
            return null;
        }
        try {
            Long.parseLong(position.substring(bar + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        return new String[] {position.substring(0, bar), position.substring(bar + 1)};
    }
}
