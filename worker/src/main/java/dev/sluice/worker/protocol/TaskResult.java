package dev.sluice.worker.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What happened to one attempt: facts only.
 *
 * @param outcome   how the attempt ended
 * @param exitCode  the process's exit code; {@code null} when it never started or was killed
 *                  (TIMED_OUT, CANCELLED)
 * @param error     a one-line explanation for a person (e.g. {@code missing output: model.json});
 *                  {@code null} on success
 * @param outputs   every file stored from {@code $SLUICE_OUTPUTS}, sorted by path; kept whatever the
 *                  outcome once the process ran (a killed step's partial outputs included)
 * @param metrics   parsed from {@code $SLUICE_METRICS}, later lines overriding earlier ones: the last value
 *                  of each name, what expressions and gates see
 * @param series    every value read, in file order (the metric series); empty from an older worker, whose
 *                  results then count each last value as a series of one
 */
public record TaskResult(
        AttemptKey key,
        Outcome outcome,
        Integer exitCode,
        String error,
        Instant startedAt,
        Instant endedAt,
        List<Artifact> outputs,
        Map<String, Double> metrics,
        String worker,
        List<MetricPoint> series) {

    /** How an attempt ended, from the worker's point of view. */
    public enum Outcome {
        /** exit code 0 and every declared output present */
        SUCCEEDED,
        /**
         * non-zero exit code, a missing declared output, outputs that could not be stored, or a
         * failure to start (missing workdir, inputs that could not be materialized). Malformed
         * metrics never fail an attempt: those lines are ignored with a warning in the log.
         */
        FAILED,
        /** killed at its timeout */
        TIMED_OUT,
        /** killed because the engine cancelled it */
        CANCELLED,
        /**
         * the worker running it was lost (no heartbeat within its lease): decided by the engine, never
         * sent by a worker; the step gets a new attempt elsewhere without using up a retry
         */
        LOST
    }

    public TaskResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        outputs = List.copyOf(outputs == null ? List.of() : outputs);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics == null ? Map.of() : metrics));
        series = List.copyOf(series == null ? List.of() : series);
    }

    /** A result without a series: each metric's last value stands alone. */
    public TaskResult(AttemptKey key, Outcome outcome, Integer exitCode, String error, Instant startedAt, Instant endedAt,
            List<Artifact> outputs, Map<String, Double> metrics, String worker) {
        this(key, outcome, exitCode, error, startedAt, endedAt, outputs, metrics, worker, List.of());
    }

    /** The series to keep: the one read, or each last value as a point at step 0 when there is none. */
    public List<MetricPoint> seriesOrLast() {
        if (!series.isEmpty() || metrics.isEmpty()) return series;
        Instant at = endedAt != null ? endedAt : Instant.now();
        List<MetricPoint> points = new java.util.ArrayList<>(metrics.size());
        metrics.forEach((name, value) -> points.add(new MetricPoint(name, 0, value, at)));
        return points;
    }
}
