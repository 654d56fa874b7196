package dev.sluice.engine.api;

import dev.sluice.engine.metrics.EngineMetrics;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /metrics}: the Prometheus text. */
public final class MetricsHandler {

    private final EngineMetrics metrics;

    public MetricsHandler(EngineMetrics metrics) {
        this.metrics = metrics;
    }

    public void get(RoutingContext ctx) {
        Http.blocking(ctx, () -> new Reply(200, EngineMetrics.CONTENT_TYPE, metrics.scrape()));
    }
}
