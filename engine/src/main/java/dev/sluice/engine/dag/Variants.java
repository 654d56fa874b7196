package dev.sluice.engine.dag;

import dev.sluice.engine.expr.Values;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matrix expansion: a step becomes one task per combination of its matrix values, the cartesian
 * product in file order (the first name varies slowest), with ids like {@code train[c=0.1,k=3]}.
 */
public final class Variants {

    private Variants() {
    }

    /** Every combination of a matrix, in file order; one empty combination for no matrix. */
    public static List<Map<String, Object>> combinations(Map<String, List<Object>> matrix) {
        List<Map<String, Object>> result = new ArrayList<>();
        result.add(Map.of());
        for (Map.Entry<String, List<Object>> e : matrix.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>(result.size() * e.getValue().size());
            for (Map<String, Object> partial : result) {
                for (Object v : e.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(Collections.unmodifiableMap(m));
                }
            }
            result = next;
        }
        return result;
    }

    /** {@code step} for no matrix, else {@code step[name=value,...]} in matrix order. */
    public static String taskId(String stepId, Map<String, Object> values) {
        if (values.isEmpty()) return stepId;
        StringBuilder sb = new StringBuilder(stepId).append('[');
        boolean first = true;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!first) sb.append(',');
            sb.append(e.getKey()).append('=').append(Values.format(e.getValue()));
            first = false;
        }
        return sb.append(']').toString();
    }

    /**
     * The tasks of a pipeline in file order (steps in order, each step's variants in order); a
     * need on a matrix step becomes a need on each of its variants.
     *
     * @throws IllegalArgumentException when a step needs an unknown step
     */
    public static List<Task> expand(Pipeline pipeline) {
        Map<String, List<String>> idsByStep = new HashMap<>();
        List<List<Map<String, Object>>> combos = new ArrayList<>(pipeline.steps().size());
        for (Step s : pipeline.steps()) {
            List<Map<String, Object>> c = combinations(s.matrix());
            combos.add(c);
            List<String> ids = new ArrayList<>(c.size());
            for (Map<String, Object> values : c) ids.add(taskId(s.id(), values));
            idsByStep.put(s.id(), List.copyOf(ids));
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < pipeline.steps().size(); i++) {
            Step s = pipeline.steps().get(i);
            List<String> needs = new ArrayList<>();
            for (String need : s.needs()) {
                List<String> ids = idsByStep.get(need);
                if (ids == null) throw new IllegalArgumentException("step '" + s.id() + "' needs unknown step '" + need + "'");
                needs.addAll(ids);
            }
            List<String> sharedNeeds = List.copyOf(needs);
            List<String> ids = idsByStep.get(s.id());
            List<Map<String, Object>> c = combos.get(i);
            for (int k = 0; k < c.size(); k++) tasks.add(new Task(ids.get(k), s, c.get(k), sharedNeeds));
        }
        return tasks;
    }
}
