/**
 * Joining the Sluice cluster: the hardened Hazelcast configuration and clustered Vert.x start
 * ({@link dev.sluice.worker.cluster.Clustering}, shared with the engine), and the remote worker's
 * event-bus agent ({@link dev.sluice.worker.cluster.WorkerAgent}: its {@code Membership} keeps the
 * lease, its {@code AttemptHandler} runs what it is dispatched).
 */
package dev.sluice.worker.cluster;
