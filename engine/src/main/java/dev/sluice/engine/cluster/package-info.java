/**
 * The engine's side of a cluster: remote workers register, heartbeat and take attempts by labels
 * and free slots; a worker that stops heartbeating is lost and its attempts run again elsewhere.
 */
package dev.sluice.engine.cluster;
