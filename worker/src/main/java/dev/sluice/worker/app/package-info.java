/**
 * {@code sluice-worker}: the remote worker's command line and process wiring (cluster join, agent,
 * graceful stop on SIGTERM).
 */
package dev.sluice.worker.app;
