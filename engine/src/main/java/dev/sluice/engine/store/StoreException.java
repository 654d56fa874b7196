package dev.sluice.engine.store;

/** The database could not be reached or answered with an error. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
