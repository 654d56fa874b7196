package dev.sluice.engine.api;

import dev.sluice.engine.layout.Layouts;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/pipelines/{name}/graph[?version=N]}: a saved version's tasks, edges, transitive
 * reduction, critical path and layout (the designer's input). The latest version without
 * {@code version}.
 */
public final class GraphHandler {

    private final Store store;
    private final ParsedVersions parsedVersions;
    private final GraphJson graphs;

    public GraphHandler(ApiContext api) {
        this(api, new Layouts());
    }

    GraphHandler(ApiContext api, Layouts layouts) {
        this.store = api.store();
        this.parsedVersions = new ParsedVersions(api.baseDir());
        this.graphs = new GraphJson(layouts);
    }

    public void get(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Integer version = version(ctx.request().getParam("version"));
        Http.blocking(ctx, () -> {
            PipelineVersion v = version == null
                    ? store.latestPipeline(name).orElseThrow(() -> PipelinesHandler.noPipeline(name))
                    : store.pipelineVersion(name, version).orElseThrow(() -> store.latestPipeline(name).isPresent()
                            ? ApiException.notFound("pipeline " + name + " has no version " + version) : PipelinesHandler.noPipeline(name));
            ParsedVersions.Parsed cached = parsedVersions.of(v);
            ParseResult parsed = cached.result();
            if (!parsed.ok()) {
                String first = parsed.problems().isEmpty() ? "" : ": " + parsed.problems().get(0).format();
                throw new ApiException(409, "invalid", "version " + v.version() + " of pipeline " + name + " no longer validates" + first,
                        Map.of("errors", ProblemsJson.of(parsed.problems())));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", v.name());
            out.put("version", v.version());
            out.putAll(graphs.of(cached.plan()));
            return Reply.ok(out);
        });
    }

    /** @throws ApiException 400 unless absent or a whole number from 1 */
    private static Integer version(String text) {
        if (text == null) return null;
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw ApiException.badRequest("bad-version", "version must be a whole number from 1 (got '" + text + "')");
    }
}
