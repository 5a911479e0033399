package dev.eyes.source;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The host platform, and where its tools are. */
public enum Platform {
    LINUX("Linux"), MACOS("macOS"), OTHER("this platform");

    private final String display;

    Platform(String display) {
        this.display = display;
    }

    /** "Linux", "macOS". */
    public String display() {
        return display;
    }

    public static Platform detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return LINUX;
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return MACOS;
        }
        return OTHER;
    }

    /** The executable {@code name} on PATH (or in the usual system directories), if any. */
    public static Optional<Path> which(String name) {
        String path = System.getenv("PATH");
        String dirs = (path == null ? "" : path) + File.pathSeparator + "/usr/bin:/bin:/usr/sbin:/sbin";
        for (String dir : dirs.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
