package dev.sluice.worker.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * One value an attempt wrote for a metric: an element of its series (a loss per epoch).
 *
 * @param step  the x-axis: the integer {@code step} of the JSON line that carried it, else the value's
 *              position (from 0) in its name's series
 * @param at    when the worker read it
 */
public record MetricPoint(String name, long step, double value, Instant at) {
    public MetricPoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
    }
}
