/**
 * The command line (picocli) and the wiring of an engine on one machine: store, embedded worker,
 * scheduler.
 */
package dev.sluice.engine.app;
