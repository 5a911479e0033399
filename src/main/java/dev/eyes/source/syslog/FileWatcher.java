package dev.eyes.source.syslog;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes file tailers when something happens in their file's directory (a write, a rotation, the file appearing),
 * so that an idle tailer sleeps instead of polling: the JDK's {@link WatchService}, which is inotify on Linux. One
 * watch service for all tailers; its events are dispatched by file name on one virtual thread. Where a directory
 * cannot be watched (no inotify, the watch limit reached, the directory missing), {@link #watch} says so and the
 * tailer keeps polling at its fallback interval.
 */
final class FileWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
    private static FileWatcher shared;

    /** A registration; {@link #cancel()} when the tailer stops. */
    interface Registration {
        void cancel();
    }

    private final WatchService service;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    /** Directory → file name → listeners. */
    private final Map<Path, Map<Path, List<Runnable>>> listeners = new HashMap<>();

    private FileWatcher(WatchService service) {
        this.service = service;
        Thread.ofVirtual().name("eyes-file-watcher").start(this::run);
    }

    /** The process-wide watcher, or null when this platform offers none. */
    static synchronized FileWatcher shared() {
        if (shared == null) {
            try {
                shared = new FileWatcher(FileSystems.getDefault().newWatchService());
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug("file watching unavailable ({}); file sources poll", e.toString());
                return null;
            }
        }
        return shared;
    }

    /**
     * Calls {@code onChange} (on the watcher's thread; it must not block) whenever an entry named like
     * {@code file} is created, changed or removed in its directory, and on every overflow. Returns null when the
     * directory cannot be watched.
     */
    synchronized Registration watch(Path file, Runnable onChange) {
        Path dir = file.getParent();
        Path name = file.getFileName();
        if (dir == null || name == null) {
            return null;
        }
        if (!keys.containsKey(dir)) {
            try {
                keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot watch {} ({}); polling it", dir, e.toString());
                return null;
            }
        }
        listeners.computeIfAbsent(dir, d -> new HashMap<>()).computeIfAbsent(name, n -> new ArrayList<>())
                .add(onChange);
        return () -> unwatch(dir, name, onChange);
    }

    /** Whether {@code file}'s directory is being watched now. */
    synchronized boolean watching(Path file) {
        return file.getParent() != null && keys.containsKey(file.getParent());
    }

    private synchronized void unwatch(Path dir, Path name, Runnable onChange) {
        Map<Path, List<Runnable>> byName = listeners.get(dir);
        if (byName == null) {
            return;
        }
        List<Runnable> list = byName.get(name);
        if (list != null) {
            list.remove(onChange);
            if (list.isEmpty()) {
                byName.remove(name);
            }
        }
        if (byName.isEmpty()) {
            listeners.remove(dir);
            WatchKey key = keys.remove(dir);
            if (key != null) {
                key.cancel();
            }
        }
    }

    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path dir = (Path) key.watchable();
            List<Runnable> wake = new ArrayList<>();
            synchronized (this) {
                Map<Path, List<Runnable>> byName = listeners.getOrDefault(dir, Map.of());
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        byName.values().forEach(wake::addAll);
                    } else if (event.context() instanceof Path name && byName.containsKey(name)) {
                        wake.addAll(byName.get(name));
                    }
                }
                if (!key.reset()) {
                    // the directory went away: its tailers poll, and register again when it is back
                    byName.values().forEach(wake::addAll);
                    keys.remove(dir);
                    listeners.remove(dir);
                }
            }
            for (Runnable r : wake) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.debug("file watcher listener failed: {}", e.toString());
                }
            }
        }
    }
}
