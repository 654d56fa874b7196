package dev.sluice.engine.api;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Task;
import dev.sluice.engine.layout.Layout;
import dev.sluice.engine.layout.Layouts;
import dev.sluice.engine.pipeline.Durations;
import dev.sluice.engine.pipeline.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan as the designer draws it, shared by {@code GET /api/pipelines/{name}/graph} and
 * {@code POST /api/validate}: one node per task with what its box shows, every needs edge, the
 * transitive reduction, the critical path, and the layout.
 */
final class GraphJson {

    /** Longest command summary, in characters, before it is cut with an ellipsis. */
    static final int SUMMARY_LENGTH = 80;

    private final Layouts layouts;
    /**
     * The last layouts by graph shape (boxes and links): an edit that changes no step id or need
     * (a command, a param, a retry) is laid out once, not at every keystroke of a 2,000-step file.
     */
    private final Map<dev.sluice.engine.layout.Graph, Layout> recent = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<dev.sluice.engine.layout.Graph, Layout> eldest) {
                    return size() > 8;
                }
            });

    GraphJson(Layouts layouts) {
        this.layouts = layouts;
    }

    Map<String, Object> of(Plan plan) {
        Set<String> critical = new HashSet<>(plan.criticalPath());
        List<Map<String, Object>> nodes = new ArrayList<>(plan.tasks().size());
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Task t : plan.tasks()) {
            nodes.add(node(t, critical.contains(t.id())));
            for (String need : t.needs()) edges.add(edge(need, t.id()));
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("nodes", nodes);
        g.put("edges", edges);
        g.put("reducedEdges", plan.reducedEdges().stream().map(e -> edge(e.from(), e.to())).toList());
        g.put("criticalPath", plan.criticalPath());
        g.put("layout", layout(recent.computeIfAbsent(Layouts.graph(plan), layouts::layout)));
        return g;
    }

    private static Map<String, Object> node(Task t, boolean critical) {
        Step s = t.step();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("step", t.stepId());
        m.put("matrix", t.matrix());
        m.put("needs", t.needs());
        m.put("summary", s.isRegister() ? "register " + s.register().model() + " from " + s.register().from() : summary(s.run()));
        m.put("condition", s.condition());
        m.put("labels", s.labels());
        m.put("retries", s.retries());
        m.put("timeout", s.timeout() == null ? null : Durations.format(s.timeout()));
        m.put("cache", s.cache());
        m.put("outputs", s.outputs());
        if (s.isRegister()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", s.register().model());
            r.put("from", s.register().from());
            r.put("aliases", s.register().aliases());
            r.put("promote", s.register().promote() == null ? null : s.register().promote().alias());
            m.put("register", r);
        }
        if (!s.models().isEmpty()) m.put("models", s.models());
        m.put("critical", critical);
        return m;
    }

    private static Map<String, Object> edge(String from, String to) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        return m;
    }

    private static Map<String, Object> layout(Layout layout) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", layout.engine());
        m.put("width", layout.width());
        m.put("height", layout.height());
        m.put("nodes", layout.nodes().stream().map(n -> {
            Map<String, Object> box = new LinkedHashMap<>();
            box.put("id", n.id());
            box.put("x", n.x());
            box.put("y", n.y());
            box.put("width", n.width());
            box.put("height", n.height());
            return box;
        }).toList());
        m.put("edges", layout.edges().stream().map(e -> {
            Map<String, Object> route = edge(e.from(), e.to());
            route.put("points", e.points().stream().map(p -> List.of(p.x(), p.y())).toList());
            return route;
        }).toList());
        return m;
    }

    /** The command's first non-blank line, trimmed; an ellipsis when it was cut or more lines follow. */
    static String summary(String run) {
        String[] lines = run.strip().split("\\R", 2);
        String first = lines[0].strip();
        boolean more = lines.length > 1;
        if (first.codePointCount(0, first.length()) > SUMMARY_LENGTH) {
            first = first.substring(0, first.offsetByCodePoints(0, SUMMARY_LENGTH - 1)).stripTrailing();
            more = true;
        }
        return more ? first + "…" : first;
    }
}
