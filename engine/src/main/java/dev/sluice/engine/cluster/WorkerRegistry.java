package dev.sluice.engine.cluster;

import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.scheduler.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live remote workers and their slots, and the placement rule: a step goes to a worker carrying
 * all its labels with a free slot, the least loaded first (the embedded worker counts as one). The
 * scheduler thread places; event-bus handlers register, heartbeat and expire: methods are
 * synchronized.
 */
final class WorkerRegistry {

    private final Map<String, RemoteWorker> workers = new LinkedHashMap<>();
    private final LocalDispatcher local;

    /** @param local the embedded worker, or null when this server runs no steps itself */
    WorkerRegistry(LocalDispatcher local) {
        this.local = local;
    }

    /** Adds a worker; one registered before under the same id is returned (to be declared lost first). */
    synchronized Optional<RemoteWorker> register(RemoteWorker worker) {
        return Optional.ofNullable(workers.put(worker.id, worker));
    }

    /** @return false when the worker is not registered (lost, or registered with another leader) */
    synchronized boolean heartbeat(String id, Instant now) {
        RemoteWorker w = workers.get(id);
        if (w == null) return false;
        w.lastSeen = now;
        w.lastSeenNanos = System.nanoTime();
        return true;
    }

    synchronized boolean known(String id) {
        return workers.containsKey(id);
    }

    /** Removes and returns the workers not heard from for {@code lease}, on the monotonic clock. */
    synchronized List<RemoteWorker> expire(long nowNanos, Duration lease) {
        List<RemoteWorker> lost = new ArrayList<>();
        for (var it = workers.values().iterator(); it.hasNext(); ) {
            RemoteWorker w = it.next();
            if (nowNanos - w.lastSeenNanos >= lease.toNanos()) {
                lost.add(w);
                it.remove();
            }
        }
        return lost;
    }

    synchronized Placement place(List<String> labels) {
        RemoteWorker best = null;
        boolean anyCarries = false;
        for (RemoteWorker w : workers.values()) {
            if (!w.carries(labels)) continue;
            anyCarries = true;
            if (w.used < w.slots && (best == null || w.load() < best.load())) best = w;
        }
        if (local != null && local.carries(labels)) {
            anyCarries = true;
            double localLoad = (double) local.running() / local.slots();
            if (local.freeSlots() > 0 && (best == null || localLoad <= best.load())) {
                Placement p = local.place(labels);
                if (p.placed()) return p;
            }
        }
        if (best == null) return Placement.waiting(anyCarries ? "waiting for a free slot" : Placement.noWorker(labels));
        best.used++;
        return Placement.on(best.id, best.name);
    }

    /** Gives a slot back; a worker gone meanwhile has nothing to give back. */
    synchronized void release(String workerId) {
        RemoteWorker w = workers.get(workerId);
        if (w != null && w.used > 0) w.used--;
    }

    synchronized int freeSlots() {
        int free = local == null ? 0 : local.freeSlots();
        for (RemoteWorker w : workers.values()) free += Math.max(0, w.slots - w.used);
        return free;
    }

    synchronized Optional<String> name(String workerId) {
        return Optional.ofNullable(workers.get(workerId)).map(w -> w.name);
    }

    /** The embedded worker first, then the remote ones in the order they registered. */
    synchronized List<Member> members(String engineId, Instant engineStarted, Instant now) {
        List<Member> all = new ArrayList<>();
        if (local != null) {
            all.add(new Member(local.worker(), local.worker(), "worker", false, "embedded in " + engineId,
                    local.labels().stream().sorted().toList(), local.slots(), local.running(), engineStarted, now));
        }
        for (RemoteWorker w : workers.values()) all.add(w.member());
        return all;
    }
}
