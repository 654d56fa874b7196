/**
 * Joining the Sluice cluster: the hardened Hazelcast configuration and clustered Vert.x start
 * ({@link dev.sluice.worker.cluster.Clustering}, shared with the engine), and the remote worker's
 * event-bus agent ({@link dev.sluice.worker.cluster.WorkerAgent}).
 */
package dev.sluice.worker.cluster;
