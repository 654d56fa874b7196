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
 */
public record Scope(Map<String, Object> params, Map<String, Object> matrix, Map<String, String> run,
        Map<String, StepView> steps) {

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
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m == null ? Map.of() : m));
    }
}
