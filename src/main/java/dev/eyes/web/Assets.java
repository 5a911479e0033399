package dev.eyes.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files, served from the jar ({@code src/main/resources/web/}): one HTML shell for every page,
 * and the scripts, styles and icons under {@code /assets/}. Read once, then kept in memory (about 100 KB). For
 * working on them, {@code -Deyes.web.dir=src/main/resources/web} serves them from that directory instead, read
 * at each request.
 */
final class Assets {
    private static final String DEV_DIR = System.getProperty("eyes.web.dir");
    /** The pages; each is the same shell, the script renders the one its path names. */
    static final Set<String> PAGES = Set.of("/", "/alerts", "/system", "/rules", "/silences", "/health");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    record Asset(byte[] body, String contentType) {
    }

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** The asset for a request path, or null. */
    Asset find(String path) {
        if (PAGES.contains(path)) {
            return load("web/index.html");
        }
        if (path.equals("/favicon.svg")) {
            return load("web/favicon.svg");
        }
        if (path.startsWith("/assets/")) {
            String name = path.substring("/assets/".length());
            if (NAME.matcher(name).matches()) {
                return load("web/assets/" + name);
            }
        }
        return null;
    }

    private Asset load(String resource) {
        if (DEV_DIR != null) {
            java.nio.file.Path f = java.nio.file.Path.of(DEV_DIR, resource.substring("web/".length()));
            try {
                String ext = resource.substring(resource.lastIndexOf('.') + 1);
                return new Asset(java.nio.file.Files.readAllBytes(f), TYPES.getOrDefault(ext, "application/octet-stream"));
            } catch (IOException e) {
                return null;
            }
        }
        Asset a = cache.get(resource);
        if (a != null) {
            return a;
        }
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            a = new Asset(in.readAllBytes(), TYPES.getOrDefault(ext, "application/octet-stream"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache.put(resource, a);
        return a;
    }
}
