/**
 * The pipeline as a graph (JGraphT): matrix expansion into tasks, cycle and reference checks,
 * topological plan, transitive reduction and critical path. Pure: no I/O.
 */
package dev.sluice.engine.dag;
