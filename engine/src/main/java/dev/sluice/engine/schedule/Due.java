package dev.sluice.engine.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ticks a schedule must fire now, oldest first, and the missed ticks left out by the catch-up
 * cap, if any (the server logs a warning naming them).
 *
 * @param ticks   logical dates to fire now, oldest first; empty when nothing is due
 * @param skipped the missed ticks that will never fire because of the cap, or empty
 */
public record Due(List<Instant> ticks, Optional<Skipped> skipped) {

    private static final Due NONE = new Due(List.of(), Optional.empty());

    public Due {
        ticks = List.copyOf(ticks);
        Objects.requireNonNull(skipped, "skipped");
    }

    /** Nothing to fire. */
    public static Due none() {
        return NONE;
    }

    /** Whether nothing is due. */
    public boolean isEmpty() {
        return ticks.isEmpty();
    }

    /**
     * Missed ticks dropped by the catch-up cap: all of them are older than the ticks that fire.
     *
     * @param count how many
     * @param first the oldest
     * @param last  the newest
     */
    public record Skipped(long count, Instant first, Instant last) {
        public Skipped {
            if (count < 1) throw new IllegalArgumentException("count must be at least 1, not " + count);
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
        }
    }
}
