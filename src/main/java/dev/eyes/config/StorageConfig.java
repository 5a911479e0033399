package dev.eyes.config;

import java.nio.file.Path;

/**
 * {@code [storage]}: the SQLite file (relative paths are resolved against the working directory) and how often
 * source positions are saved.
 *
 * @param checkpointBatch     save source positions after this many processed events …
 * @param checkpointIntervalMillis … or this long after the first unsaved one, whichever comes first; after a crash
 *                            at most one such batch is read twice
 */
public record StorageConfig(Path databasePath, int checkpointBatch, long checkpointIntervalMillis) {
    public StorageConfig(Path databasePath) {
        this(databasePath, 1000, 1000);
    }

    public static StorageConfig defaults() {
        return new StorageConfig(Path.of("eyes.db"));
    }

    public StorageConfig withDatabasePath(Path p) {
        return new StorageConfig(p, checkpointBatch, checkpointIntervalMillis);
    }
}
