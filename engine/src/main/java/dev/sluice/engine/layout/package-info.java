/**
 * Coordinates for drawing a plan: ELK layered left to right, or a plain layering for graphs too
 * large for it. Pure and deterministic: no I/O, the same plan always gives the same numbers.
 */
package dev.sluice.engine.layout;
