package dev.sluice.engine.api;

import dev.sluice.engine.lineage.Lineage;
import dev.sluice.engine.lineage.LineageGraph;
import dev.sluice.engine.registry.ModelRef;
import dev.sluice.engine.registry.Names;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.artifact.ContentStore;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code GET /api/lineage?model=NAME@ALIAS|NAME:VERSION | artifact=SHA | run=ID&step=TASK [&depth=&limit=]}:
 * the graph of what the thing came from, bounded in depth and size.
 */
public final class LineageHandler {

    private final Store store;

    public LineageHandler(ApiContext api) {
        this.store = api.store();
    }

    public void get(RoutingContext ctx) {
        String model = param(ctx, "model");
        String artifact = param(ctx, "artifact");
        String run = param(ctx, "run");
        String step = param(ctx, "step");
        int given = (model != null ? 1 : 0) + (artifact != null ? 1 : 0) + (run != null ? 1 : 0);
        if (given != 1) {
            throw ApiException.badRequest("bad-query", "give one of model=NAME@ALIAS (or NAME:VERSION), artifact=SHA256, run=ID&step=TASK");
        }
        int depth = bounded(ctx, "depth", Lineage.DEFAULT_DEPTH, Lineage.MAX_DEPTH);
        int limit = bounded(ctx, "limit", Lineage.DEFAULT_LIMIT, Lineage.MAX_LIMIT);
        if (model != null) {
            ModelRef ref;
            try {
                ref = ModelRef.parse(model);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad-query", e.getMessage());
            }
            Http.blocking(ctx, () -> found(Lineage.ofModel(store, ref, depth, limit), "no model " + ref));
        } else if (artifact != null) {
            if (!ContentStore.isSha256(artifact)) {
                throw ApiException.badRequest("bad-query", "an artifact is named by its sha256: 64 lower-case hex digits");
            }
            Http.blocking(ctx, () -> found(Lineage.ofArtifact(store, artifact, depth, limit), "no artifact " + artifact));
        } else {
            if (step == null) throw ApiException.badRequest("bad-query", "run= needs step=TASK too");
            if (run.length() > 128 || step.length() > 500) throw ApiException.badRequest("bad-query", "run or step id too long");
            Http.blocking(ctx, () -> found(Lineage.ofStep(store, run, step, depth, limit),
                    "no step " + Names.shown(step) + " with an attempt in run " + Names.shown(run)));
        }
    }

    private static Reply found(Optional<LineageGraph> graph, String missing) {
        return Reply.ok(graph.orElseThrow(() -> ApiException.notFound(missing)));
    }

    private static String param(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static int bounded(RoutingContext ctx, String name, int dflt, int max) {
        String v = param(ctx, name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("bad-query", name + " must be a number from 1 to " + max);
    }
}
