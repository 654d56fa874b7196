/**
 * The one state machine: run and step states, the transitions between them, and the pure
 * {@link dev.sluice.engine.run.Decider} that turns a snapshot into a plan of changes.
 */
package dev.sluice.engine.run;
