package dev.sluice.engine.server;

import dev.sluice.engine.api.ApiContext;
import dev.sluice.engine.api.ArtifactsHandler;
import dev.sluice.engine.api.GraphHandler;
import dev.sluice.engine.api.HealthHandler;
import dev.sluice.engine.api.Http;
import dev.sluice.engine.api.PipelinesHandler;
import dev.sluice.engine.api.RunsHandler;
import dev.sluice.engine.api.StreamsHandler;
import dev.sluice.engine.api.ValidateHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

/** Routes to handler methods, the body limit, the error handlers, the designer's files; nothing else. */
final class HttpVerticle extends VerticleBase {

    /** Largest request body; a larger one gets 413 (by its Content-Length at once, else after 2 MiB). */
    static final long BODY_LIMIT = 2L * 1024 * 1024;
    private static final String DESIGNER = "dev/sluice/designer";

    private final ApiContext api;
    private final String host;
    private final int port;
    private volatile HttpServer server;

    HttpVerticle(ApiContext api, String host, int port) {
        this.api = api;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HealthHandler health = new HealthHandler();
        PipelinesHandler pipelines = new PipelinesHandler(api);
        RunsHandler runs = new RunsHandler(api);
        ArtifactsHandler artifacts = new ArtifactsHandler(api);
        ValidateHandler validate = new ValidateHandler(api);
        StreamsHandler streams = new StreamsHandler(api);

        Router router = Router.router(vertx);
        router.route().handler(Http::secure);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));

        router.get("/api/health").handler(health::get);
        router.get("/api/pipelines").handler(pipelines::list);
        router.get("/api/pipelines/:name").handler(pipelines::get);
        router.put("/api/pipelines/:name").handler(pipelines::put);
        router.get("/api/pipelines/:name/versions").handler(pipelines::versions);
        router.get("/api/pipelines/:name/graph").handler(new GraphHandler(api)::get);
        router.post("/api/pipelines/:name/runs").handler(runs::trigger);
        router.post("/api/validate").handler(validate::validate);
        router.get("/api/runs").handler(runs::list);
        router.get("/api/runs/:id").handler(runs::get);
        router.post("/api/runs/:id/cancel").handler(runs::cancel);
        router.post("/api/runs/:id/retry").handler(runs::retry);
        router.get("/api/runs/:id/events").handler(streams::events);
        router.get("/api/runs/:id/steps/:step/logs").handler(ctx -> {
            if ("true".equals(ctx.request().getParam("follow"))) streams.followLog(ctx);
            else runs.logs(ctx);
        });
        router.get("/api/artifacts/:sha256").handler(artifacts::get);

        // no day-long immutable caching: a new version of the designer must show up on the next reload
        StaticHandler designer = StaticHandler.create(DESIGNER).setIndexPage("index.html").setCachingEnabled(false);
        router.routeWithRegex(HttpMethod.GET, "^/(?!api/).*").handler(designer);

        router.route().failureHandler(Http::failure);
        for (int status : new int[] {400, 404, 405, 406, 413, 415, 500}) router.errorHandler(status, Http::status);

        return vertx.createHttpServer(new HttpServerOptions())
                .requestHandler(router)
                .listen(port, host)
                .onSuccess(s -> server = s);
    }

    /** The port it listens on (the one the system chose when asked for 0). */
    int actualPort() {
        return server.actualPort();
    }
}
