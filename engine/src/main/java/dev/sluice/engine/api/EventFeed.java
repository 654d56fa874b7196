package dev.sluice.engine.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events response fed from the store: each read returns what is new since the last
 * one, and the feed writes it, then reads again when the run changes ({@link RunSignals}) or after
 * {@link #POLL_MILLIS} (changes made by another process send no signal). A first read that fails
 * is an ordinary JSON error; the stream ends when a read says so, or when the client goes.
 */
final class EventFeed {

    /** One SSE event; {@code id} may be null (the client keeps the previous one). */
    record Frame(String id, String event, String data) {}

    /** What one read found; {@code end}, when set, is the last frame: the stream then closes. */
    record Batch(List<Frame> frames, Frame end) {}

    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
    static final long POLL_MILLIS = 1_000;
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private final RoutingContext ctx;
    private final Vertx vertx;
    /** the request's event loop: every field here is touched on it alone */
    private final Context context;
    private final Callable<Batch> read;
    private Runnable unsubscribe = () -> {};
    private boolean reading;
    private boolean again;
    private boolean done;
    private long pollTimer = -1;
    private long keepAliveTimer = -1;

    private EventFeed(RoutingContext ctx, Callable<Batch> read) {
        this.ctx = ctx;
        this.vertx = ctx.vertx();
        this.context = vertx.getOrCreateContext();
        this.read = read;
    }

    /**
     * Starts the stream of a run.
     *
     * @param read runs on a worker thread, never twice at once; it keeps its own position
     */
    static void start(RoutingContext ctx, RunSignals signals, String runId, Callable<Batch> read) {
        EventFeed feed = new EventFeed(ctx, read);
        HttpServerResponse res = ctx.response();
        res.closeHandler(v -> feed.finish());
        // the scheduler's thread signals: hop to the request's own event loop (Vertx.runOnContext
        // from a foreign thread would pick another one, and two reads could then run at once)
        feed.unsubscribe = signals.subscribe(runId, () -> feed.context.runOnContext(v -> feed.readSoon()));
        feed.reading = true;
        feed.vertx.executeBlocking(read, false).onComplete(ar -> {
            if (ar.failed()) {
                feed.finish();
                Http.fail(ctx, ar.cause());
                return;
            }
            if (res.closed()) {
                feed.finish();
                return;
            }
            res.setStatusCode(200)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("X-Accel-Buffering", "no")
                    .setChunked(true);
            feed.keepAliveTimer = feed.vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> feed.write(": keep-alive\n\n"));
            feed.reading = false;
            feed.deliver(ar.result());
        });
    }

    /** Reads again as soon as the read in flight (if any) is over. */
    private void readSoon() {
        if (done) return;
        if (reading) {
            again = true;
            return;
        }
        if (ctx.response().writeQueueFull()) {
            ctx.response().drainHandler(v -> readSoon());
            return;
        }
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
            pollTimer = -1;
        }
        reading = true;
        again = false;
        vertx.executeBlocking(read, false).onComplete(ar -> {
            reading = false;
            if (ar.failed()) {
                log.warn("{}: the stream stops: {}", ctx.request().path(), ar.cause().toString());
                close();
                return;
            }
            deliver(ar.result());
        });
    }

    private void deliver(Batch batch) {
        if (done) return;
        for (Frame f : batch.frames()) write(frame(f));
        if (batch.end() != null) {
            write(frame(batch.end()));
            close();
            return;
        }
        if (again) readSoon();
        else pollTimer = vertx.setTimer(POLL_MILLIS, id -> {
            pollTimer = -1;
            readSoon();
        });
    }

    private void write(String text) {
        HttpServerResponse res = ctx.response();
        if (!done && !res.closed() && !res.ended()) res.write(text);
    }

    private void close() {
        HttpServerResponse res = ctx.response();
        finish();
        if (!res.closed() && !res.ended()) res.end();
    }

    private void finish() {
        if (done) return;
        done = true;
        unsubscribe.run();
        if (pollTimer >= 0) vertx.cancelTimer(pollTimer);
        if (keepAliveTimer >= 0) vertx.cancelTimer(keepAliveTimer);
    }

    /** The text of one event: its data on one line (a carriage return would split it, so it is shown as ␍). */
    static String frame(Frame f) {
        StringBuilder b = new StringBuilder(f.data().length() + 40);
        if (f.id() != null) b.append("id: ").append(f.id()).append('\n');
        b.append("event: ").append(f.event()).append('\n');
        b.append("data: ").append(f.data().replace("\r", "\u240D").replace("\n", "\u2424")).append("\n\n");
        return b.toString();
    }
}
