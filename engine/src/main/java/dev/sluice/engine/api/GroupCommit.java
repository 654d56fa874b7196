package dev.sluice.engine.api;

import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Commits the changes of concurrent requests (runs triggered at the same time) in one transaction.
 *
 * <p>Under load, the server spent most of its CPU in the database writing the same index pages
 * again at every request's commit (H2 writes a chunk per commit), and the scheduler waited behind
 * those commits. Here a request queues its changes and takes the commit lock; whoever holds it
 * commits everything queued by then, its own and the requests that arrived while the previous
 * commit ran. A single request alone commits at once, as before: no timer, no added wait.
 *
 * <p>The contract stays a request's: {@link #commit} returns only once its changes are committed,
 * and throws what committing them alone would throw. When a shared commit fails, each request's
 * changes are committed again alone, so one bad request never fails the others.
 */
final class GroupCommit {

    private final Store store;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Object commitLock = new Object();

    GroupCommit(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    private record Pending(List<Change> changes, CompletableFuture<Void> done) {}

    /** Commits {@code changes}, with whatever other requests queue meanwhile; blocks (call it off the event loop). */
    void commit(List<Change> changes) {
        Pending mine = new Pending(List.copyOf(changes), new CompletableFuture<>());
        queue.add(mine);
        synchronized (commitLock) {
            if (!mine.done.isDone()) commitQueued();
        }
        try {
            mine.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Under the lock: everything queued so far, in one transaction (ours is among it). */
    private void commitQueued() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; (p = queue.poll()) != null; ) batch.add(p); // never empty: ours is not done, so still queued
        if (batch.size() == 1) {
            commitAlone(batch.get(0));
            return;
        }
        List<Change> all = new ArrayList<>();
        for (Pending p : batch) all.addAll(p.changes);
        try {
            store.commit(all);
        } catch (RuntimeException | Error shared) {
            for (Pending p : batch) commitAlone(p);
            return;
        }
        for (Pending p : batch) p.done.complete(null);
    }

    private void commitAlone(Pending p) {
        try {
            store.commit(p.changes);
            p.done.complete(null);
        } catch (RuntimeException | Error e) {
            p.done.completeExceptionally(e);
        }
    }
}
