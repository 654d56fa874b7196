package dev.sluice.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.registry.Actor;
import dev.sluice.engine.registry.AliasConflict;
import dev.sluice.engine.registry.Expected;
import dev.sluice.engine.registry.ModelFile;
import dev.sluice.engine.registry.ModelVersion;
import dev.sluice.engine.registry.MoveResult;
import dev.sluice.engine.registry.Names;
import dev.sluice.engine.registry.Registry;
import dev.sluice.engine.registry.RegistryException;
import dev.sluice.engine.report.ModelViews;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.artifact.ContentStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/models}: the registry's models, versions, content downloads and alias moves.
 * Names in the path are checked before anything is looked up; content is served only from the
 * artifact store, by the hashes the version lists.
 */
public final class ModelsHandler {

    private static final Logger log = LoggerFactory.getLogger(ModelsHandler.class);
    static final int MAX_NOTE = 2000;

    private final Store store;
    private final ContentStore artifacts;

    public ModelsHandler(ApiContext api) {
        this.store = api.store();
        this.artifacts = api.artifacts();
    }

    private Registry registry() {
        return store.registry();
    }

    /** {@code GET /api/models} */
    public void list(RoutingContext ctx) {
        Http.blocking(ctx, () -> Reply.ok(ModelViews.list(registry())));
    }

    /** {@code GET /api/models/{name}} */
    public void get(RoutingContext ctx) {
        String name = model(ctx);
        Http.blocking(ctx, () -> Reply.ok(ModelViews.detail(registry(), name).orElseThrow(() -> noModel(name))));
    }

    /** {@code GET /api/models/{name}/versions/{n}} */
    public void version(RoutingContext ctx) {
        String name = model(ctx);
        int n = number(ctx);
        Http.blocking(ctx, () -> {
            ModelVersion v = find(name, n);
            return Reply.ok(ModelViews.version(v, registry().aliases(name)));
        });
    }

    /** {@code GET /api/models/{name}/versions/{n}/content}: the file, or the folder as a tar stream. */
    public void content(RoutingContext ctx) {
        String name = model(ctx);
        int n = number(ctx);
        ctx.vertx().executeBlocking(() -> {
            ModelVersion v = find(name, n);
            for (ModelFile f : v.files()) {
                if (!ContentStore.isSha256(f.sha256()) || !Files.isRegularFile(artifacts.path(f.sha256()))) {
                    throw new ApiException(410, "gone", "model " + name + " version " + n + ": file " + f.path()
                            + " is no longer in the artifact store");
                }
            }
            return v;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                Http.fail(ctx, ar.cause());
                return;
            }
            ModelVersion v = ar.result();
            HttpServerResponse res = ctx.response();
            if (v.kind().equals("file")) {
                ModelFile f = v.files().get(0);
                res.putHeader("Content-Type", "application/octet-stream")
                        .putHeader("Content-Disposition", "attachment; filename=\"" + safeFileName(f.path()) + "\"")
                        .putHeader("X-Sluice-Sha256", v.sha256());
                res.sendFile(artifacts.path(f.sha256()).toString())
                        .onFailure(e -> log.warn("sending model {} v{} failed: {}", name, n, e.toString()));
                return;
            }
            res.setChunked(true).putHeader("Content-Type", "application/x-tar")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + name + "-" + n + ".tar\"")
                    .putHeader("X-Sluice-Sha256", v.sha256());
            ctx.vertx().executeBlocking(() -> {
                try (OutputStream out = new ResponseStream(res)) {
                    TarStream tar = new TarStream(out, v.createdAt().getEpochSecond());
                    for (ModelFile f : v.files()) tar.add(f.path(), artifacts.path(f.sha256()), f.size());
                    tar.finish();
                }
                return null;
            }, false).onComplete(done -> {
                if (done.failed()) {
                    log.warn("streaming model {} v{} failed: {}", name, n, done.cause().toString());
                    res.reset();
                } else if (!res.ended()) {
                    res.end();
                }
            });
        });
    }

    /** {@code PUT /api/models/{name}/aliases/{alias}} with {@code {"version", "expected_version", "note"}}. */
    public void putAlias(RoutingContext ctx) {
        String name = model(ctx);
        String alias = alias(ctx);
        JsonNode body = body(ctx, true);
        JsonNode version = body.get("version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
            throw ApiException.badRequest("bad-json", "'version' must be a version number (1 or more)");
        }
        Expected expected = expected(body);
        String note = note(body);
        Actor by = actor(body);
        Http.blocking(ctx, () -> Reply.ok(moved(move(name, alias, version.asInt(), expected, by, note))));
    }

    /** {@code DELETE /api/models/{name}/aliases/{alias}} with {@code {"expected_version", "note"}}. */
    public void deleteAlias(RoutingContext ctx) {
        String name = model(ctx);
        String alias = alias(ctx);
        JsonNode body = body(ctx, false);
        Expected expected = expected(body);
        String note = note(body);
        Actor by = actor(body);
        Http.blocking(ctx, () -> Reply.ok(moved(move(name, alias, null, expected, by, note))));
    }

    private MoveResult move(String name, String alias, Integer version, Expected expected, Actor by, String note) {
        try {
            MoveResult r = registry().moveAlias(name, alias, version, expected, by, note);
            log.info("[model {}] alias {} -> {} (was {}) by {}", name, alias, r.version() == null ? "deleted" : "v" + r.version(),
                    r.previousVersion() == null ? "unset" : "v" + r.previousVersion(), by.type());
            return r;
        } catch (AliasConflict e) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("current_version", e.currentVersion());
            throw new ApiException(409, "conflict", e.getMessage(), extra);
        } catch (RegistryException e) {
            throw e.kind() == RegistryException.Kind.NOT_FOUND ? ApiException.notFound(e.getMessage())
                    : ApiException.badRequest("bad-request", e.getMessage());
        }
    }

    private static Map<String, Object> moved(MoveResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("alias", r.alias());
        m.put("version", r.version());
        m.put("previous_version", r.previousVersion());
        return m;
    }

    // ---- request parts

    private static JsonNode body(RoutingContext ctx, boolean required) {
        String text = Http.bodyText(ctx);
        if (text.isBlank()) {
            if (required) throw ApiException.badRequest("bad-json", "send {\"version\": N, \"expected_version\": N, \"note\": \"...\"}");
            return Json.read("{}");
        }
        String type = Http.mediaType(ctx);
        if (type != null && !type.equals("application/json")) {
            throw ApiException.unsupportedType("send the body as Content-Type: application/json (got " + type + ")");
        }
        JsonNode node = Json.read(text);
        if (!node.isObject()) throw ApiException.badRequest("bad-json", "the body must be a JSON object");
        node.fieldNames().forEachRemaining(f -> {
            if (!f.equals("version") && !f.equals("expected_version") && !f.equals("note") && !f.equals("by")) {
                throw ApiException.badRequest("bad-json", "unknown field '" + Names.shown(f)
                        + "' (version, expected_version, note, by)");
            }
        });
        return node;
    }

    private static Expected expected(JsonNode body) {
        if (!body.has("expected_version")) return Expected.any();
        JsonNode e = body.get("expected_version");
        if (e.isNull()) return Expected.absent();
        if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 1) {
            throw ApiException.badRequest("bad-json", "'expected_version' must be a version number, or null for an alias that must not exist yet");
        }
        return Expected.at(e.asInt());
    }

    private static String note(JsonNode body) {
        JsonNode n = body.get("note");
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw ApiException.badRequest("bad-json", "'note' must be a string");
        if (n.asText().length() > MAX_NOTE) throw ApiException.badRequest("bad-json", "'note' is longer than " + MAX_NOTE + " characters");
        return n.asText();
    }

    /** {@code "by": "cli"} marks a move made with {@code sluice models alias}; anything else over HTTP is {@code api}. */
    private static Actor actor(JsonNode body) {
        JsonNode by = body.get("by");
        if (by == null || by.isNull() || by.asText().equals("api")) return Actor.api();
        if (by.asText().equals("cli")) return Actor.cli();
        throw ApiException.badRequest("bad-json", "'by' must be api or cli");
    }

    static String model(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String problem = Names.modelProblem(name);
        if (problem != null) throw ApiException.badRequest("bad-name", problem);
        return name;
    }

    private static String alias(RoutingContext ctx) {
        String alias = ctx.pathParam("alias");
        String problem = Names.aliasProblem(alias);
        if (problem != null) throw ApiException.badRequest("bad-name", problem);
        return alias;
    }

    private static int number(RoutingContext ctx) {
        String n = ctx.pathParam("n");
        if (n == null || !n.matches("[1-9][0-9]{0,8}")) {
            throw ApiException.badRequest("bad-version", "a version is a whole number from 1, not '" + Names.shown(String.valueOf(n)) + "'");
        }
        return Integer.parseInt(n);
    }

    private ModelVersion find(String name, int n) {
        if (registry().model(name).isEmpty()) throw noModel(name);
        return registry().version(name, n).orElseThrow(() -> ApiException.notFound("model " + name + " has no version " + n));
    }

    private static ApiException noModel(String name) {
        return ApiException.notFound("no model " + name);
    }

    private static String safeFileName(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * An output stream onto a chunked response, written from a worker thread: it waits while the
     * response's write queue is full, so a slow client holds at most the queue, not the folder.
     */
    private static final class ResponseStream extends OutputStream {
        private final HttpServerResponse res;
        private final byte[] buf = new byte[64 * 1024];
        private int n;

        ResponseStream(HttpServerResponse res) {
            this.res = res;
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) flushBuffer();
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) flushBuffer();
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
        }

        private void flushBuffer() throws IOException {
            if (n == 0) return;
            if (res.closed()) throw new IOException("the client went away");
            res.write(Buffer.buffer(java.util.Arrays.copyOf(buf, n)));
            n = 0;
            if (res.writeQueueFull()) {
                CountDownLatch drained = new CountDownLatch(1);
                res.drainHandler(v -> drained.countDown());
                if (!res.writeQueueFull()) return;
                try {
                    if (!drained.await(60, TimeUnit.SECONDS)) throw new IOException("the client stopped reading");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
    }
}
