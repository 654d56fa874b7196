package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import java.time.Instant;

/**
 * Filters for listing runs, newest first; null fields do not filter.
 *
 * @param before only runs created strictly before this instant (to page through older runs)
 * @param limit  at most this many runs; 0 or less for all
 */
public record RunQuery(String pipeline, RunState status, Instant before, int limit) {
    public static RunQuery latest(int limit) {
        return new RunQuery(null, null, null, limit);
    }
}
