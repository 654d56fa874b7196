/**
 * Content-addressed storage of step outputs: every file is kept once, under the sha256 of its
 * bytes, and materialized into an attempt's inputs by hard link.
 */
package dev.sluice.worker.artifact;
