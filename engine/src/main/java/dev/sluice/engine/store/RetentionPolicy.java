package dev.sluice.engine.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Which ended runs retention deletes: those that ended more than {@code olderThan} ago and
 * beyond the {@code keepLast} newest runs of their pipeline; a null bound does not limit. At least
 * one bound is given. Active runs are never deleted, whatever their age.
 *
 * @param grace an artifact file no kept run references is deleted only once it has been untouched
 *              this long: a file just written for a run whose result is not committed yet, or one
 *              a cache hit is reusing, has a fresh time
 */
public record RetentionPolicy(Duration olderThan, Integer keepLast, Duration grace) {

    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    public RetentionPolicy {
        if (olderThan == null && keepLast == null) {
            throw new IllegalArgumentException("say what to delete: an age (--older-than 30d), a count to keep (--keep-last 100), or both");
        }
        if (olderThan != null && olderThan.isNegative()) throw new IllegalArgumentException("the age must not be negative");
        if (keepLast != null && keepLast < 0) throw new IllegalArgumentException("the count of runs to keep must not be negative");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) throw new IllegalArgumentException("the grace must not be negative");
    }

    /** Whether a run of this age (now - ended_at) at this place among its pipeline's runs (0 = newest by creation) goes. */
    boolean expired(Duration age, int newestIndex) {
        return (olderThan == null || age.compareTo(olderThan) > 0) && (keepLast == null || newestIndex >= keepLast);
    }
}
