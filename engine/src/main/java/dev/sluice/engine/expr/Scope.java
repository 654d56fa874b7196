package dev.sluice.engine.expr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names an expression can see when it is evaluated.
 *
 * @param params run parameters (String, Long, Double, Boolean) by name
 * @param matrix the variant's values by name (empty outside a matrix step)
 * @param run    {@code id}, {@code logical_date} (ISO-8601 instant), {@code pipeline}
 * @param steps  upstream steps by step id
 * @param models the step's models by key: {@code name}, {@code version}, {@code metrics}
 * @param promote {@code new} and {@code current} of a register step's {@code promote.if}
 */
public record Scope(Map<String, Object> params, Map<String, Object> matrix, Map<String, String> run,
        Map<String, StepView> steps, Map<String, Object> models, Map<String, Object> promote) {

    /** A scope without models or {@code new}/{@code current}. */
    public Scope(Map<String, Object> params, Map<String, Object> matrix, Map<String, String> run,
            Map<String, StepView> steps) {
        this(params, matrix, run, steps, Map.of(), Map.of());
    }

    /** This scope with a register step's {@code new} and {@code current} (each name, version, metrics; current may be absent). */
    public Scope withPromote(Map<String, Object> newVersion, Map<String, Object> current) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("new", newVersion);
        if (current != null) p.put("current", current);
        return new Scope(params, matrix, run, steps, models, p);
    }

    /** This scope with the step's pinned models: key to {name, version, metrics}. */
    public Scope withModels(Map<String, Object> pinned) {
        return new Scope(params, matrix, run, steps, pinned, promote);
    }

    /** What an expression sees of an upstream step. */
    public record StepView(String status, Map<String, Double> metrics) {
        public StepView {
            metrics = Map.copyOf(metrics == null ? Map.of() : metrics);
        }
    }

    public Scope {
        params = unmodifiable(params);
        matrix = unmodifiable(matrix);
        run = unmodifiable(run);
        steps = unmodifiable(steps);
        models = unmodifiable(models);
        promote = unmodifiable(promote);
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m == null ? Map.of() : m));
    }
}
