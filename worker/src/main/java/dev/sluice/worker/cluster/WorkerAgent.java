package dev.sluice.worker.cluster;

import dev.sluice.worker.cluster.AttemptRun.Phase;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
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
 * A remote worker's side of the cluster protocol (see {@code docs/cluster.md}): registers with the
 * leader, keeps its lease, runs what it is dispatched on a {@link LocalExecutor}, and reports.
 * Deploy it on any Vert.x (clustered in production, plain in tests); all its state lives on the
 * verticle's context.
 *
 * <ul>
 *   <li><b>Registration</b>: {@code sluice.leader.register} is sent until an ok reply comes back,
 *       the delay doubling from {@link AgentSettings.Timing#firstRetry()} to
 *       {@link AgentSettings.Timing#maxRetry()}. A failure with code 401 (a refused join token)
 *       stops the agent: {@link #halted()} fails with a message for people.</li>
 *   <li><b>Lease</b>: heartbeats every {@code heartbeatMillis}. The lease counts from the moment
 *       the last request that got an ok reply was <em>sent</em> (a reply arriving late proves
 *       nothing about the time in between). With no ok for {@code leaseMillis} the lease is lost:
 *       every attempt holding a slot is killed and its result is never sent (the engine has given
 *       the step to another worker), then the agent registers again. This is checked before any
 *       result is reported, so a worker frozen by SIGSTOP that wakes up does not finish a step
 *       handed to someone else. A heartbeat reply {@code {"ok":false,"reason":"unknown worker"}}
 *       (the leader restarted or changed) makes it register again at once.</li>
 *   <li><b>Dispatch</b> ({@code sluice.worker.<id>.dispatch}): at least once from the leader, so
 *       acknowledged idempotently by key: a key that is running, reporting, or among the last
 *       {@value #REMEMBERED} finished ones is acknowledged again and starts nothing. With every
 *       slot taken the answer is {@code {"accepted":false,"reason":"busy"}}; while draining,
 *       {@code "draining"}.</li>
 *   <li><b>An attempt</b>: inputs missing from the store are downloaded and checked (a failure
 *       fails the attempt with the reason), the process runs, its log lines go to
 *       {@code sluice.leader.logs} every {@link AgentSettings.Timing#logFlush()}, its outputs are
 *       uploaded (retried until they are stored), then its result is sent to
 *       {@code sluice.leader.result} until acknowledged, across re-registrations too.</li>
 * </ul>
 */
public final class WorkerAgent extends VerticleBase {

    /** How many finished keys are remembered to acknowledge late duplicate dispatches. */
    static final int REMEMBERED = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);
    private static final long LEASE_CHECK_MILLIS = 100;

    private final AgentSettings settings;
    private final LocalExecutor executor;
    private final ArtifactClient artifacts;
    private final Map<AttemptKey, AttemptRun> runs = new LinkedHashMap<>();
    private final LinkedHashSet<AttemptKey> finished = new LinkedHashSet<>();
    private final Promise<Void> registeredOnce = Promise.promise();
    private final Promise<Void> halted = Promise.promise();
    private final List<Promise<Void>> drainWaiters = new ArrayList<>();
    private LogBatcher logs;

    private Registration registration;
    private Endpoint endpoint;
    private long generation;
    private boolean registering;
    private boolean leaseHeld;
    private long leaseRenewedAt;
    /** the lease length of the last registration, kept while registering again */
    private long leaseMillis;
    private long heartbeatTimer = -1;
    private boolean draining;
    private boolean stopped;

    /** What an ok registration reply says. */
    private record Registration(long leaseMillis, long heartbeatMillis) {}

    public WorkerAgent(AgentSettings settings, LocalExecutor executor, ArtifactClient artifacts) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    }

    /** Completes at the first successful registration: the worker can take work. */
    public Future<Void> registered() {
        return registeredOnce.future();
    }

    /** Fails when the agent gives up for good (the engine refused its join token); never succeeds. */
    public Future<Void> halted() {
        return halted.future();
    }

    @Override
    public Future<?> start() {
        logs = new LogBatcher(settings.workerId(), json -> vertx.eventBus().send(Wire.LOGS, json));
        return Clustering.<JsonObject>consumer(vertx, Wire.dispatchAddress(settings.workerId()), this::onDispatch)
                .compose(v -> Clustering.<JsonObject>consumer(vertx, Wire.cancelAddress(settings.workerId()), this::onCancel))
                .onSuccess(v -> {
                    vertx.setPeriodic(settings.timing().logFlush().toMillis(), t -> logs.flush());
                    vertx.setPeriodic(LEASE_CHECK_MILLIS, t -> checkLease());
                    register();
                });
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        logs.flush();
        return Future.succeededFuture();
    }

    /**
     * Stops taking work, lets the running attempts finish for up to {@code grace}, then kills what
     * is left; completes once every result has been acknowledged (or {@code patience} more has
     * passed without the engine acknowledging them).
     */
    public Future<Void> drain(Duration grace, Duration patience) {
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

    // ---- registration and lease

    private void register() {
        if (registering || stopped) {
            return;
        }
        registering = true;
        generation++;
        sendRegistration(settings.timing().firstRetry().toMillis(), true);
    }

    private void sendRegistration(long backoff, boolean first) {
        if (stopped) {
            return;
        }
        long gen = generation;
        long sentAt = System.nanoTime();
        JsonObject message = new JsonObject()
                .put("workerId", settings.workerId()).put("name", settings.name())
                .put("labels", new JsonArray(new ArrayList<>(settings.labels()))).put("slots", settings.slots())
                .put("token", settings.token().orElse(null)).put("host", settings.host()).put("pid", settings.pid())
                .put("running", Wire.keys(inHand()));
        vertx.eventBus().<JsonObject>request(Wire.REGISTER, message, timeout(settings.timing().requestTimeout().toMillis()))
                .onComplete(ar -> {
                    if (stopped || gen != generation) {
                        return;
                    }
                    JsonObject body = ar.succeeded() ? ar.result().body() : null;
                    if (body != null && body.getBoolean("ok", false)) {
                        registered(body, sentAt);
                    } else if (ar.failed() && ar.cause() instanceof ReplyException re
                            && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == 401) {
                        halt("the engine refused this worker's join token (" + re.getMessage()
                                + "): give the cluster's token with --token-file or SLUICE_JOIN_TOKEN");
                    } else {
                        String why = ar.failed() ? describe(ar.cause()) : "refused: " + body;
                        if (first) {
                            LOG.info("worker {}: registration not answered yet ({}); retrying", settings.name(), why);
                        } else {
                            LOG.debug("worker {}: registration not answered ({}); retrying in {} ms", settings.name(), why, backoff);
                        }
                        vertx.setTimer(backoff, t -> sendRegistration(Math.min(backoff * 2, settings.timing().maxRetry().toMillis()), false));
                    }
                });
    }

    private void registered(JsonObject reply, long sentAt) {
        registering = false;
        generation++;
        registration = new Registration(reply.getLong("leaseMillis", 10_000L), reply.getLong("heartbeatMillis", 2_000L));
        endpoint = new Endpoint(reply.getString("engineUrl", ""), reply.getString("uploadToken"));
        leaseMillis = registration.leaseMillis();
        renewLease(sentAt);
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        heartbeatTimer = vertx.setPeriodic(Math.max(1, registration.heartbeatMillis()), t -> heartbeat());
        LOG.info("worker {} registered with the engine at {} (lease {} ms, heartbeat {} ms, {} attempt(s) in hand)",
                settings.name(), endpoint.engineUrl(), registration.leaseMillis(), registration.heartbeatMillis(), runs.size());
        registeredOnce.tryComplete();
    }

    private void heartbeat() {
        if (registration == null || stopped) {
            return;
        }
        long gen = generation;
        long sentAt = System.nanoTime();
        JsonObject message = new JsonObject().put("workerId", settings.workerId()).put("running", Wire.keys(inHand()));
        // a late ok still renews the lease from the moment it was sent, so wait for it as long as the lease lasts
        vertx.eventBus().<JsonObject>request(Wire.HEARTBEAT, message, timeout(Math.max(1, leaseMillis)))
                .onComplete(ar -> {
                    if (gen != generation || registration == null || stopped || ar.failed()) {
                        return; // a missed heartbeat only matters once the lease runs out
                    }
                    JsonObject body = ar.result().body();
                    if (body != null && body.getBoolean("ok", false)) {
                        renewLease(sentAt);
                    } else if (body != null && "unknown worker".equals(body.getString("reason"))) {
                        LOG.info("worker {}: the engine does not know this worker (it restarted or the leader changed): registering again",
                                settings.name());
                        unregister();
                    }
                });
    }

    private void renewLease(long sentAt) {
        if (!leaseHeld || sentAt - leaseRenewedAt > 0) {
            leaseRenewedAt = sentAt;
        }
        leaseHeld = true;
    }

    /** Loses the lease when no ok reply came for {@code leaseMillis}; called before anything is reported. */
    private void checkLease() {
        if (!leaseHeld) {
            return;
        }
        long silentMillis = (System.nanoTime() - leaseRenewedAt) / 1_000_000;
        if (silentMillis <= leaseMillis) {
            return;
        }
        leaseHeld = false;
        for (AttemptRun run : runs.values()) {
            if (run.holdsSlot() && !run.abandoned) {
                run.abandoned = true;
                LOG.warn("{} lease lost (no ok reply from the engine for {} ms): killing the step, the engine gives it to "
                        + "another worker; its result will not be sent", run.prefix(), silentMillis);
                if (run.phase == Phase.RUNNING) {
                    executor.cancel(run.key);
                }
            }
        }
        unregister();
    }

    private void unregister() {
        registration = null;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
        registering = false;
        register();
    }

    private void halt(String message) {
        LOG.error("worker {}: {}", settings.name(), message);
        stopped = true;
        halted.tryFail(message);
    }

    // ---- dispatch and cancel

    private void onDispatch(Message<JsonObject> message) {
        checkLease();
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
        if (draining || stopped) {
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

    private void onCancel(Message<JsonObject> message) {
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
        artifacts.fetchMissing(endpoint(), run.request.needed()).whenComplete((ok, e) -> context.runOnContext(v -> {
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
        checkLease();
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
        if (stopped) {
            return;
        }
        if (next == shas.size()) {
            sendResult(run, settings.timing().firstRetry().toMillis());
            return;
        }
        artifacts.upload(endpoint(), shas.get(next)).whenComplete((ok, e) -> context.runOnContext(v -> {
            if (e == null) {
                upload(run, shas, next + 1, settings.timing().firstRetry().toMillis());
            } else {
                LOG.warn("{} upload of output {} failed ({}); retrying in {} ms", run.prefix(), shas.get(next), cause(e), backoff);
                vertx.setTimer(backoff, t -> upload(run, shas, next, Math.min(backoff * 2, settings.timing().maxRetry().toMillis())));
            }
        }));
    }

    private void sendResult(AttemptRun run, long backoff) {
        if (stopped) {
            return;
        }
        // the attempt's last lines travel with its result (kept for a re-send: the leader ignores a repeated result whole)
        if (run.lastLines == null) run.lastLines = Wire.lines(logs.flushExcept(run.key));
        else logs.flush();
        JsonObject message = new JsonObject().put("workerId", settings.workerId()).put("key", Wire.toJson(run.key))
                .put("result", Wire.toJson(run.result)).put("lines", run.lastLines);
        vertx.eventBus().<JsonObject>request(Wire.RESULT, message, timeout(settings.timing().requestTimeout().toMillis()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result().body() != null && ar.result().body().getBoolean("ok", false)) {
                        LOG.debug("{} result acknowledged", run.prefix());
                        ended(run);
                    } else {
                        LOG.debug("{} result not acknowledged ({}); re-sending in {} ms", run.prefix(),
                                ar.failed() ? describe(ar.cause()) : ar.result().body(), backoff);
                        vertx.setTimer(backoff, t -> sendResult(run, Math.min(backoff * 2, settings.timing().maxRetry().toMillis())));
                    }
                });
    }

    /** Forgets a run, remembering its key: a late duplicate dispatch of it starts nothing. */
    private void ended(AttemptRun run) {
        runs.remove(run.key, run);
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

    // ---- helpers

    /** The attempts this worker will still report: every run but those given up with the lease. */
    private List<AttemptKey> inHand() {
        return runs.values().stream().filter(r -> !r.abandoned).map(r -> r.key).toList();
    }

    private Endpoint endpoint() {
        return endpoint != null ? endpoint : new Endpoint("http://engine-unknown", null);
    }

    private TaskResult failed(AttemptRun run, Instant startedAt, String error) {
        return new TaskResult(run.key, Outcome.FAILED, null, error, startedAt, Instant.now(), List.of(), Map.of(), settings.name());
    }

    private static DeliveryOptions timeout(long millis) {
        return new DeliveryOptions().setSendTimeout(millis);
    }

    private static String describe(Throwable e) {
        if (e instanceof ReplyException re) {
            return switch (re.failureType()) {
                case NO_HANDLERS -> "no engine leader in the cluster";
                case TIMEOUT -> "no reply in time";
                default -> re.failureCode() + " " + re.getMessage();
            };
        }
        return e.toString();
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
