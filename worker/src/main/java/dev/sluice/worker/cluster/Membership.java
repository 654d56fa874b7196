package dev.sluice.worker.cluster;

import dev.sluice.worker.exec.Watchdog;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A worker's membership with the leader: registration, heartbeats and the lease (see
 * {@link WorkerAgent} for the rules). Each acknowledged registration or heartbeat renews the lease
 * from the moment it was <em>sent</em>, here and in the {@link Watchdog}'s lease file. Only touched
 * on the agent's context.
 */
final class Membership {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    /** The watchdog's TERM-to-KILL delay when the engine does not say (an engine before the watchdog). */
    static final long DEFAULT_KILL_GRACE_MILLIS = 2_000;

    private final Vertx vertx;
    private final AgentSettings settings;
    private final Optional<Watchdog> watchdog;
    private final Supplier<List<AttemptKey>> inHand;
    private final LeaseLoss leaseLost;
    private final Promise<Void> registeredOnce = Promise.promise();
    private final Promise<Void> halted = Promise.promise();

    private Registration registration;
    private Endpoint endpoint;
    private long generation;
    private boolean registering;
    private boolean leaseHeld;
    private long leaseRenewedAt;
    /** the lease length of the last registration, kept while registering again */
    private long leaseMillis;
    private long killGraceMillis = DEFAULT_KILL_GRACE_MILLIS;
    private long heartbeatTimer = -1;
    private boolean stopped;

    /** What ends a lost lease's steps. */
    @FunctionalInterface
    interface LeaseLoss {
        /**
         * @param killGrace KILL this long after TERM at the latest
         * @return completes once their processes have ended
         */
        Future<Void> lost(long silentMillis, Duration killGrace);
    }

    /** Says in the registration line whether outputs go to a shared store directly or through the engine. */
    private final ArtifactClient artifacts;

    /** What an ok registration reply says. */
    private record Registration(long leaseMillis, long heartbeatMillis, long killGraceMillis) {}

    /**
     * @param inHand    the attempts this worker will still report (sent with each registration and heartbeat)
     * @param leaseLost called when the lease runs out: every step holding a slot must end; the worker
     *                  registers again only once they have (so the watchdog's lease is not renewed
     *                  while a process of the lost lease may still run)
     * @param artifacts the worker's way to the artifacts, named in the registration line
     */
    Membership(Vertx vertx, AgentSettings settings, Optional<Watchdog> watchdog, Supplier<List<AttemptKey>> inHand,
            LeaseLoss leaseLost, ArtifactClient artifacts) {
        this.vertx = vertx;
        this.artifacts = artifacts;
        this.settings = settings;
        this.watchdog = watchdog;
        this.inHand = inHand;
        this.leaseLost = leaseLost;
    }

    Future<Void> registered() {
        return registeredOnce.future();
    }

    Future<Void> halted() {
        return halted.future();
    }

    boolean stopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
    }

    /** Where inputs are fetched and outputs uploaded (the last registration's answer). */
    Endpoint endpoint() {
        return endpoint != null ? endpoint : new Endpoint("http://engine-unknown", null, null);
    }

    void register() {
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
                .put("watchdog", watchdog.isPresent())
                .put("running", Wire.keys(inHand.get()));
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
        registration = new Registration(reply.getLong("leaseMillis", 10_000L), reply.getLong("heartbeatMillis", 2_000L),
                reply.getLong("killGraceMillis", DEFAULT_KILL_GRACE_MILLIS));
        endpoint = new Endpoint(reply.getString("engineUrl", ""), reply.getString("uploadToken"), reply.getString("artifacts"));
        leaseMillis = registration.leaseMillis();
        killGraceMillis = registration.killGraceMillis();
        renewLease(sentAt);
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        heartbeatTimer = vertx.setPeriodic(Math.max(1, registration.heartbeatMillis()), t -> heartbeat());
        LOG.info("worker {} registered with the engine at {} (lease {} ms, heartbeat {} ms, watchdog {}, {} attempt(s) in hand; artifacts {})",
                settings.name(), endpoint.engineUrl(), registration.leaseMillis(), registration.heartbeatMillis(),
                watchdog.isPresent() ? "kills " + killGraceMillis + " ms after" : "none", inHand.get().size(),
                artifacts.describe(endpoint));
        registeredOnce.tryComplete();
    }

    private void heartbeat() {
        if (registration == null || stopped) {
            return;
        }
        long gen = generation;
        long sentAt = System.nanoTime();
        JsonObject message = new JsonObject().put("workerId", settings.workerId()).put("running", Wire.keys(inHand.get()));
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
        // the watchdog's deadline only moves forward: an ok that comes after the lease ran out does not revive old steps
        watchdog.ifPresent(w -> w.hold(sentAt, Duration.ofMillis(leaseMillis), Duration.ofMillis(killGraceMillis)));
    }

    /**
     * Loses the lease when no ok reply came for {@code leaseMillis}; called before anything is reported.
     *
     * @return whether the lease is held
     */
    boolean checkLease() {
        if (!leaseHeld) {
            return false;
        }
        long silentMillis = (System.nanoTime() - leaseRenewedAt) / 1_000_000;
        if (silentMillis <= leaseMillis) {
            return true;
        }
        leaseHeld = false;
        stopHeartbeats();
        registering = true; // not before the lost lease's processes have ended
        leaseLost.lost(silentMillis, Duration.ofMillis(killGraceMillis)).onComplete(ar -> {
            registering = false;
            register();
        });
        return false;
    }

    private void unregister() {
        stopHeartbeats();
        registering = false;
        register();
    }

    private void stopHeartbeats() {
        registration = null;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
    }

    private void halt(String message) {
        LOG.error("worker {}: {}", settings.name(), message);
        stopped = true;
        halted.tryFail(message);
    }

    static DeliveryOptions timeout(long millis) {
        return new DeliveryOptions().setSendTimeout(millis);
    }

    static String describe(Throwable e) {
        if (e instanceof ReplyException re) {
            return switch (re.failureType()) {
                case NO_HANDLERS -> "no engine leader in the cluster";
                case TIMEOUT -> "no reply in time";
                default -> re.failureCode() + " " + re.getMessage();
            };
        }
        return e.toString();
    }
}
