package dev.sluice.engine.registry;

import java.time.Instant;

/**
 * One entry of an alias's history: it moved from {@code fromVersion} (null: it did not exist) to
 * {@code toVersion} (null: it was deleted).
 */
public record AliasMove(long id, String model, String alias, Integer fromVersion, Integer toVersion, Instant at,
        Actor by, String note) {}
