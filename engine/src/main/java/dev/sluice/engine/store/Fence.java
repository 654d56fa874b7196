package dev.sluice.engine.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Makes a store refuse state changes from a server that is not (or no longer) the leader. A store
 * given a fence ({@link Store#withFence}) checks, inside the transaction of every
 * {@link Store#commit}, that the lease row still names this {@link Token#holder} with this
 * {@link Token#epoch}, locking that row until the commit ends; otherwise it rolls back and throws {@link FencedException}. Because taking the
 * lease over raises the epoch (and must wait for that lock), no commit of an old leader can land
 * after a new leader took over. Stores of {@code sluice run} have no fence.
 *
 * <p>{@code LeaderElection.fence()} is the implementation a server uses:
 * <pre>
 *   Store store = Stores.open(db, dataDir);
 *   LeaderElection election = new LeaderElection(store.lease(LeaderLease.SCHEDULER), holder, url, listener);
 *   Store fenced = store.withFence(election.fence()); // for the scheduler and the cron service
 * </pre>
 */
@FunctionalInterface
public interface Fence {

    /**
     * The lease this process writes under, or empty when it must not write now (a follower, or a
     * leader whose lease may have run out): the commit is then refused without asking the database.
     * Called once per commit; must be cheap and thread-safe.
     */
    Optional<Token> token();

    /** A fence that always lets the given holder and epoch through to the database check (tests, tools). */
    static Fence of(String lease, String holder, long epoch) {
        Token token = new Token(lease, holder, epoch);
        return () -> Optional.of(token);
    }

    /**
     * What a fenced commit checks against the lease row.
     *
     * @param lease  the lease name, e.g. {@link LeaderLease#SCHEDULER}
     * @param holder the owner string the lease was acquired with
     * @param epoch  the epoch {@link LeaderLease#tryAcquire} returned
     */
    record Token(String lease, String holder, long epoch) {
        public Token {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(holder, "holder");
        }
    }
}
