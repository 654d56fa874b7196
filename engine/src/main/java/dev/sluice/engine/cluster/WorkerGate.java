package dev.sluice.engine.cluster;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.Context;
import dev.sluice.worker.cluster.Clustering;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's door for workers, on the event bus: {@code sluice.leader.register}, {@code .heartbeat},
 * {@code .logs} and {@code .result}. A worker presents the join token (when the server has one) to
 * register; a worker not heard from for {@link #LEASE} is lost. The worker's own lease is measured
 * from when it sent its last acknowledged heartbeat, so it always stops its steps before the leader
 * gives them to someone else: its JVM when it can, its watchdog (a process outside the JVM) when the
 * JVM is frozen or dead, TERM at the end of the lease and KILL {@link #KILL_GRACE} later. The lost
 * worker's attempts end LOST (and their steps get new attempts) only {@link #FENCE} after it was
 * last heard from, on the monotonic clock: see {@code docs/cluster.md} for the timeline.
 */
public final class WorkerGate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerGate.class);
    /** How long a worker may stay silent before it is lost (the issue asks: within 10 s). */
    public static final Duration LEASE = Duration.ofSeconds(8);
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** The worker's watchdog sends KILL this long after the TERM at the end of the lease. */
    public static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** For the watchdog's tick (0.25 s), its scan of {@code /proc} and the two machines' clock rates. */
    public static final Duration MARGIN = Duration.ofSeconds(2);
    /** How long after a lost worker was last heard from its attempts end LOST: its processes are gone by then. */
    public static final Duration FENCE = LEASE.plus(KILL_GRACE).plus(MARGIN);
    private static final long EXPIRE_EVERY_MILLIS = 250;

    private final Vertx vertx;
    private final ClusterDispatcher dispatcher;
    private final Optional<byte[]> joinToken;
    private final String engineUrl;
    private final String uploadToken;
    private final Clock clock;
    private final Runnable workersChanged;
    private final List<MessageConsumer<JsonObject>> consumers = new CopyOnWriteArrayList<>();
    private final long expireTimer;

    /**
     * @param joinToken      what a worker must present to register; empty: any worker may
     * @param engineUrl      this server's API, where workers fetch inputs and upload outputs
     * @param uploadToken    the bearer token workers use for those two routes
     * @param workersChanged called when a worker registered (the scheduler looks at queued steps again)
     */
    public WorkerGate(Vertx vertx, ClusterDispatcher dispatcher, Optional<String> joinToken, String engineUrl,
            String uploadToken, Clock clock, Runnable workersChanged) {
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.joinToken = joinToken.map(WorkerGate::sha256);
        this.engineUrl = engineUrl;
        this.uploadToken = uploadToken;
        this.clock = clock;
        this.workersChanged = workersChanged;
        this.expireTimer = vertx.setPeriodic(EXPIRE_EVERY_MILLIS, id -> expire());
    }

    /** Registers the consumers; completes once the cluster knows them. */
    public Future<Void> bind() {
        // one context for all four: a worker's last log lines are handled before its result
        Context context = vertx.getOrCreateContext();
        Promise<Void> bound = Promise.promise();
        context.runOnContext(v -> Future.all(List.of(
                        bind(Wire.REGISTER, this::register), bind(Wire.HEARTBEAT, this::heartbeat),
                        bind(Wire.LOGS, this::logs), bind(Wire.RESULT, this::result)))
                .<Void>mapEmpty()
                .onFailure(e -> log.error("the workers' door could not open on the event bus: {}", e.toString()))
                .onComplete(bound));
        return bound.future();
    }

    private Future<MessageConsumer<JsonObject>> bind(String address, Handler<Message<JsonObject>> handler) {
        return Clustering.<JsonObject>consumer(vertx, address, handler).onSuccess(consumers::add);
    }

    private void register(Message<JsonObject> m) {
        JsonObject b = m.body();
        String id = b.getString("workerId");
        if (id == null || id.isBlank() || !id.matches("[A-Za-z0-9._@:-]{1,200}")) {
            m.fail(400, "a worker id is 1 to 200 letters, digits or ._@:-");
            return;
        }
        if (joinToken.isPresent()) {
            String given = b.getString("token");
            if (given == null || !MessageDigest.isEqual(sha256(given), joinToken.get())) {
                log.warn("worker {} ({}) refused: wrong join token", id, b.getString("name"));
                m.fail(401, "wrong join token");
                return;
            }
        }
        int slots = b.getInteger("slots", 1);
        Set<String> labels = new HashSet<>();
        for (Object l : b.getJsonArray("labels", new JsonArray())) labels.add(String.valueOf(l));
        String address = b.getString("host", "?") + " pid " + b.getValue("pid", "?");
        RemoteWorker w = new RemoteWorker(id, b.getString("name", id), labels, Math.max(1, slots), address, clock.instant());
        dispatcher.registry().register(w).ifPresent(old -> dispatcher.lost(old.id, old.name, old.lastSeenNanos + FENCE.toNanos()));
        if (!b.getBoolean("watchdog", false)) {
            log.warn("worker {} has no watchdog: if its JVM freezes, its steps run on until it wakes up", w.name);
        }
        log.info("worker {} joined: {} slots, labels {}, {}", w.name, w.slots, labels.stream().sorted().toList(), address);
        m.reply(new JsonObject().put("ok", true).put("leaseMillis", LEASE.toMillis()).put("heartbeatMillis", HEARTBEAT.toMillis())
                .put("killGraceMillis", KILL_GRACE.toMillis())
                .put("engineUrl", engineUrl).put("uploadToken", uploadToken).put("artifacts", dispatcher.sharedArtifacts()));
        cancelUnknown(id, b.getJsonArray("running"));
        workersChanged.run();
    }

    private void heartbeat(Message<JsonObject> m) {
        String id = m.body().getString("workerId");
        if (id == null || !dispatcher.registry().heartbeat(id, clock.instant())) {
            m.reply(new JsonObject().put("ok", false).put("reason", "unknown worker"));
            return;
        }
        m.reply(new JsonObject().put("ok", true));
        cancelUnknown(id, m.body().getJsonArray("running"));
    }

    /** Attempts a worker runs that are not its here (given to someone else, or from before a leader change): stopped. */
    private void cancelUnknown(String workerId, JsonArray running) {
        if (running == null) return;
        for (Object o : running) {
            if (!(o instanceof JsonObject k)) continue;
            AttemptKey key = Wire.attemptKey(k);
            if (!dispatcher.runsOn(key, workerId)) {
                log.info("[run {}] [step {}#{}] stopping it on {}: the attempt is not that worker's any more",
                        key.runId(), key.taskId(), key.attempt(), workerId);
                vertx.eventBus().send(Wire.cancelAddress(workerId), new JsonObject().put("key", k));
            }
        }
    }

    private void logs(Message<JsonObject> m) {
        JsonObject b = m.body();
        JsonObject k = b.getJsonObject("key");
        JsonArray lines = b.getJsonArray("lines");
        if (k == null || lines == null) return;
        try {
            dispatcher.logs(Wire.attemptKey(k), Wire.lines(lines));
        } catch (IllegalArgumentException e) {
            log.warn("worker {} sent malformed log lines: {}", b.getString("workerId"), e.getMessage());
        }
    }

    private void result(Message<JsonObject> m) {
        JsonObject b = m.body();
        String id = b.getString("workerId");
        JsonObject r = b.getJsonObject("result");
        if (id == null || r == null) {
            m.fail(400, "a result names its workerId and result");
            return;
        }
        TaskResult result;
        try {
            result = Wire.taskResult(r);
            JsonArray last = b.getJsonArray("lines");
            if (last != null) dispatcher.logs(result.key(), Wire.lines(last)); // before the result: they belong to it
        } catch (IllegalArgumentException e) {
            log.warn("worker {} sent a malformed result: {}", id, e.getMessage());
            m.fail(400, e.getMessage());
            return;
        }
        dispatcher.registry().heartbeat(id, clock.instant());
        dispatcher.result(id, result);
        // stale ones too: the worker must stop sending it
        m.reply(new JsonObject().put("ok", true));
    }

    private void expire() {
        for (RemoteWorker w : dispatcher.registry().expire(System.nanoTime(), LEASE)) {
            log.warn("worker {} lost: no heartbeat for {} s; its running steps get new attempts {} s after it was last heard from, "
                    + "once its watchdog has surely ended them", w.name, LEASE.toSeconds(), FENCE.toSeconds());
            dispatcher.lost(w.id, w.name, w.lastSeenNanos + FENCE.toNanos());
        }
        dispatcher.sweep();
    }

    @Override
    public void close() {
        vertx.cancelTimer(expireTimer);
        for (MessageConsumer<JsonObject> c : consumers) c.unregister();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
