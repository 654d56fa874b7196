/**
 * The pipeline language: immutable model records, the YAML parser with located problems, and
 * validation. Pure: no Vert.x, JDBC or HTTP.
 */
package dev.sluice.engine.pipeline;
