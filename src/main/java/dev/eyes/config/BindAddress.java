package dev.eyes.config;

import java.util.Locale;

/** A parsed {@code host:port} ({@code [v6]:port} for IPv6). */
public record BindAddress(String host, int port) {

    /** Parses host:port; throws IllegalArgumentException with a sentence fit for the user. */
    public static BindAddress parse(String text) {
        String s = text.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0 || end + 1 >= s.length() || s.charAt(end + 1) != ':') {
                throw new IllegalArgumentException("must look like [::1]:8787, got \"" + text + "\"");
            }
            host = s.substring(1, end);
            port = s.substring(end + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("must look like 127.0.0.1:8787, got \"" + text + "\"");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("needs a port number from 0 to 65535, got \"" + text + "\"");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("needs a port number from 0 to 65535, got \"" + text + "\"");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("needs a host, got \"" + text + "\"");
        }
        return new BindAddress(host, p);
    }

    public boolean isLoopback() {
        return isLoopbackHost(host);
    }

    /** localhost, 127.0.0.0/8 and ::1 (no DNS lookup). */
    public static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
