/**
 * Lineage you can walk: from a model version, an artifact or a step's attempt back to everything it
 * came from (attempts, their inputs, runs, pipeline versions, code versions with their files, params),
 * as a graph bounded in depth and size that says where it was cut.
 */
package dev.sluice.engine.lineage;
