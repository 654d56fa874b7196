package dev.sluice.engine.registry;

/** What an alias move did: {@code version} is null after a delete, {@code previousVersion} null when the alias was new. */
public record MoveResult(String model, String alias, Integer version, Integer previousVersion) {}
