package dev.sluice.engine.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trigger cycles across pipelines loaded together (pure): an edge A -> B when A's run ending starts B
 * (B has {@code triggers: [{pipeline: A}]}, or an alert of A has {@code trigger: B}). Each cycle is one
 * problem, located at the trigger that closes it, e.g. {@code trigger cycle: a -> b -> a}. Model
 * triggers are not edges: whether a run moves an alias is only known when it runs.
 */
public final class TriggerCycles {

    private record Edge(String from, String to, Location at) {}

    private TriggerCycles() {}

    public static List<Problem> check(List<Pipeline> pipelines) {
        Map<String, List<Edge>> out = new LinkedHashMap<>();
        for (Pipeline p : pipelines) {
            for (EventTrigger t : p.triggers()) {
                if (t.isPipeline()) out.computeIfAbsent(t.pipeline(), k -> new ArrayList<>()).add(new Edge(t.pipeline(), p.name(), t.location()));
            }
            for (AlertRule a : p.alerts()) {
                if (a.trigger() != null) out.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(new Edge(p.name(), a.trigger(), a.triggerAt()));
            }
        }
        List<Problem> problems = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        for (String start : out.keySet()) {
            List<Edge> path = new ArrayList<>();
            dfs(start, start, out, path, new LinkedHashSet<>(), problems, reported);
        }
        return problems;
    }

    private static void dfs(String start, String at, Map<String, List<Edge>> out, List<Edge> path, Set<String> onPath,
            List<Problem> problems, Set<String> reported) {
        onPath.add(at);
        for (Edge e : out.getOrDefault(at, List.of())) {
            path.add(e);
            if (e.to().equals(start)) {
                List<String> names = new ArrayList<>();
                names.add(start);
                for (Edge x : path) names.add(x.to());
                String key = new java.util.TreeSet<>(names).toString();
                if (reported.add(key)) {
                    Location where = e.at() != null ? e.at() : new Location("", 1, 1);
                    problems.add(new Problem(where, "triggers", "trigger-cycle", "trigger cycle: " + String.join(" -> ", names), null));
                }
            } else if (!onPath.contains(e.to())) {
                dfs(start, e.to(), out, path, onPath, problems, reported);
            }
            path.remove(path.size() - 1);
        }
        onPath.remove(at);
    }
}
