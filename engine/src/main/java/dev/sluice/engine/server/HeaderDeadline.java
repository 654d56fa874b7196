package dev.sluice.engine.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a connection that does not finish a request's headers within a deadline (slowloris: a
 * client sending its headers a byte at a time holds a connection for ever). The clock runs from
 * the connection's opening and again from the end of each response until the next request's
 * headers are in; a request being served (a long upload, an event stream) is never cut.
 *
 * <p>Needs a server without h2c ({@code setHttp2ClearTextEnabled(false)}): with it, Vert.x 5 hands
 * a connection to the connection handler only once its first request is in, too late for a clock.
 */
final class HeaderDeadline {

    private final Vertx vertx;
    private final long millis;
    private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

    HeaderDeadline(Vertx vertx, Duration deadline) {
        this.vertx = vertx;
        this.millis = deadline.toMillis();
    }

    /** For {@code HttpServer.connectionHandler}: starts the clock of a new connection. */
    void opened(HttpConnection connection) {
        connection.closeHandler(v -> stop(connection));
        start(connection);
    }

    /** Wraps the request handler: a request whose headers are in stops the clock. */
    Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
        return request -> {
            if (request.connection() != null) stop(request.connection());
            next.handle(request);
        };
    }

    /**
     * The router's first handler: the clock starts again when the response ends, for the next
     * request on the connection (through the routing context: the router owns the response's end handler).
     */
    void restartAfterResponse(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (connection != null) ctx.addEndHandler(v -> start(connection));
        ctx.next();
    }

    private void start(HttpConnection connection) {
        long id = vertx.setTimer(millis, t -> {
            if (timers.remove(connection, t)) connection.close();
        });
        Long previous = timers.put(connection, id);
        if (previous != null) vertx.cancelTimer(previous);
    }

    private void stop(HttpConnection connection) {
        Long id = timers.remove(connection);
        if (id != null) vertx.cancelTimer(id);
    }
}
