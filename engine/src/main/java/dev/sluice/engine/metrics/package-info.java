/**
 * The engine's Prometheus metrics (Micrometer): runs and step attempts counted from the
 * scheduler's committed state changes, the scheduler's lag, and the JVM's own.
 */
package dev.sluice.engine.metrics;
