package dev.sluice.engine.app;

import dev.sluice.engine.cluster.ClusterDispatcher;
import dev.sluice.engine.cluster.ClusterInfo;
import dev.sluice.engine.cluster.EnginePresence;
import dev.sluice.engine.cluster.Member;
import dev.sluice.engine.cluster.WorkerGate;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.leader.LeaderElection;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.RunControl;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.scheduler.Takeover;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Fence;
import dev.sluice.engine.store.LeaderLease;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.engine.alert.Channels;
import dev.sluice.engine.alert.Deliveries;
import dev.sluice.engine.store.AlertRecord;
import dev.sluice.engine.trigger.CronService;
import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.engine.trigger.EventTriggers;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.cluster.Clustering;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code sluice server} in its role: the leader runs the scheduler, the cron service and the
 * workers' door; a follower serves the API and hands run starts, cancels and retries to the
 * leader over the event bus. A server alone is simply always the leader. The leader also looks at
 * the store every {@link #ADOPT_EVERY} for runs created by other servers that nobody started (a
 * forward lost with a crash).
 */
final class ServerNode implements RunControl, ClusterInfo, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerNode.class);
    static final String CONTROL = "sluice.leader.control";
    static final Duration ADOPT_EVERY = Duration.ofSeconds(2);
    /** How long a follower waits for the leader to take a start, cancel or retry. */
    static final Duration HAND_ON = Duration.ofSeconds(5);

    /** What a leader runs; built at election, dropped at demotion. */
    private record Leading(long epoch, Scheduler scheduler, ClusterDispatcher dispatcher, WorkerGate gate, CronService cron,
            Future<MessageConsumer<JsonObject>> control, long adoptTimer) {}

    private final Store store;
    /** the same store, its commits checked against the leader lease: the scheduler's and cron's */
    private final Store fenced;
    private final ArtifactStore artifacts;
    private final Path baseDir;
    private final Clock clock;
    private final Owner owner;
    private final RunListener listener;
    private final LocalDispatcher local;
    private final Optional<String> joinToken;
    private final String uploadToken = token();
    private Vertx vertx;
    private volatile boolean clustered;
    private volatile EnginePresence presence;
    private volatile Leading leading;
    /** Set when the server stops: losing the lease then is what was asked for, not news. */
    private volatile boolean stopping;
    /** the leader's event triggers and webhook deliveries; null while following */
    private volatile EventTriggers events;
    private volatile Deliveries deliveries;
    private volatile Channels channels = Channels.none();
    private volatile java.util.function.Consumer<AlertRecord> alertFired = a -> { };
    /** runs the leader's scheduler keeps active at once (from {@code --max-active-runs}) */
    private volatile int maxActiveRuns = ServerCommand.DEFAULT_MAX_ACTIVE_RUNS;
    /** whether, since the election, one look at the store took over every active run (not only the QUEUED ones) */
    private volatile boolean adoptedAll;

    ServerNode(Store store, Fence fence, ArtifactStore artifacts, Path baseDir, Clock clock, Owner owner, RunListener listener,
            LocalDispatcher local, Optional<String> joinToken) {
        this.store = store;
        this.fenced = store.withFence(fence);
        this.artifacts = artifacts;
        this.baseDir = baseDir;
        this.clock = clock;
        this.owner = owner;
        this.listener = listener;
        this.local = local;
        this.joinToken = joinToken;
    }

    /** The alert channels (from {@code --channels}) and who counts fired alerts; before the election. */
    void monitoring(Channels channels, java.util.function.Consumer<AlertRecord> fired) {
        this.channels = channels;
        this.alertFired = fired;
    }

    /** Runs active at once at most while this server leads (the others wait QUEUED, oldest first); before the election. */
    void maxActiveRuns(int n) {
        this.maxActiveRuns = n;
    }

    /** Once the HTTP server and (when clustered) the cluster membership are up. */
    synchronized void attach(Vertx vertx, boolean clustered, String apiUrl, String name) {
        this.vertx = vertx;
        this.clustered = clustered;
        this.presence = new EnginePresence(vertx, owner.toString(), name, apiUrl, clock, this::leaderFacts);
    }

    /** An election for the scheduler's lease that makes this server lead while it holds it (not started). */
    LeaderElection election(LeaderLease lease, String url) {
        return new LeaderElection(lease, owner.toString(), url, new LeaderElection.Listener() {
            @Override
            public void onElected(long epoch) {
                lead(epoch);
            }

            @Override
            public void onDemoted() {
                follow();
            }
        });
    }

    boolean leader() {
        return leading != null;
    }

    /** Becomes the leader: takes over the runs other servers left, then schedules. */
    synchronized void lead(long epoch) {
        if (leading != null) return;
        ClusterDispatcher dispatcher = new ClusterDispatcher(vertx, local, artifacts, clock);
        Scheduler scheduler = new Scheduler(fenced, dispatcher, artifacts, new Expressions(), clock, owner.toString(),
                TaskRequest.DEFAULT_MAX_LOG_BYTES, listener, maxActiveRuns);
        WorkerGate gate = new WorkerGate(vertx, dispatcher, joinToken, presence.apiUrl(), uploadToken, clock, scheduler::wake);
        gate.bind();
        CronService cron = new CronService(fenced, CronService.RunStarter.of(scheduler), baseDir, clock, owner.toString());
        Future<MessageConsumer<JsonObject>> control = Clustering.<JsonObject>consumer(vertx, CONTROL, this::onControl)
                .onFailure(e -> log.error("cannot take start, cancel and retry from the other servers ({})", e.toString()));
        long timer = vertx.setPeriodic(ADOPT_EVERY.toMillis(), id -> vertx.executeBlocking(() -> {
            adopt(!adoptedAll);
            return null;
        }));
        leading = new Leading(epoch, scheduler, dispatcher, gate, cron, control, timer);
        adoptedAll = false;
        try {
            adopt(true);
        } catch (RuntimeException e) {
            // the database wavers (a fail-over often comes with that): the timer tries the whole look again
            log.warn("could not take over the runs of other servers yet ({}); trying again in {} s", e.getMessage(), ADOPT_EVERY.toSeconds());
        } finally {
            cron.start();
        }
        Deliveries d = new Deliveries(fenced.monitor(), channels, clock);
        EventTriggers e = new EventTriggers(fenced, CronService.RunStarter.of(scheduler), baseDir, clock, owner.toString(),
                new Expressions(), a -> {
                    alertFired.accept(a);
                    d.wake();
                });
        deliveries = d;
        events = e;
        d.start();
        e.start();
        log.info("this server leads (epoch {}): scheduling runs and firing schedules", epoch);
    }

    /** Stops leading at once, writing nothing more: another server holds the runs now. */
    synchronized void follow() {
        Leading l = leading;
        if (l == null) return;
        leading = null;
        vertx.cancelTimer(l.adoptTimer());
        l.control().onSuccess(MessageConsumer::unregister);
        stopMonitoring();
        l.cron().close();
        l.gate().close();
        l.scheduler().abandon();
        l.dispatcher().close();
        if (stopping) log.info("this server no longer leads: it is stopping");
        else log.warn("this server no longer leads: it serves the API and hands runs to the leader");
    }

    /**
     * Runs no scheduler of this process has: at election every active run of another server (the
     * old leader's, the followers' new ones); later only QUEUED ones.
     */
    private void adopt(boolean all) {
        Leading l = leading;
        if (l == null) return;
        for (RunRecord run : store.runsIn(RunState.QUEUED, RunState.RUNNING)) {
            if (l.scheduler().has(run.id())) continue;
            Optional<Owner> by = Owner.parse(run.owner());
            boolean server = by.map(o -> o.kind().equals("server")).orElse(!"cli".equals(run.trigger()));
            if (!server || (!all && run.status() != RunState.QUEUED)) continue;
            if (!all && by.map(o -> o.equals(owner)).orElse(false)) continue; // ours, on its way to the scheduler
            Optional<Plan> plan = Takeover.plan(store, run, baseDir);
            if (plan.isEmpty()) continue;
            try {
                if (run.status() == RunState.RUNNING) {
                    Takeover.killLeftovers(run.id());
                    l.scheduler().resume(plan.get(), run.id());
                } else {
                    l.scheduler().start(plan.get(), run, store.tasks(run.id()));
                }
                log.info("[pipeline {}] [run {}] taken over from {}", run.pipeline(), run.id(), run.owner());
            } catch (IllegalArgumentException e) {
                log.debug("[run {}] not taken over: {}", run.id(), e.getMessage()); // it ended meanwhile
            }
        }
        if (all) adoptedAll = true;
    }

    private void onControl(Message<JsonObject> m) {
        String op = m.body().getString("op", "");
        String runId = m.body().getString("runId", "");
        vertx.executeBlocking(() -> {
            Leading l = leading;
            if (l == null) throw new IllegalStateException("not the leader any more");
            if (op.equals("cancel")) {
                l.scheduler().cancel(runId);
                return null;
            }
            RunRecord run = store.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
            Plan plan = Takeover.plan(store, run, baseDir).orElseThrow(() -> new IllegalStateException("its pipeline no longer validates"));
            if (op.equals("start")) l.scheduler().start(plan, run, store.tasks(runId));
            else if (op.equals("retry")) l.scheduler().retry(plan, runId);
            else throw new IllegalArgumentException("unknown op " + op);
            return null;
        }).onSuccess(v -> m.reply(new JsonObject().put("ok", true))).onFailure(e -> m.fail(409, e.getMessage()));
    }

    @Override
    public CompletableFuture<RunRecord> start(Plan plan, RunRecord run, List<TaskRecord> tasks) {
        Leading l = leading;
        if (l != null) return l.scheduler().start(plan, run, tasks);
        return forward("start", run.id()).thenApply(v -> run);
    }

    /** On a follower, returns once the leader took the cancel; blocks up to {@link #HAND_ON}. */
    @Override
    public void cancel(String runId) {
        Leading l = leading;
        if (l != null) l.scheduler().cancel(runId);
        else handOn("cancel", runId);
    }

    /** On a follower, returns once the leader took the retry (blocks up to {@link #HAND_ON}), with the run as stored then. */
    @Override
    public CompletableFuture<RunRecord> retry(Plan plan, String runId) {
        Leading l = leading;
        if (l != null) return l.scheduler().retry(plan, runId);
        handOn("retry", runId);
        return CompletableFuture.completedFuture(store.run(runId).orElseThrow());
    }

    /** Hands a cancel or a retry to the leader and waits for its answer: the caller must know whether it was taken. */
    private void handOn(String op, String runId) {
        try {
            forward(op, runId).get(HAND_ON.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while handing the " + op + " to the leader");
        } catch (ExecutionException | TimeoutException e) {
            Throwable why = e instanceof ExecutionException ? e.getCause() : e;
            if (why instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                throw new Unreachable("the leader did not take the " + op + ": " + r.getMessage() + "; try again");
            }
            throw new Unreachable("no leader took the " + op + " (one is being elected, or it did not answer within "
                    + HAND_ON.toSeconds() + " s); nothing was done: try again in a few seconds");
        }
    }

    /** Runs of other servers are the leader's: a cancel reaches them through it. */
    @Override
    public boolean reaches(String runOwner) {
        return presence != null && Owner.parse(runOwner).map(o -> o.kind().equals("server")).orElse(false);
    }

    /** To the leader; a start lost here is found by the leader's look at the store, a cancel or retry is refused ({@link #handOn}). */
    private CompletableFuture<Void> forward(String op, String runId) {
        if (vertx == null) return CompletableFuture.failedFuture(new IllegalStateException("not started"));
        return vertx.eventBus().request(CONTROL, new JsonObject().put("op", op).put("runId", runId),
                        new DeliveryOptions().setSendTimeout(HAND_ON.toMillis()))
                .toCompletionStage().toCompletableFuture().thenApply(r -> (Void) null);
    }

    private JsonObject leaderFacts() {
        Leading l = leading;
        JsonObject facts = new JsonObject().put("leader", l != null);
        if (l != null) facts.put("epoch", l.epoch()).put("workers", EnginePresence.toJson(l.dispatcher().workers(owner.toString(), presence.joinedAt())));
        return facts;
    }

    /** Wakes the cron service (a pipeline was saved, paused, unpaused or deleted). */
    void pipelinesChanged() {
        Leading l = leading;
        if (l != null) l.cron().wake();
    }

    @Override
    public List<Member> members() {
        return presence == null ? List.of() : presence.members();
    }

    @Override
    public boolean clustered() {
        return clustered;
    }

    @Override
    public String uploadToken() {
        return uploadToken;
    }

    /** For a graceful stop: the leader's scheduler drains; a follower has nothing running. */
    int drain(Duration grace) throws InterruptedException {
        stopping = true;
        Leading l = leading;
        if (l == null) return 0;
        stopMonitoring();
        l.cron().close();
        return l.scheduler().drain(grace);
    }

    /** Idempotent; call it before the server's Vert.x closes. */
    @Override
    public synchronized void close() {
        Leading l = leading;
        leading = null;
        if (presence != null) presence.close();
        presence = null;
        stopMonitoring();
        if (l == null) return;
        l.cron().close();
        l.gate().close();
        l.scheduler().close();
        l.dispatcher().close();
    }

    private void stopMonitoring() {
        EventTriggers e = events;
        Deliveries d = deliveries;
        events = null;
        deliveries = null;
        if (e != null) e.close();
        if (d != null) d.close();
    }

    private static String token() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
