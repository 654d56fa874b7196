package dev.sluice.engine.server;

import dev.sluice.engine.api.AllowedHosts;
import dev.sluice.engine.api.ApiContext;
import dev.sluice.engine.api.BrowserGuard;
import dev.sluice.engine.api.ArtifactsHandler;
import dev.sluice.engine.api.BearerAuth;
import dev.sluice.engine.api.ClusterHandler;
import dev.sluice.engine.api.DesignerHandler;
import dev.sluice.engine.api.DocsHandler;
import dev.sluice.engine.api.GraphHandler;
import dev.sluice.engine.api.HealthHandler;
import dev.sluice.engine.api.LineageHandler;
import dev.sluice.engine.api.ModelsHandler;
import dev.sluice.engine.api.Http;
import dev.sluice.engine.api.MetricsHandler;
import dev.sluice.engine.api.MonitorHandler;
import dev.sluice.engine.api.PipelinesHandler;
import dev.sluice.engine.api.PositionsHandler;
import dev.sluice.engine.api.RunsHandler;
import dev.sluice.engine.api.SeriesHandler;
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
import java.util.ArrayList;
import java.util.List;

/** Routes to handler methods, the body limit, the error handlers, the designer's files; nothing else. */
final class HttpVerticle extends VerticleBase {

    /** Largest request body; a larger one gets 413 (by its Content-Length at once, else after 2 MiB). */
    static final long BODY_LIMIT = 2L * 1024 * 1024;
    private static final String DESIGNER = "dev/sluice/designer";
    /** Class-path folder holding {@code webjars/}: a request path {@code /webjars/x} is {@code META-INF/resources/webjars/x}. */
    private static final String WEBJARS_ROOT = "META-INF/resources";

    /** How long a client may take to send a request's headers (slowloris); see {@link HeaderDeadline}. */
    static final java.time.Duration HEADER_DEADLINE = java.time.Duration.ofSeconds(10);

    private final ApiContext api;
    private final String host;
    private final int port;
    private final AllowedHosts hosts;
    private volatile HttpServer server;
    private volatile Router router;

    HttpVerticle(ApiContext api, String host, int port, AllowedHosts hosts) {
        this.api = api;
        this.host = host;
        this.port = port;
        this.hosts = hosts;
    }

    @Override
    public Future<?> start() {
        HealthHandler health = new HealthHandler(api.store(), api.artifacts().scratch());
        PipelinesHandler pipelines = new PipelinesHandler(api);
        RunsHandler runs = new RunsHandler(api);
        ArtifactsHandler artifacts = new ArtifactsHandler(api);
        ValidateHandler validate = new ValidateHandler(api);
        StreamsHandler streams = new StreamsHandler(api);
        DocsHandler docs = new DocsHandler();

        Router router = Router.router(vertx);
        this.router = router;
        HeaderDeadline deadline = new HeaderDeadline(vertx, HEADER_DEADLINE);
        router.route().handler(deadline::restartAfterResponse);
        router.route().handler(Http::secure);
        // before the token, the body and any route: a rebound page or a cross-site form goes no further
        router.route().handler(new BrowserGuard(hosts));
        // before the body is read and before any route: a request without the token goes no further
        api.token().ifPresent(token -> router.route().handler(
                new BearerAuth(token, api.cluster().map(c -> c.uploadToken()).orElse(null))));
        ClusterHandler cluster = new ClusterHandler(api);
        // streamed to disk before any body handler: outputs may be far bigger than an API body
        router.put("/api/cluster/artifacts/:sha256").handler(cluster::upload);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));

        router.get("/api/health").handler(health::get);
        router.head("/api/health").handler(health::get);
        router.get("/api/pipelines").handler(pipelines::list);
        router.get("/api/pipelines/:name").handler(pipelines::get);
        router.put("/api/pipelines/:name").handler(pipelines::put);
        router.get("/api/pipelines/:name/versions").handler(pipelines::versions);
        router.get("/api/pipelines/:name/versions/:n").handler(pipelines::version);
        router.delete("/api/pipelines/:name").handler(pipelines::delete);
        router.post("/api/pipelines/:name/pause").handler(pipelines::pause);
        router.post("/api/pipelines/:name/unpause").handler(pipelines::unpause);
        router.get("/api/pipelines/:name/graph").handler(new GraphHandler(api)::get);
        router.post("/api/pipelines/:name/runs").handler(runs::trigger);
        router.post("/api/validate").handler(validate::validate);
        DesignerHandler designerApi = new DesignerHandler(api);
        router.post("/api/designer/edit").handler(designerApi::edit);
        router.post("/api/designer/schedule").handler(designerApi::schedule);
        PositionsHandler positions = new PositionsHandler(api);
        router.get("/api/pipelines/:name/positions").handler(positions::get);
        router.put("/api/pipelines/:name/positions").handler(positions::put);
        router.get("/api/runs").handler(runs::list);
        router.get("/api/runs/:id").handler(runs::get);
        router.post("/api/runs/:id/cancel").handler(runs::cancel);
        router.post("/api/runs/:id/retry").handler(runs::retry);
        router.get("/api/runs/:id/events").handler(streams::events);
        router.get("/api/runs/:id/steps/:step/logs").handler(ctx -> {
            if ("true".equals(ctx.request().getParam("follow"))) streams.followLog(ctx);
            else runs.logs(ctx);
        });
        router.get("/api/runs/:id/steps/:step/metrics").handler(new SeriesHandler(api)::get);
        MonitorHandler monitor = new MonitorHandler(api);
        router.get("/api/pipelines/:name/experiments").handler(monitor::experiments);
        router.get("/api/metrics").handler(monitor::history);
        router.get("/api/alerts").handler(monitor::alerts);
        router.post("/api/channels/:name/enable").handler(monitor::enableChannel);
        router.get("/api/artifacts/:sha256").handler(artifacts::get);
        router.post("/api/runs/:id/rerun").handler(runs::rerun);
        router.get("/api/runs/:id/diff/:other").handler(runs::diff);
        ModelsHandler models = new ModelsHandler(api);
        router.get("/api/models").handler(models::list);
        router.get("/api/models/:name").handler(models::get);
        router.get("/api/models/:name/versions/:n").handler(models::version);
        router.get("/api/models/:name/versions/:n/content").handler(models::content);
        router.put("/api/models/:name/aliases/:alias").handler(models::putAlias);
        router.delete("/api/models/:name/aliases/:alias").handler(models::deleteAlias);
        router.get("/api/lineage").handler(new LineageHandler(api)::get);
        router.get("/api/cluster").handler(cluster::members);
        router.get("/api/openapi.yaml").handler(docs::openapi);
        router.get("/api/docs").handler(docs::page);
        router.get("/api/schema/pipeline.json").handler(docs::pipelineSchema);
        for (String file : BearerAuth.DOCS_ASSETS) router.get("/api/docs/" + file).handler(docs::asset);
        api.metrics().ifPresent(m -> router.get("/metrics").handler(new MetricsHandler(m)::get));

        // the designer's browser libraries (CodeMirror, uPlot) from their WebJars: /webjars/<name>/<version>/...;
        // a regex route, so it is not an API route (the files are versioned, so they may be cached)
        router.routeWithRegex(HttpMethod.GET, "^/webjars/.+").handler(StaticHandler.create(WEBJARS_ROOT));

        // no day-long immutable caching: a new version of the designer must show up on the next reload
        StaticHandler designer = StaticHandler.create(DESIGNER).setIndexPage("index.html").setCachingEnabled(false);
        router.routeWithRegex(HttpMethod.GET, "^/(?!api/).*").handler(designer);

        router.route().failureHandler(Http::failure);
        for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 431, 500}) router.errorHandler(status, Http::status);

        return vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(Http.MAX_REQUEST_LINE)
                        // HTTP/1.1 only (clients that offer h2c get it): HeaderDeadline needs the connection at once
                        .setHttp2ClearTextEnabled(false))
                .connectionHandler(deadline::opened)
                .invalidRequestHandler(Http::invalid)
                .requestHandler(deadline.wrap(router))
                .listen(port, host)
                .onSuccess(s -> server = s);
    }

    /** Every route as {@code "METHOD /path/{param}"}, in the order declared (what the API document must describe). */
    List<String> routes() {
        List<String> all = new ArrayList<>();
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            if (r.getPath() == null || r.methods() == null) continue;
            String path = r.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            for (HttpMethod m : r.methods()) all.add(m.name() + " " + path);
        }
        return all;
    }

    /** The port it listens on (the one the system chose when asked for 0). */
    int actualPort() {
        return server.actualPort();
    }
}
