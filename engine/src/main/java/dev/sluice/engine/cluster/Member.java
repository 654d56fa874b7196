package dev.sluice.engine.cluster;

import java.time.Instant;
import java.util.List;

/**
 * One member of the cluster as {@code GET /api/cluster} shows it.
 *
 * @param role    {@code engine} (a server) or {@code worker} (a server's embedded worker, or a
 *                {@code sluice-worker} process)
 * @param leader  whether this engine is the one scheduling (always false for workers)
 * @param address where it is reached: an engine's API URL, a worker's host and pid
 * @param running attempts running on it now (engines: runs active)
 */
public record Member(String id, String name, String role, boolean leader, String address, List<String> labels,
        int slots, int running, Instant joinedAt, Instant lastSeen) {

    public Member {
        labels = List.copyOf(labels);
    }
}
