/**
 * Alerts (v1.1): which of a pipeline's alerts fire when a run ends (pure), the server's channels, and
 * the signed webhook delivery of the store's outbox on its own bounded threads.
 */
package dev.sluice.engine.alert;
