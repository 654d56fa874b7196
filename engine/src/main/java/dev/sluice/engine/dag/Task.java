package dev.sluice.engine.dag;

import dev.sluice.engine.pipeline.Step;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of execution: a step, or one variant of a matrix step.
 *
 * @param id     the step id, or for a matrix variant {@code train[c=0.1]} (names in matrix order,
 *               comma-separated: {@code train[c=0.1,k=3]})
 * @param matrix the variant's values by name; empty for a plain step
 * @param needs  task ids this task waits for (a need on a matrix step expands to all its variants)
 */
public record Task(String id, Step step, Map<String, Object> matrix, List<String> needs) {
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(step, "step");
        matrix = Collections.unmodifiableMap(new LinkedHashMap<>(matrix == null ? Map.of() : matrix));
        needs = List.copyOf(needs == null ? List.of() : needs);
    }

    public String stepId() {
        return step.id();
    }
}
