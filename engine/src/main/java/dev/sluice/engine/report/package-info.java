/**
 * Read models of runs for people and programs: the run summary that {@code sluice run --json},
 * {@code sluice show} and the API return.
 */
package dev.sluice.engine.report;
