package dev.sluice.engine.registry;

import java.time.Instant;
import java.util.Map;

/** A model as listed: its newest version number (null before the first) and its aliases. */
public record ModelSummary(String name, String description, Integer latestVersion, Map<String, Integer> aliases,
        Instant createdAt, Instant updatedAt) {

    public ModelSummary {
        aliases = ModelVersion.copy(aliases);
    }
}
