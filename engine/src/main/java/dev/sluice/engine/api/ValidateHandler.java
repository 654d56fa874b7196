package dev.sluice.engine.api;

import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.layout.Layouts;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/validate}: problems and graph of a pipeline text; nothing is saved. */
public final class ValidateHandler {

    private final Path baseDir;
    private final GraphJson graphs;

    public ValidateHandler(ApiContext api) {
        this.baseDir = api.baseDir();
        this.graphs = new GraphJson(new Layouts());
    }

    public void validate(RoutingContext ctx) {
        Http.requireYaml(ctx);
        String text = Http.bodyText(ctx);
        Http.blocking(ctx, () -> {
            ParseResult parsed = PipelineLoader.parse("pipeline.yaml", text, baseDir);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("valid", parsed.ok());
            out.put("errors", ProblemsJson.of(parsed.problems()));
            if (parsed.ok()) out.put("graph", graphs.of(Planner.plan(parsed.pipeline())));
            return Reply.ok(out);
        });
    }
}
