/**
 * The designer's editing model: edits (add a step, set a field, connect...) applied to a pipeline
 * text by rewriting only the YAML blocks they touch, and the document as written. Pure: no Vert.x, JDBC or HTTP.
 */
package dev.sluice.engine.designer;
