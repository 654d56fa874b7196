/**
 * The code a run ran: its pipeline version and sha256, the git commit and dirty flag of the
 * pipeline file's work tree (read with JGit, no {@code git} binary needed) and the sha256 of each
 * {@code cache_files} file.
 */
package dev.sluice.engine.code;
