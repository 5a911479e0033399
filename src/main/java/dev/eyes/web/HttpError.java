package dev.eyes.web;

/**
 * A request the server answers with an error status and {@code {"message": …}}: thrown by guards and handlers,
 * turned into the response in one place.
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final String allow;

    HttpError(int status, String message) {
        this(status, message, null);
    }

    /** @param allow the {@code Allow} header of a 405 */
    HttpError(int status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    int status() {
        return status;
    }

    String allow() {
        return allow;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    static HttpError forbidden(String message) {
        return new HttpError(403, message);
    }

    static HttpError methodNotAllowed(String method, String allow) {
        return new HttpError(405, method + " is not allowed here (allowed: " + allow + ")", allow);
    }
}
