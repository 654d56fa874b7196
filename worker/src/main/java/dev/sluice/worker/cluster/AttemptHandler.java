package dev.sluice.worker.cluster;

import dev.sluice.worker.cluster.AttemptRun.Phase;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * A worker's attempts from dispatch to acknowledged result (see {@link WorkerAgent} for the rules):
 * idempotent acceptance by key, inputs, the process, uploads, the result re-sent until acknowledged,
 * cancels, the lease's loss and draining. Only touched on the agent's context.
 */
final class AttemptHandler {

    /** How many finished keys are remembered to acknowledge late duplicate dispatches. */
    static final int REMEMBERED = WorkerAgent.REMEMBERED;

    private static final Logger LOG = LoggerFactory.getLogger(AttemptHandler.class);

    private final Vertx vertx;
    private final Context context;
    private final AgentSettings settings;
    private final LocalExecutor executor;
    private final ArtifactClient artifacts;
    private final LogBatcher logs;
    private final Membership membership;
    private final Map<AttemptKey, AttemptRun> runs = new LinkedHashMap<>();
    private final LinkedHashSet<AttemptKey> finished = new LinkedHashSet<>();
    private final List<Promise<Void>> drainWaiters = new ArrayList<>();
    private boolean draining;

    AttemptHandler(Vertx vertx, Context context, AgentSettings settings, LocalExecutor executor, ArtifactClient artifacts,
            LogBatcher logs, Membership membership) {
        this.vertx = vertx;
        this.context = context;
        this.settings = settings;
        this.executor = executor;
        this.artifacts = artifacts;
        this.logs = logs;
        this.membership = membership;
    }

    /** The attempts this worker will still report: every run but those given up with the lease. */
    List<AttemptKey> inHand() {
        return runs.values().stream().filter(r -> !r.abandoned).map(r -> r.key).toList();
    }

    /**
     * The lease ran out: every attempt holding a slot is killed (KILL {@code killGrace} after TERM at
     * the latest, as the engine expects) and will not be reported.
     *
     * @return completes once the processes of every abandoned attempt have ended
     */
    Future<Void> leaseLost(long silentMillis, Duration killGrace) {
        List<Future<Void>> running = new ArrayList<>();
        for (AttemptRun run : runs.values()) {
            if (run.holdsSlot() && !run.abandoned) {
                run.abandoned = true;
                LOG.warn("{} lease lost (no ok reply from the engine for {} ms): killing the step, the engine gives it to "
                        + "another worker; its result will not be sent", run.prefix(), silentMillis);
                if (run.phase == Phase.RUNNING) {
                    executor.abandon(run.key, killGrace);
                }
            }
            if (run.abandoned && run.phase == Phase.RUNNING) {
                running.add(run.gone.future());
            }
        }
        return Future.all(running).mapEmpty();
    }

    Future<Void> drain(Duration grace, Duration patience) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            draining = true;
            long busy = runs.values().stream().filter(AttemptRun::holdsSlot).count();
            LOG.info("worker {} draining: {} step(s) running, {} waiting for acknowledgement; grace {}", settings.name(),
                    busy, runs.size() - busy, grace);
            drainWaiters.add(done);
            vertx.setTimer(Math.max(1, grace.toMillis()), t -> {
                for (AttemptRun run : List.copyOf(runs.values())) {
                    if (run.holdsSlot()) {
                        LOG.info("{} still running after the grace period: killing it", run.prefix());
                        cancel(run);
                    }
                }
                vertx.setTimer(Math.max(1, patience.toMillis()), t2 -> {
                    if (!runs.isEmpty()) {
                        LOG.warn("worker {} stopping with {} result(s) not acknowledged by the engine: {}", settings.name(),
                                runs.size(), runs.keySet());
                    }
                    done.tryComplete();
                });
            });
            completeDrainIfIdle();
        });
        return done.future();
    }

    // ---- dispatch and cancel

    void onDispatch(Message<JsonObject> message) {
        membership.checkLease();
        AttemptKey key;
        TaskRequest request;
        try {
            JsonObject body = Objects.requireNonNull(message.body(), "no body");
            key = Wire.attemptKey(Objects.requireNonNull(body.getJsonObject("key"), "no key"));
            request = Wire.taskRequest(Objects.requireNonNull(body.getJsonObject("request"), "no request"));
            if (!request.key().equals(key)) {
                throw new IllegalArgumentException("key " + key + " differs from the request's " + request.key());
            }
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            message.fail(400, "bad dispatch: " + e.getMessage());
            return;
        }
        if (runs.containsKey(key) || finished.contains(key)) {
            LOG.debug("{} dispatched again: acknowledged, nothing started", AttemptRun.prefix(key));
            message.reply(new JsonObject().put("accepted", true));
            return;
        }
        if (draining || membership.stopped()) {
            message.reply(new JsonObject().put("accepted", false).put("reason", "draining"));
            return;
        }
        long busy = runs.values().stream().filter(AttemptRun::holdsSlot).count();
        if (busy >= settings.slots()) {
            message.reply(new JsonObject().put("accepted", false).put("reason", "busy"));
            return;
        }
        AttemptRun run = new AttemptRun(request);
        runs.put(key, run);
        message.reply(new JsonObject().put("accepted", true));
        LOG.info("{} accepted ({}/{} slots busy): {}", run.prefix(), busy + 1, settings.slots(), oneLine(request.command()));
        fetchInputs(run);
    }

    void onCancel(Message<JsonObject> message) {
        AttemptKey key;
        try {
            key = Wire.attemptKey(Objects.requireNonNull(message.body().getJsonObject("key"), "no key"));
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            message.fail(400, "bad cancel: " + e.getMessage());
            return;
        }
        AttemptRun run = runs.get(key);
        if (run != null && run.holdsSlot()) {
            LOG.info("{} cancel requested by the engine", run.prefix());
            cancel(run);
        }
        message.reply(new JsonObject().put("ok", true));
    }

    private void cancel(AttemptRun run) {
        if (run.phase == Phase.FETCHING) {
            run.cancelRequested = true;
        } else if (run.phase == Phase.RUNNING) {
            executor.cancel(run.key);
        }
    }

    // ---- an attempt

    private void fetchInputs(AttemptRun run) {
        if (run.request.needed().isEmpty()) {
            startProcess(run);
            return;
        }
        Instant startedAt = Instant.now();
        artifacts.fetchMissing(membership.endpoint(), run.request.needed()).whenComplete((ok, e) -> context.runOnContext(v -> {
            if (run.abandoned) {
                ended(run);
                LOG.info("{} inputs fetched after the lease was lost: not started", run.prefix());
            } else if (e != null) {
                processEnded(run, failed(run, startedAt, "could not download inputs: " + cause(e)));
            } else if (run.cancelRequested) {
                processEnded(run, new TaskResult(run.key, Outcome.CANCELLED, null, "cancelled", startedAt, Instant.now(),
                        List.of(), Map.of(), settings.name()));
            } else {
                startProcess(run);
            }
        }));
    }

    private void startProcess(AttemptRun run) {
        run.phase = Phase.RUNNING;
        try {
            executor.start(run.request, logs).whenComplete((result, e) -> context.runOnContext(v -> processEnded(run,
                    result != null ? result : failed(run, Instant.now(), "worker error: " + cause(e)))));
        } catch (IllegalStateException e) {
            processEnded(run, failed(run, Instant.now(), "worker shutting down"));
        }
    }

    private void processEnded(AttemptRun run, TaskResult result) {
        membership.checkLease();
        if (run.abandoned) {
            ended(run);
            LOG.info("{} ended {} after the lease was lost: result not sent", run.prefix(), result.outcome());
            return;
        }
        run.phase = Phase.REPORTING;
        run.result = result;
        LOG.info("{} {}{}{}, {} output(s)", run.prefix(), result.outcome(),
                result.exitCode() == null ? "" : " (exit " + result.exitCode() + ")",
                result.error() == null ? "" : ": " + result.error(), result.outputs().size());
        List<String> shas = result.outputs().stream().map(a -> a.sha256()).distinct().toList();
        upload(run, shas, 0, settings.timing().firstRetry().toMillis());
    }

    private void upload(AttemptRun run, List<String> shas, int next, long backoff) {
        if (membership.stopped()) {
            return;
        }
        if (next == shas.size()) {
            sendResult(run, settings.timing().firstRetry().toMillis());
            return;
        }
        artifacts.upload(membership.endpoint(), shas.get(next)).whenComplete((ok, e) -> context.runOnContext(v -> {
            if (e == null) {
                upload(run, shas, next + 1, settings.timing().firstRetry().toMillis());
            } else {
                LOG.warn("{} upload of output {} failed ({}); retrying in {} ms", run.prefix(), shas.get(next), cause(e), backoff);
                vertx.setTimer(backoff, t -> upload(run, shas, next, Math.min(backoff * 2, settings.timing().maxRetry().toMillis())));
            }
        }));
    }

    private void sendResult(AttemptRun run, long backoff) {
        if (membership.stopped()) {
            return;
        }
        // the attempt's last lines travel with its result (kept for a re-send: the leader ignores a repeated result whole)
        if (run.lastLines == null) run.lastLines = Wire.lines(logs.flushExcept(run.key));
        else logs.flush();
        JsonObject message = new JsonObject().put("workerId", settings.workerId()).put("key", Wire.toJson(run.key))
                .put("result", Wire.toJson(run.result)).put("lines", run.lastLines);
        vertx.eventBus().<JsonObject>request(Wire.RESULT, message, Membership.timeout(settings.timing().requestTimeout().toMillis()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result().body() != null && ar.result().body().getBoolean("ok", false)) {
                        LOG.debug("{} result acknowledged", run.prefix());
                        ended(run);
                    } else {
                        LOG.debug("{} result not acknowledged ({}); re-sending in {} ms", run.prefix(),
                                ar.failed() ? Membership.describe(ar.cause()) : ar.result().body(), backoff);
                        vertx.setTimer(backoff, t -> sendResult(run, Math.min(backoff * 2, settings.timing().maxRetry().toMillis())));
                    }
                });
    }

    /** Forgets a run, remembering its key: a late duplicate dispatch of it starts nothing. */
    private void ended(AttemptRun run) {
        runs.remove(run.key, run);
        run.gone.tryComplete();
        finished.add(run.key);
        while (finished.size() > REMEMBERED) {
            finished.remove(finished.iterator().next());
        }
        completeDrainIfIdle();
    }

    private void completeDrainIfIdle() {
        if (draining && runs.isEmpty()) {
            drainWaiters.forEach(Promise::tryComplete);
        }
    }

    private TaskResult failed(AttemptRun run, Instant startedAt, String error) {
        return new TaskResult(run.key, Outcome.FAILED, null, error, startedAt, Instant.now(), List.of(), Map.of(), settings.name());
    }

    private static String cause(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }

    private static String oneLine(String command) {
        String line = command.strip().replaceAll("\\s+", " ");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
