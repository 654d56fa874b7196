package dev.sluice.engine.store;

/** A compare-and-set in a commit did not hold: someone else changed the state first. */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
