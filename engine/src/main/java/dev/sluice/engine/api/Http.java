package dev.sluice.engine.api;

import dev.sluice.engine.scheduler.RunControl;
import dev.sluice.engine.store.StoreException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plumbing every handler shares: run the work off the event loop, write its {@link Reply},
 * turn every failure into {@code {"error": code, "message": ...}} with the right status (never a
 * stack trace), and the security headers every response carries.
 */
public final class Http {

    private static final Logger log = LoggerFactory.getLogger(Http.class);
    private static final Set<String> YAML = Set.of("application/yaml", "text/yaml", "application/x-yaml");

    /** Longest request line (method, path with query, version); a longer one gets 414 JSON. */
    public static final int MAX_REQUEST_LINE = 8192;

    private Http() {}

    /** Runs {@code work} on a worker thread (JDBC, files, parsing), then replies on the event loop. */
    public static void blocking(RoutingContext ctx, Callable<Reply> work) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) send(ctx, ar.result());
            else fail(ctx, ar.cause());
        });
    }

    public static void send(RoutingContext ctx, Reply reply) {
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.closed()) return;
        res.setStatusCode(reply.status()).putHeader("Content-Type", reply.contentType());
        reply.headers().forEach(res::putHeader);
        if (reply.body() instanceof Path file) {
            res.putHeader("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"");
            res.sendFile(file.toString()).onFailure(e -> log.warn("sending {} failed: {}", file, e.toString()));
        } else {
            res.end(String.valueOf(reply.body()));
        }
    }

    /** Answers a failure: an {@link ApiException} as it says, anything else as a logged 500. */
    public static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof ApiException api) {
            error(ctx, api.status(), api.code(), api.getMessage(), api.extra());
        } else if (e instanceof RunControl.Unreachable) {
            log.warn("{} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
            error(ctx, 503, "no-leader", e.getMessage());
        } else if (e instanceof StoreException) {
            log.warn("{} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
            error(ctx, 503, "unavailable", e.getMessage());
        } else {
            log.error("{} {} failed: {}", ctx.request().method(), ctx.request().path(), e.toString(), e);
            error(ctx, 500, "internal", "internal error; the server log has the details");
        }
    }

    /** The router's failure handler: {@code ctx.fail(...)} from our code or from Vert.x (e.g. 413 from the body limit). */
    public static void failure(RoutingContext ctx) {
        Throwable e = ctx.failure();
        if (e instanceof ApiException || (e != null && ctx.statusCode() < 0)) {
            fail(ctx, e);
        } else {
            status(ctx);
        }
    }

    /** An error with only a status (no route, wrong method, body too large): a JSON body for it. */
    public static void status(RoutingContext ctx) {
        int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
        String path = ctx.request().path();
        switch (status) {
            case 404 -> error(ctx, 404, "not-found", "no such resource: " + path);
            case 405 -> error(ctx, 405, "method-not-allowed", ctx.request().method() + " is not allowed on " + path);
            case 413 -> error(ctx, 413, "too-large", "the request body is over the limit of 2 MiB");
            case 415 -> error(ctx, 415, "unsupported-media-type", "unsupported Content-Type");
            case 414 -> error(ctx, 414, "uri-too-long", "the request line is over the limit of " + MAX_REQUEST_LINE + " bytes");
            case 431 -> error(ctx, 431, "headers-too-large", "the request headers are over the limit");
            case 400 -> error(ctx, 400, "bad-request", "bad request");
            default -> {
                if (status >= 500) log.error("{} {} failed with status {}", ctx.request().method(), path, status);
                error(ctx, status, status >= 500 ? "internal" : "error", status >= 500 ? "internal error" : "request refused");
            }
        }
    }

    /**
     * The server's answer to a request it could not parse (a request line over {@link #MAX_REQUEST_LINE},
     * headers too large, bad syntax): a JSON error like every other, then the connection closes.
     */
    public static void invalid(io.vertx.core.http.HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        int status = 400;
        String code = "bad-request";
        String message = "the request could not be read as HTTP";
        if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
            status = 414;
            code = "uri-too-long";
            message = "the request line is over the limit of " + MAX_REQUEST_LINE + " bytes";
        } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
            status = 431;
            code = "headers-too-large";
            message = "the request headers are over the limit";
        }
        HttpServerResponse res = request.response();
        secureHeaders(res);
        res.setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(Json.write(Map.of("error", code, "message", message)));
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        error(ctx, status, code, message, Map.of());
    }

    static void error(RoutingContext ctx, int status, String code, String message, Map<String, Object> extra) {
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.closed()) return;
        if (res.headWritten()) {
            res.reset();
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        body.putAll(extra);
        secureHeaders(res);
        res.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 413) res.putHeader("Connection", "close"); // the rest of the body is not worth reading
        res.end(Json.write(body));
    }

    /** A route handler for every request: the headers, then the next route. */
    public static void secure(RoutingContext ctx) {
        secureHeaders(ctx.response());
        ctx.next();
    }

    /** No page of another site may frame this one (clickjacking): CSP for today's browsers, X-Frame-Options for older ones. */
    public static final String POLICY = "default-src 'self'; frame-ancestors 'none'";

    static void secureHeaders(HttpServerResponse res) {
        res.putHeader("X-Content-Type-Options", "nosniff");
        if (!res.headers().contains("Content-Security-Policy")) res.putHeader("Content-Security-Policy", POLICY);
        res.putHeader("X-Frame-Options", "DENY");
    }

    /** @throws ApiException 415 unless the request says its body is YAML */
    static void requireYaml(RoutingContext ctx) {
        String type = mediaType(ctx);
        if (type == null || !YAML.contains(type)) {
            throw ApiException.unsupportedType("send the pipeline as Content-Type: application/yaml (got "
                    + (type == null ? "none" : type) + ")");
        }
    }

    /** @return the Content-Type without its parameters, lower case; null when absent */
    static String mediaType(RoutingContext ctx) {
        String h = ctx.request().getHeader("Content-Type");
        if (h == null || h.isBlank()) return null;
        int semi = h.indexOf(';');
        return (semi < 0 ? h : h.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** @throws ApiException 400 when the body is not UTF-8 text */
    static String bodyText(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null) return "";
        byte[] bytes = ctx.body().buffer().getBytes();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("encoding", "the body is not valid UTF-8 text");
        }
    }
}
