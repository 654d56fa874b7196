package dev.sluice.engine.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** {@code /api/health}: whether the server answers. */
public final class HealthHandler {

    public void get(RoutingContext ctx) {
        Http.send(ctx, Reply.ok(Map.of("status", "ok")));
    }
}
