/**
 * Durable state: pipeline versions, runs, tasks, attempts, logs, artifacts, metrics and lineage,
 * behind the {@link dev.sluice.engine.store.Store} interface; JDBC with Flyway for H2 and PostgreSQL.
 */
package dev.sluice.engine.store;
