/**
 * Leader election among the servers of a cluster sharing one database: a lease row with an
 * increasing epoch ({@link dev.sluice.engine.store.LeaderLease}), kept by
 * {@link dev.sluice.engine.leader.LeaderElection}, whose epoch fences every state write of the
 * leader ({@link dev.sluice.engine.store.Fence}). JDBC only, on its own threads: never on an event loop.
 */
package dev.sluice.engine.leader;
