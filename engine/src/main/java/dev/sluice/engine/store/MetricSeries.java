package dev.sluice.engine.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every value one attempt wrote, by metric name (names in order of their first value), each series in
 * the order written.
 */
public record MetricSeries(String runId, String taskId, int attempt, Map<String, List<Point>> series) {

    /** One value: its x-axis {@code step}, and when it was read. */
    public record Point(long step, double value, Instant at) {}

    public MetricSeries {
        Map<String, List<Point>> copy = new LinkedHashMap<>();
        series.forEach((name, points) -> copy.put(name, List.copyOf(points)));
        series = Collections.unmodifiableMap(copy);
    }
}
