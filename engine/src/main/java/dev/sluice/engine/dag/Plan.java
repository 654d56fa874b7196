package dev.sluice.engine.dag;

import dev.sluice.engine.pipeline.Pipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;

/**
 * A valid pipeline resolved into tasks.
 *
 * @param tasks        every task, in a topological order (needs before dependants)
 * @param reducedEdges the transitive reduction of the task graph (for display)
 * @param criticalPath the longest chain of task ids, counted in tasks (durations are unknown)
 */
public record Plan(Pipeline pipeline, List<Task> tasks, List<Edge> reducedEdges, List<String> criticalPath) {

    /** A dependency edge from an upstream task to a downstream one. */
    public record Edge(String from, String to) {}

    public Plan {
        tasks = List.copyOf(tasks);
        reducedEdges = List.copyOf(reducedEdges);
        criticalPath = List.copyOf(criticalPath);
    }

    public Map<String, Task> byId() {
        Map<String, Task> m = new LinkedHashMap<>();
        for (Task t : tasks) m.put(t.id(), t);
        return Collections.unmodifiableMap(m);
    }
}
