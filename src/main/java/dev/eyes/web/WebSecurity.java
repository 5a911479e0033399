package dev.eyes.web;

import com.sun.net.httpserver.Headers;
import dev.eyes.config.BindAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The dashboard's guards, checked on every request before any handler runs:
 * <ol>
 *   <li><b>Host</b> (DNS rebinding): the {@code Host} header must name a loopback host ({@code localhost},
 *       {@code *.localhost}, {@code 127.0.0.0/8}, {@code ::1}), a name in {@code web.allowed_hosts}, the bind host,
 *       or — only when bound off loopback — an IP literal (a rebinding page always sends its own host name);
 *       else 403.</li>
 *   <li><b>Token</b> (when {@code web.token} is set): an {@code Authorization: Bearer} header with the token, or
 *       the {@code eyes_session} cookie that visiting {@code /?token=…} once sets (HttpOnly, SameSite=Strict; it
 *       holds a SHA-256 of the token, never the token); else 401. Compared in constant time.</li>
 *   <li><b>Writes</b> ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}): {@code Sec-Fetch-Site}, when
 *       sent, must be {@code same-origin}; {@code Origin}, when sent, must be this server's origin (the request's
 *       own {@code Host}); and the body must be declared {@code application/json}, which no cross-site form can
 *       send and no cross-site script can send without a CORS preflight this server never grants; else 403 (415
 *       for a same-origin request with another content type). A request with neither header comes from a
 *       program, not a browser, and is no cross-site risk.</li>
 * </ol>
 */
final class WebSecurity {
    static final String COOKIE = "eyes_session";
    /** Sent with every response. */
    static final String CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final BindAddress bind;
    private final byte[] token;
    private final String cookieValue;
    private final Set<String> allowedHosts;

    WebSecurity(BindAddress bind, String token, List<String> allowedHosts) {
        this.bind = bind;
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.cookieValue = this.token == null ? null : sessionValue(token);
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    boolean tokenRequired() {
        return token != null;
    }

    /** The cookie's value for {@code token}: SHA-256, hex (a leaked cookie does not reveal the token). */
    static String sessionValue(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("eyes-session:" + token)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The security headers every response carries. */
    static void headers(Headers h) {
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
    }

    // ---- Host ----------------------------------------------------------------------------------------------

    /** The host name of a {@code Host} header (no port, no brackets, lower case); null when malformed. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) {
            return null;
        }
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return null;
            }
            String rest = h.substring(end + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
                return null;
            }
            return h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (h.indexOf(':', colon + 1) >= 0 || !h.substring(colon + 1).matches("\\d{1,5}")) {
                return null; // a bare IPv6 address or garbage
            }
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.isEmpty() || !h.matches("[a-z0-9._-]+") ? null : h;
    }

    private static boolean ipLiteral(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    void checkHost(String hostHeader) {
        String h = hostName(hostHeader);
        if (h == null) {
            throw HttpError.forbidden("the Host header is missing or malformed");
        }
        if (BindAddress.isLoopbackHost(h) || allowedHosts.contains(h)
                || h.equals(bind.host().toLowerCase(Locale.ROOT))
                || (!bind.isLoopback() && ipLiteral(h))) {
            return;
        }
        throw HttpError.forbidden("Host '" + Request.clip(h) + "' is not allowed: Eyes answers to localhost and its "
                + "own address; add this name to web.allowed_hosts to use it");
    }

    // ---- token ----------------------------------------------------------------------------------------------

    /** True when the request carries the token (bearer) or the session cookie; always true without a token. */
    boolean authorized(String authorization, String cookieHeader) {
        if (token == null) {
            return true;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(given, token)) {
                return true;
            }
        }
        String cookie = cookie(cookieHeader, COOKIE);
        return cookie != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                cookieValue.getBytes(StandardCharsets.US_ASCII));
    }

    /** True when {@code given} is the token (for {@code /?token=…}). */
    boolean tokenMatches(String given) {
        return token != null && given != null
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token);
    }

    /** The {@code Set-Cookie} value that stands for the token from now on. */
    String sessionCookie() {
        return COOKIE + "=" + cookieValue + "; Path=/; HttpOnly; SameSite=Strict";
    }

    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equals(name)) {
                return p.substring(eq + 1).trim();
            }
        }
        return null;
    }

    // ---- writes ---------------------------------------------------------------------------------------------

    static boolean isWrite(String method) {
        return WRITES.contains(method);
    }

    /**
     * Refuses a write that a browser sent from another site, or that is not declared JSON.
     *
     * @param hostHeader the request's own Host (the origin it was sent to)
     */
    void checkWrite(String hostHeader, String origin, String secFetchSite, String contentType) {
        if (secFetchSite != null && !secFetchSite.trim().equalsIgnoreCase("same-origin")) {
            throw HttpError.forbidden("cross-site request refused (Sec-Fetch-Site: " + Request.clip(secFetchSite.trim())
                    + "): changes are accepted only from the dashboard itself");
        }
        if (origin != null && !sameOrigin(origin, hostHeader)) {
            throw HttpError.forbidden("cross-origin request refused (Origin: " + Request.clip(origin.trim())
                    + "): changes are accepted only from the dashboard itself");
        }
        if (!isJson(contentType)) {
            if (origin != null || secFetchSite != null) {
                throw new HttpError(415, "send the request body as JSON (Content-Type: application/json)");
            }
            throw HttpError.forbidden("changes need a JSON body (Content-Type: application/json)");
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json");
    }

    /** {@code Origin} is {@code http://<the Host this request was sent to>} (or https), any case. */
    static boolean sameOrigin(String origin, String hostHeader) {
        String o = origin.trim();
        if (o.equals("null") || hostHeader == null) {
            return false;
        }
        try {
            URI u = new URI(o);
            String scheme = u.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || u.getRawAuthority() == null) {
                return false;
            }
            String authority = u.getRawAuthority().toLowerCase(Locale.ROOT);
            String host = hostHeader.trim().toLowerCase(Locale.ROOT);
            if (authority.equals(host)) {
                return true;
            }
            // default ports may be left out on either side
            String defaultPort = scheme.equalsIgnoreCase("https") ? ":443" : ":80";
            return (authority + defaultPort).equals(host) || authority.equals(host + defaultPort);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
