/**
 * The model registry: names, immutable versions, aliases moved by compare-and-set with their
 * history, references ({@code NAME@ALIAS}, {@code NAME:VERSION}) and a folder's manifest hash.
 * Records and pure rules; the JDBC side is {@code store.JdbcRegistry}.
 */
package dev.sluice.engine.registry;
