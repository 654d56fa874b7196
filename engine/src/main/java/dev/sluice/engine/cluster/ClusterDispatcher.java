package dev.sluice.engine.cluster;

import dev.sluice.engine.scheduler.Dispatcher;
import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.scheduler.Placement;
import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogLine;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands attempts to the embedded worker or to remote ones over the event bus. A remote dispatch is
 * at least once: it is sent again every {@link #RESEND_MILLIS} until the worker acknowledges it (the
 * worker starts nothing for a key it already has). The attempt's future completes when the worker's
 * result arrives, or with outcome LOST when the worker is declared lost first — not at once, but at
 * the worker's fence ({@link WorkerGate#FENCE} after it was last heard from), when its watchdog has
 * surely ended the attempt's processes: two attempts of one step never run at the same time. A
 * result for an attempt no longer pending here (the worker was lost, the leader changed) is
 * acknowledged and ignored: attempts are fenced by their key, which carries the attempt number.
 */
public final class ClusterDispatcher implements Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(ClusterDispatcher.class);
    static final long RESEND_MILLIS = 1_000;

    /** One remote attempt, from dispatch to result. */
    private static final class Pending {
        final TaskRequest request;
        final String workerId;
        final LogSink sink;
        final CompletableFuture<TaskResult> result = new CompletableFuture<>();
        volatile boolean acknowledged;

        Pending(TaskRequest request, String workerId, LogSink sink) {
            this.request = request;
            this.workerId = workerId;
            this.sink = sink;
        }
    }

    private final Vertx vertx;
    private final LocalDispatcher local;
    private final WorkerRegistry registry;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final Map<AttemptKey, Pending> pending = new ConcurrentHashMap<>();
    private final long resendTimer;

    /** @param local the embedded worker, or null when this server runs no steps itself */
    public ClusterDispatcher(Vertx vertx, LocalDispatcher local, ArtifactStore artifacts, Clock clock) {
        this.vertx = vertx;
        this.local = local;
        this.registry = new WorkerRegistry(local);
        this.artifacts = artifacts;
        this.clock = clock;
        this.resendTimer = vertx.setPeriodic(RESEND_MILLIS, id -> resendUnacknowledged());
    }

    WorkerRegistry registry() {
        return registry;
    }

    private boolean isLocal(String worker) {
        return local != null && local.worker().equals(worker);
    }

    @Override
    public Placement place(List<String> labels) {
        return registry.place(labels);
    }

    @Override
    public void release(Placement placement) {
        if (!placement.placed()) return;
        if (isLocal(placement.worker())) local.release(placement);
        else registry.release(placement.worker());
    }

    @Override
    public int freeSlots() {
        return registry.freeSlots();
    }

    @Override
    public CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink) {
        if (isLocal(placement.worker())) return local.dispatch(request, placement, sink);
        Pending p = new Pending(request, placement.worker(), sink);
        pending.put(request.key(), p);
        if (!registry.known(placement.worker())) {
            lost(placement.worker(), placement.name(), System.nanoTime()); // lost between placement and now: never sent
        } else {
            send(p);
        }
        return p.result;
    }

    private void send(Pending p) {
        JsonObject message = new JsonObject().put("key", Wire.toJson(p.request.key())).put("request", Wire.toJson(p.request));
        vertx.eventBus().<JsonObject>request(Wire.dispatchAddress(p.workerId), message, new DeliveryOptions().setSendTimeout(RESEND_MILLIS * 2))
                .onSuccess(reply -> {
                    JsonObject body = reply.body();
                    if (body != null && body.getBoolean("accepted", false)) {
                        if (!p.acknowledged) log.debug("[run {}] [step {}#{}] accepted by {}", p.request.key().runId(),
                                p.request.key().taskId(), p.request.key().attempt(), p.workerId);
                        p.acknowledged = true;
                    }
                });
        // a failure (no reply, no handler) is left to the re-send and to the worker's lease
    }

    private void resendUnacknowledged() {
        for (Pending p : pending.values()) {
            if (!p.acknowledged && !p.result.isDone()) send(p);
        }
    }

    @Override
    public boolean cancel(AttemptKey key) {
        Pending p = pending.get(key);
        if (p == null) return local != null && local.cancel(key);
        if (!p.acknowledged && pending.remove(key, p)) {
            // not started there yet (as far as we know): it ends here; the cancel below stops a late start
            registry.release(p.workerId);
            p.result.complete(new TaskResult(key, TaskResult.Outcome.CANCELLED, null, null, null, clock.instant(),
                    List.of(), Map.of(), p.workerId));
        }
        vertx.eventBus().request(Wire.cancelAddress(p.workerId), new JsonObject().put("key", Wire.toJson(key)),
                new DeliveryOptions().setSendTimeout(RESEND_MILLIS * 2));
        return true;
    }

    /** Log lines of a remote attempt; lines of an attempt not pending here are dropped. */
    void logs(AttemptKey key, List<LogLine> lines) {
        Pending p = pending.get(key);
        if (p == null) return;
        for (LogLine line : lines) p.sink.accept(key, line);
    }

    /**
     * A remote attempt's result. No step succeeds unless its outputs are in the artifact store: an
     * output the worker did not upload (to this server, or to the shared object store) makes the
     * attempt FAILED. The check runs off the event loop (a HEAD per output on an object store); the
     * attempt is no longer pending from this call on, so a repeated result is ignored.
     *
     * @return false when the result was stale (ignored)
     */
    boolean result(String workerId, TaskResult result) {
        AttemptKey key = result.key();
        Pending p = pending.get(key);
        if (p == null || !p.workerId.equals(workerId) || !pending.remove(key, p)) {
            log.warn("[run {}] [step {}#{}] ignoring a late result from {}: the attempt is no longer running there",
                    key.runId(), key.taskId(), key.attempt(), workerId);
            return false;
        }
        registry.release(workerId);
        if (result.outputs().isEmpty()) {
            p.result.complete(result);
        } else {
            vertx.executeBlocking(() -> checkOutputs(result, workerId), false)
                    .onComplete(ar -> p.result.complete(ar.succeeded() ? ar.result() : failed(result, workerId,
                            "outputs could not be checked in the artifact store: " + ar.cause().getMessage())));
        }
        return true;
    }

    private TaskResult checkOutputs(TaskResult result, String workerId) {
        Optional<String> missing;
        try {
            missing = artifacts.firstMissing(result.outputs().stream().map(Artifact::sha256).toList());
        } catch (IOException | RuntimeException e) {
            return failed(result, workerId, "outputs could not be checked in the artifact store: " + e.getMessage());
        }
        if (missing.isEmpty()) return result;
        Artifact a = result.outputs().stream().filter(o -> o.sha256().equals(missing.get())).findFirst().orElseThrow();
        return failed(result, workerId, "output " + a.path() + " did not reach the engine (sha256 " + a.sha256() + ")");
    }

    private static TaskResult failed(TaskResult result, String workerId, String error) {
        return new TaskResult(result.key(), TaskResult.Outcome.FAILED, result.exitCode(), error, result.startedAt(),
                result.endedAt(), List.of(), result.metrics(), workerId);
    }

    /** Where remote workers may write outputs themselves: the shared object store's location, or null (they upload here). */
    String sharedArtifacts() {
        return artifacts.shared() ? artifacts.location() : null;
    }

    /**
     * The attempts of a lost worker end LOST, at {@code fenceNanos} ({@link System#nanoTime()}): their
     * steps get new attempts elsewhere once the worker's processes are surely gone. From now on a
     * result from that worker for them is ignored.
     */
    void lost(String workerId, String name, long fenceNanos) {
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Pending p = e.getValue();
            if (!p.workerId.equals(workerId)) continue;
            it.remove();
            AttemptKey key = e.getKey();
            long waitMillis = Math.max(0, (fenceNanos - System.nanoTime()) / 1_000_000);
            log.warn("[run {}] [step {}#{}] worker {} lost; the attempt ends in {} ms, when the worker's watchdog has surely killed it",
                    key.runId(), key.taskId(), key.attempt(), name, waitMillis);
            Runnable end = () -> p.result.complete(new TaskResult(key, TaskResult.Outcome.LOST, null, "the worker " + name
                    + " running this attempt stopped heartbeating", null, clock.instant(), List.of(), Map.of(), name));
            if (waitMillis == 0) end.run();
            else vertx.setTimer(waitMillis, t -> end.run());
        }
    }

    /**
     * Attempts placed on workers that are no longer registered end LOST (a sweep after expiry and
     * re-registration), a whole fence from now: the dispatch may have reached the worker just before.
     */
    void sweep() {
        for (Pending p : List.copyOf(pending.values())) {
            if (!registry.known(p.workerId)) lost(p.workerId, p.workerId, System.nanoTime() + WorkerGate.FENCE.toNanos());
        }
    }

    /** Whether the worker has this attempt (it is pending here and was placed on it). */
    boolean runsOn(AttemptKey key, String workerId) {
        Pending p = pending.get(key);
        return p != null && p.workerId.equals(workerId);
    }

    /** The embedded worker and the registered ones, as {@code GET /api/cluster} shows them. */
    public List<Member> workers(String engineId, java.time.Instant engineStarted) {
        return registry.members(engineId, engineStarted, clock.instant());
    }

    /** Stops re-sending; attempts still pending stay as they are (the next leader takes the runs over). */
    public void close() {
        vertx.cancelTimer(resendTimer);
    }
}
