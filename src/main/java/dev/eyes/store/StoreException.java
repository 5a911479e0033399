package dev.eyes.store;

/** A store operation failed; the message is fit for a person (no stack trace needed). */
public class StoreException extends Exception {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
