/**
 * The scheduler: one thread owns the state of active runs, applies the {@link
 * dev.sluice.engine.run.Decider}'s plans to the store in one transaction each, then dispatches
 * tasks to workers and tells listeners. Used by {@code sluice run} and, later, the server.
 */
package dev.sluice.engine.scheduler;
