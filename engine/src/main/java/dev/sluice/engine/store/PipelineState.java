package dev.sluice.engine.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What a pipeline is besides its versions.
 *
 * @param latestVersion the newest version number (versions of a deleted pipeline stay stored)
 * @param paused        its schedule fires nothing while paused
 * @param scheduleSince ticks at or before this instant never fire: when the pipeline was created,
 *                      last unpaused or brought back after a delete
 * @param deletedAt     when it was deleted, or null
 */
public record PipelineState(String name, int latestVersion, boolean paused, Instant scheduleSince, Instant deletedAt) {

    public PipelineState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scheduleSince, "scheduleSince");
    }

    public boolean deleted() {
        return deletedAt != null;
    }
}
