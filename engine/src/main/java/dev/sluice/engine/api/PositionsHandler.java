package dev.sluice.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.store.Position;
import dev.sluice.engine.store.Store;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/pipelines/{name}/positions}: where the designer draws each step of a saved pipeline,
 * kept in the database beside the pipeline (not in its YAML).
 */
public final class PositionsHandler {

    /** Most positions one pipeline keeps (as many as it may have tasks). */
    static final int MAX_POSITIONS = 20_000;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final Store store;

    public PositionsHandler(ApiContext api) {
        this.store = api.store();
    }

    /** {@code GET}: {@code {"positions": {"extract": {"x": 10, "y": 20}}}}, an empty map when none were saved. */
    public void get(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Http.blocking(ctx, () -> {
            requirePipeline(name);
            Map<String, Object> positions = new LinkedHashMap<>();
            store.positions(name).forEach((id, p) -> positions.put(id, Map.of("x", p.x(), "y", p.y())));
            return Reply.ok(Map.of("positions", positions));
        });
    }

    /** {@code PUT} the same body: replaces every position of the pipeline; 204. */
    public void put(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Map<String, Position> positions = positions(DesignerHandler.jsonObject(ctx, Set.of("positions")));
        Http.blocking(ctx, () -> {
            requirePipeline(name);
            if (!store.savePositions(name, positions)) throw PipelinesHandler.noPipeline(name);
            return new Reply(204, "text/plain; charset=utf-8", "");
        });
    }

    private void requirePipeline(String name) {
        if (store.pipelineState(name).filter(s -> !s.deleted()).isEmpty()) throw PipelinesHandler.noPipeline(name);
    }

    private static Map<String, Position> positions(JsonNode body) {
        JsonNode all = body.get("positions");
        if (all == null || !all.isObject()) {
            throw bad("the body must be {\"positions\": {\"<step id>\": {\"x\": <number>, \"y\": <number>}}}");
        }
        if (all.size() > MAX_POSITIONS) throw bad(all.size() + " positions; the limit is " + MAX_POSITIONS);
        Map<String, Position> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ID.matcher(e.getKey()).matches()) throw bad("'" + e.getKey() + "' is not a step id");
            JsonNode p = e.getValue();
            if (!p.isObject() || p.size() != 2 || !number(p.get("x")) || !number(p.get("y"))) {
                throw bad("the position of '" + e.getKey() + "' must be {\"x\": <number>, \"y\": <number>}");
            }
            out.put(e.getKey(), new Position(p.get("x").doubleValue(), p.get("y").doubleValue()));
        }
        return out;
    }

    private static boolean number(JsonNode n) {
        return n != null && n.isNumber() && Double.isFinite(n.doubleValue());
    }

    private static ApiException bad(String message) {
        return ApiException.badRequest("bad-positions", message);
    }
}
