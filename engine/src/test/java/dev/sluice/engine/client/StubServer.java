package dev.sluice.engine.client;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/** A tiny Vert.x server on a free port that answers with whatever the test's handler does. */
final class StubServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    StubServer(Handler<HttpServerRequest> handler) throws Exception {
        server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Starts an event stream on the request and writes the given events' text. */
    static io.vertx.core.Future<Void> stream(HttpServerRequest req, String text) {
        return req.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write(text);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
