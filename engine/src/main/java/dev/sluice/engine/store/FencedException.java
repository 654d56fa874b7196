package dev.sluice.engine.store;

/**
 * A fenced commit was refused because this process no longer holds the leader lease with the
 * epoch it writes under (or never did); nothing of the commit was written.
 *
 * <p>A {@link StoreException}, not a {@link ConflictException}: a conflict means "the data moved
 * on, read again and decide again", which callers handle by skipping or re-deciding (the cron
 * service, for one, takes it for "this tick already fired"). A fenced write means "this process
 * must stop writing at all": re-reading and retrying would be refused again until it is elected
 * anew. As a non-transient store failure it stops the scheduler (which never retries it), surfaces
 * in the cron service's log, and answers {@code 503} over HTTP.
 */
public final class FencedException extends StoreException {

    public FencedException(String message) {
        super(message, null);
    }

    /** Never: retrying cannot help until this process is elected again (with a new epoch). */
    @Override
    public boolean transientFailure() {
        return false;
    }
}
