package dev.sluice.worker.cluster;

import dev.sluice.worker.protocol.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the leader engine on a plain (non-clustered) Vert.x: the {@code sluice.leader.*}
 * consumers, recording what arrives, and the two artifact endpoints on an HTTP server on port 0.
 * Its answers are switched by the tests through the volatile fields.
 */
final class FakeLeader implements AutoCloseable {

    static final String UPLOAD_TOKEN = "upload-secret";

    final Vertx vertx;
    final List<JsonObject> registrations = new CopyOnWriteArrayList<>();
    final List<JsonObject> heartbeats = new CopyOnWriteArrayList<>();
    final List<JsonObject> results = new CopyOnWriteArrayList<>();
    final List<JsonObject> logs = new CopyOnWriteArrayList<>();
    /** "upload:<sha>" and "result:<taskId>#<attempt>", in arrival order */
    final List<String> events = new CopyOnWriteArrayList<>();
    /** content served at GET /api/artifacts/{sha} */
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    /** content received at PUT /api/cluster/artifacts/{sha} */
    final Map<String, byte[]> uploaded = new ConcurrentHashMap<>();

    volatile long leaseMillis = 5000;
    volatile long heartbeatMillis = 200;
    /** the watchdog's TERM-to-KILL delay told at registration; 0: not told */
    volatile long killGraceMillis;
    /** 0: accept registrations; otherwise fail them with this code */
    volatile int registerFailure;
    /** "ok", "unknown" (unknown worker) or "silent" (no reply) */
    volatile String heartbeatAnswer = "ok";
    /** how many result messages to leave unanswered before acknowledging */
    final AtomicInteger resultsToIgnore = new AtomicInteger();
    /** how many uploads to refuse with 503 first */
    final AtomicInteger uploadsToRefuse = new AtomicInteger();

    private final HttpServer http;

    FakeLeader() throws Exception {
        vertx = Vertx.vertx();
        vertx.eventBus().<JsonObject>consumer(Wire.REGISTER, m -> {
            registrations.add(m.body());
            if (registerFailure != 0) {
                m.fail(registerFailure, "bad join token");
            } else {
                JsonObject reply = new JsonObject().put("ok", true).put("leaseMillis", leaseMillis).put("heartbeatMillis", heartbeatMillis)
                        .put("engineUrl", engineUrl()).put("uploadToken", UPLOAD_TOKEN);
                if (killGraceMillis > 0) reply.put("killGraceMillis", killGraceMillis);
                m.reply(reply);
            }
        });
        vertx.eventBus().<JsonObject>consumer(Wire.HEARTBEAT, m -> {
            heartbeats.add(m.body());
            switch (heartbeatAnswer) {
                case "ok" -> m.reply(new JsonObject().put("ok", true));
                case "unknown" -> m.reply(new JsonObject().put("ok", false).put("reason", "unknown worker"));
                default -> { }
            }
        });
        vertx.eventBus().<JsonObject>consumer(Wire.RESULT, m -> {
            results.add(m.body());
            // an attempt's last lines come inside its result
            if (m.body().getJsonArray("lines") != null && !m.body().getJsonArray("lines").isEmpty()) {
                logs.add(new JsonObject().put("key", m.body().getJsonObject("key")).put("lines", m.body().getJsonArray("lines")));
            }
            JsonObject key = m.body().getJsonObject("key");
            events.add("result:" + key.getString("taskId") + "#" + key.getInteger("attempt"));
            if (resultsToIgnore.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                m.reply(new JsonObject().put("ok", true));
            }
        });
        vertx.eventBus().<JsonObject>consumer(Wire.LOGS, m -> logs.add(m.body()));
        http = vertx.createHttpServer().requestHandler(this::artifacts).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    String engineUrl() {
        return "http://127.0.0.1:" + http.actualPort();
    }

    /** Serves {@code bytes} as the content of {@code sha} (which may be a lie) and returns sha. */
    String serve(String sha, byte[] bytes) {
        served.put(sha, bytes);
        return sha;
    }

    List<String> logText() {
        return logs.stream().flatMap(l -> l.getJsonArray("lines").stream())
                .map(o -> ((JsonObject) o).getString("text")).toList();
    }

    JsonObject resultOf(String taskId) {
        return results.stream().filter(r -> r.getJsonObject("key").getString("taskId").equals(taskId))
                .map(r -> r.getJsonObject("result")).findFirst().orElse(null);
    }

    private void artifacts(HttpServerRequest request) {
        if (!("Bearer " + UPLOAD_TOKEN).equals(request.getHeader("Authorization"))) {
            request.response().setStatusCode(401).end();
            return;
        }
        String path = request.path();
        if (request.method() == HttpMethod.GET && path.startsWith("/api/artifacts/")) {
            byte[] bytes = served.get(path.substring("/api/artifacts/".length()));
            if (bytes == null) {
                request.response().setStatusCode(404).end();
            } else {
                request.response().end(Buffer.buffer(bytes));
            }
        } else if (request.method() == HttpMethod.PUT && path.startsWith("/api/cluster/artifacts/")) {
            String sha = path.substring("/api/cluster/artifacts/".length());
            request.body().onSuccess(body -> {
                if (uploadsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    request.response().setStatusCode(503).end("busy");
                } else if (!sha256(body.getBytes()).equals(sha)) {
                    request.response().setStatusCode(400).end("hash mismatch");
                } else {
                    uploaded.put(sha, body.getBytes());
                    events.add("upload:" + sha);
                    request.response().setStatusCode(201).end();
                }
            });
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
