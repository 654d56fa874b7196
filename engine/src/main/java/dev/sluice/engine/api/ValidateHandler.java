package dev.sluice.engine.api;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.dag.Task;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /api/validate}: problems and graph of a pipeline text; nothing is saved. */
public final class ValidateHandler {

    private final Path baseDir;

    public ValidateHandler(ApiContext api) {
        this.baseDir = api.baseDir();
    }

    public void validate(RoutingContext ctx) {
        Http.requireYaml(ctx);
        String text = Http.bodyText(ctx);
        Http.blocking(ctx, () -> {
            ParseResult parsed = PipelineLoader.parse("pipeline.yaml", text, baseDir);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("valid", parsed.ok());
            out.put("errors", ProblemsJson.of(parsed.problems()));
            if (parsed.ok()) out.put("graph", graph(Planner.plan(parsed.pipeline())));
            return Reply.ok(out);
        });
    }

    static Map<String, Object> graph(Plan plan) {
        List<Map<String, Object>> nodes = plan.tasks().stream()
                .map((Task t) -> Map.<String, Object>of("id", t.id(), "step", t.stepId())).toList();
        List<Map<String, Object>> edges = plan.reducedEdges().stream()
                .map(e -> Map.<String, Object>of("from", e.from(), "to", e.to())).toList();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("nodes", nodes);
        g.put("edges", edges);
        g.put("criticalPath", plan.criticalPath());
        return g;
    }
}
