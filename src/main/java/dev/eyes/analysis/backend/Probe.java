package dev.eyes.analysis.backend;

/**
 * The outcome of checking a backend.
 *
 * @param ok        the server answered and (where it can tell) has the model
 * @param reachable the server answered at all (false: refused, timed out, unknown host)
 * @param message   one sentence for the log
 */
public record Probe(boolean ok, boolean reachable, String message) {
    /** A server that answered: {@code ok} tells whether it is ready. */
    public Probe(boolean ok, String message) {
        this(ok, true, message);
    }

    /** A server that could not be reached. */
    public static Probe unreachable(String message) {
        return new Probe(false, false, message);
    }
}
