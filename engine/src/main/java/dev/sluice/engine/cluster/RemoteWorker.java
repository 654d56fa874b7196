package dev.sluice.engine.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A registered {@code sluice-worker}: what it said when it registered, and its slots in use. Mutable
 * state is guarded by the {@link WorkerRegistry} that holds it.
 */
final class RemoteWorker {

    final String id;
    final String name;
    final Set<String> labels;
    final int slots;
    final String address;
    final Instant joinedAt;
    Instant lastSeen;
    /** {@link System#nanoTime()} of the last heartbeat or result: the lease and the fence count from it */
    long lastSeenNanos;
    int used;

    RemoteWorker(String id, String name, Set<String> labels, int slots, String address, Instant joinedAt) {
        this.id = id;
        this.name = name;
        this.labels = Set.copyOf(labels);
        this.slots = slots;
        this.address = address;
        this.joinedAt = joinedAt;
        this.lastSeen = joinedAt;
        this.lastSeenNanos = System.nanoTime();
    }

    boolean carries(List<String> required) {
        return labels.containsAll(required);
    }

    double load() {
        return (double) used / slots;
    }

    Member member() {
        return new Member(id, name, "worker", false, address, labels.stream().sorted().toList(), slots, used, joinedAt, lastSeen);
    }
}
