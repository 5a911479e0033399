package dev.eyes.config;

/**
 * An invalid or unreadable configuration. The message is meant for a person: it names the file,
 * the key and what is allowed, and never carries a stack trace to the user.
 */
public final class ConfigException extends Exception {
    private final String key;

    public ConfigException(String message) {
        this(null, message);
    }

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The dotted key that is wrong (e.g. {@code ai.timeout_seconds}), or null when the problem is not one key. */
    public String key() {
        return key;
    }
}
