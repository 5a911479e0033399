package dev.eyes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The captured tool outputs under {@code src/test/resources/fixtures} (system property {@code eyes.fixtures}). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path root() {
        String dir = System.getProperty("eyes.fixtures");
        if (dir == null) {
            Path fallback = Path.of("src/test/resources/fixtures");
            if (Files.isDirectory(fallback)) {
                return fallback;
            }
            throw new IllegalStateException("system property eyes.fixtures is not set");
        }
        return Path.of(dir);
    }

    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("fixture missing: " + p);
        }
        return p;
    }

    public static String text(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
