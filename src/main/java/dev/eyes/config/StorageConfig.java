package dev.eyes.config;

import java.nio.file.Path;

/** {@code [storage]}: the SQLite file (relative paths are resolved against the working directory). */
public record StorageConfig(Path databasePath) {
    public static StorageConfig defaults() {
        return new StorageConfig(Path.of("eyes.db"));
    }
}
