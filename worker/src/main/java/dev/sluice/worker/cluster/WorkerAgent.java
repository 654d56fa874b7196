package dev.sluice.worker.cluster;

import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.exec.Watchdog;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A remote worker's side of the cluster protocol (see {@code docs/cluster.md}): registers with the
 * leader, keeps its lease, runs what it is dispatched on a {@link LocalExecutor}, and reports.
 * Deploy it on any Vert.x (clustered in production, plain in tests); all its state lives on the
 * verticle's context: {@link Membership} (registration, heartbeat, lease) and {@link AttemptHandler}
 * (dispatches to results); this verticle only wires them to the event bus.
 *
 * <ul>
 *   <li><b>Registration</b>: {@code sluice.leader.register} is sent until an ok reply comes back,
 *       the delay doubling from {@link AgentSettings.Timing#firstRetry()} to
 *       {@link AgentSettings.Timing#maxRetry()}. A failure with code 401 (a refused join token)
 *       stops the agent: {@link #halted()} fails with a message for people.</li>
 *   <li><b>Lease</b>: heartbeats every {@code heartbeatMillis}. The lease counts from the moment
 *       the last request that got an ok reply was <em>sent</em> (a reply arriving late proves
 *       nothing about the time in between). With no ok for {@code leaseMillis} the lease is lost:
 *       every attempt holding a slot is killed (KILL {@code killGraceMillis} after TERM at the
 *       latest) and its result is never sent (the engine gives the step to another worker), then,
 *       once their processes have ended, the agent registers again. This is checked before any
 *       result is reported, so a worker frozen by SIGSTOP that wakes up does not finish a step
 *       handed to someone else. A heartbeat reply {@code {"ok":false,"reason":"unknown worker"}}
 *       (the leader restarted or changed) makes it register again at once. Where {@code /proc} is there, a
 *       {@link Watchdog} outside the JVM holds the same lease (renewed with each ok) and ends the steps
 *       itself when it runs out, TERM then KILL {@code killGraceMillis} (told at registration) later:
 *       also when this JVM is frozen or dead.</li>
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

    private static final long LEASE_CHECK_MILLIS = 100;

    private final AgentSettings settings;
    private final LocalExecutor executor;
    private final ArtifactClient artifacts;
    private final Optional<Watchdog> watchdog;
    private final Promise<Void> registered = Promise.promise();
    private final Promise<Void> halted = Promise.promise();
    private LogBatcher logs;
    private Membership membership;
    private AttemptHandler attempts;

    /** An agent without a watchdog: the JVM's own lease check is all that ends a lost lease's steps. */
    public WorkerAgent(AgentSettings settings, LocalExecutor executor, ArtifactClient artifacts) {
        this(settings, executor, artifacts, Optional.empty());
    }

    /** @param watchdog renewed with the lease; the executor should take it as its {@code Lease} */
    public WorkerAgent(AgentSettings settings, LocalExecutor executor, ArtifactClient artifacts, Optional<Watchdog> watchdog) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
    }

    /** Completes at the first successful registration: the worker can take work. */
    public Future<Void> registered() {
        return registered.future();
    }

    /** Fails when the agent gives up for good (the engine refused its join token); never succeeds. */
    public Future<Void> halted() {
        return halted.future();
    }

    @Override
    public Future<?> start() {
        logs = new LogBatcher(settings.workerId(), json -> vertx.eventBus().send(Wire.LOGS, json));
        membership = new Membership(vertx, settings, watchdog, () -> attempts.inHand(), (silent, grace) -> attempts.leaseLost(silent, grace), artifacts);
        attempts = new AttemptHandler(vertx, context, settings, executor, artifacts, logs, membership);
        membership.registered().onComplete(registered);
        membership.halted().onComplete(halted);
        return Clustering.<JsonObject>consumer(vertx, Wire.dispatchAddress(settings.workerId()), attempts::onDispatch)
                .compose(v -> Clustering.<JsonObject>consumer(vertx, Wire.cancelAddress(settings.workerId()), attempts::onCancel))
                .onSuccess(v -> {
                    vertx.setPeriodic(settings.timing().logFlush().toMillis(), t -> logs.flush());
                    vertx.setPeriodic(LEASE_CHECK_MILLIS, t -> membership.checkLease());
                    membership.register();
                });
    }

    @Override
    public Future<?> stop() {
        membership.stop();
        logs.flush();
        return Future.succeededFuture();
    }

    /**
     * Stops taking work, lets the running attempts finish for up to {@code grace}, then kills what
     * is left; completes once every result has been acknowledged (or {@code patience} more has
     * passed without the engine acknowledging them).
     */
    public Future<Void> drain(Duration grace, Duration patience) {
        return attempts.drain(grace, patience);
    }
}
