package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Task;
import dev.sluice.engine.expr.ExpressionException;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.run.Decider;
import dev.sluice.engine.run.Decider.AttemptOutcome;
import dev.sluice.engine.run.Decider.Settlement;
import dev.sluice.engine.run.Decision;
import dev.sluice.engine.run.RunEvent;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepEvent;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.run.Transitions;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.CacheHit;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.StoreException;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the state of active runs on one thread. Each turn drains the events that arrived (attempt
 * results, cancels, timers), turns them and the {@link Decider}'s plan into one batch of changes,
 * commits it, and only then starts attempts and tells listeners: a state is stored before anyone
 * hears of it.
 */
public final class Scheduler implements RunControl, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final long LOG_FLUSH_MILLIS = 500;
    /** commit attempts before giving up: about 30 s of back-off */
    private static final int COMMIT_ATTEMPTS = 10;

    private sealed interface Event {}

    private record Start(ActiveRun run) implements Event {}

    private record Result(String runId, TaskResult result) implements Event {}

    private record Cancel(String runId) implements Event {}

    private record Retry(Plan plan, String runId, CompletableFuture<RunRecord> done) implements Event {}

    /** Draining starts ({@code kill} false) or its grace period is over ({@code kill} true). */
    private record Drain(boolean kill) implements Event {}

    private record Stop() implements Event {}

    private record Abandon() implements Event {}

    /** How the runs' futures fail when their scheduler is abandoned: not an error of the runs. */
    public static final class Abandoned extends IllegalStateException {
        Abandoned() {
            super("this server is no longer the leader: another one has its runs");
        }
    }

    /**
     * Whether a run's future failed only because this server stopped leading (a lost lease, or its
     * own stop): the run is not over, the next leader goes on with it. Not an error to report.
     */
    public static boolean handedOver(Throwable error) {
        return error instanceof Abandoned || error instanceof java.util.concurrent.CompletionException && error.getCause() instanceof Abandoned;
    }

    /** Workers came or slots freed up outside of a result: look at the queued steps again. */
    private record Wake() implements Event {}

    private final Store store;
    private final Dispatcher dispatcher;
    private final ArtifactStore artifacts;
    private final TaskPreparer preparer;
    private final ModelInputs modelInputs;
    private final RegisterStep registerStep;
    private final Clock clock;
    private final String owner;
    private final RunListener listener;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final LogBuffers logs = new LogBuffers();
    private final Map<String, ActiveRun> runs = new LinkedHashMap<>();
    /** Ids of the runs this scheduler has (active or waiting), readable from any thread. */
    private final Map<String, CompletableFuture<RunRecord>> known = new ConcurrentHashMap<>();
    /**
     * QUEUED runs waiting for room, each pipeline's in arrival order: for their pipeline's
     * {@code concurrency}, or for the scheduler's {@link #maxActiveRuns}.
     */
    private final Map<String, ArrayDeque<Waiting>> waiting = new LinkedHashMap<>();
    /** Active runs of each pipeline (the keys of {@link #runs}, counted). */
    private final Map<String, Integer> activeByPipeline = new HashMap<>();
    /** Runs active at once at most; the others wait QUEUED, oldest first. */
    private final int maxActiveRuns;
    /** Arrival numbers of waiting runs: the oldest waiting run of any pipeline starts first. */
    private long arrivals;
    /** Runs taken out of {@link #waiting} this turn: decided before the turn ends. */
    private final List<ActiveRun> promoted = new ArrayList<>();
    /** Set by {@link #drain}: no attempt starts any more. */
    private volatile boolean draining;
    /** Set once a drain's grace is over: attempts ending now were killed by it, and are recorded as interrupted. */
    private boolean killOnDrain;
    /** Attempts running, as of the end of the last turn (read by {@link #drain} from another thread). */
    private volatile int runningCount;
    private final Thread thread;
    private Instant lastHeartbeat = Instant.EPOCH;
    private volatile boolean stopped;
    private volatile Throwable failure;

    public Scheduler(Store store, Dispatcher dispatcher, ArtifactStore artifacts, Expressions expressions,
            Clock clock, String owner, long maxLogBytes, RunListener listener) {
        this(store, dispatcher, artifacts, expressions, clock, owner, maxLogBytes, listener, Integer.MAX_VALUE);
    }

    /**
     * @param maxActiveRuns runs active at once at most: a QUEUED run beyond them waits, as one of a
     *                      pipeline at its {@code concurrency} does, and is kept as its records only
     *                      (not the indexes of an active run), so that neither memory nor a turn's
     *                      work grows much with a backlog of queued runs
     */
    public Scheduler(Store store, Dispatcher dispatcher, ArtifactStore artifacts, Expressions expressions,
            Clock clock, String owner, long maxLogBytes, RunListener listener, int maxActiveRuns) {
        if (maxActiveRuns < 1) throw new IllegalArgumentException("maxActiveRuns must be at least 1");
        this.maxActiveRuns = maxActiveRuns;
        this.store = store;
        this.dispatcher = dispatcher;
        this.artifacts = artifacts;
        this.modelInputs = new ModelInputs(store, artifacts);
        this.preparer = new TaskPreparer(expressions, maxLogBytes, modelInputs);
        this.registerStep = new RegisterStep(store, artifacts, expressions);
        this.clock = clock;
        this.owner = owner;
        this.listener = listener;
        this.thread = new Thread(this::loop, "sluice-scheduler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Takes over a run that is stored QUEUED; completes when it ends, or exceptionally when the
     * scheduler has to stop (the store stayed unreachable). Resuming a RUNNING run comes with the
     * server's restart recovery: its running tasks and upstream outputs must be reloaded first.
     */
    @Override
    public CompletableFuture<RunRecord> start(Plan plan, RunRecord run, List<TaskRecord> tasks) {
        ActiveRun active = new ActiveRun(plan, run, tasks);
        if (stopped) {
            active.done.completeExceptionally(failure != null ? failure : new IllegalStateException("scheduler closed"));
            return active.done;
        }
        CompletableFuture<RunRecord> had = known.putIfAbsent(active.id(), active.done);
        if (had != null) return had; // asked twice (a forwarded start and the leader's own look at the store)
        events.add(new Start(active));
        return active.done;
    }

    /**
     * Takes over a run that was RUNNING when its engine stopped (a crash, {@code kill -9}, a lost
     * leader): steps that SUCCEEDED keep their outputs and metrics and do not run again; each
     * attempt left RUNNING ends FAILED with reason {@value #ENGINE_RESTART} and its step gets a new
     * attempt that does not use up its {@code retries} (the spec's at-least-once execution).
     */
    public CompletableFuture<RunRecord> resume(Plan plan, String runId) {
        RunRecord run = store.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        if (run.status() != RunState.RUNNING) throw new IllegalArgumentException("run " + runId + " is " + run.status() + ", not RUNNING");
        ActiveRun active = new ActiveRun(plan, run, store.tasks(runId));
        active.outputs.putAll(store.outputs(runId));
        active.metrics.putAll(store.metrics(runId));
        for (AttemptRecord a : store.attempts(runId)) {
            if (a.status().equals("RUNNING")) active.orphanedAttempts.add(new AttemptKey(runId, a.taskId(), a.attempt()));
        }
        if (stopped) {
            active.done.completeExceptionally(failure != null ? failure : new IllegalStateException("scheduler closed"));
            return active.done;
        }
        CompletableFuture<RunRecord> had = known.putIfAbsent(active.id(), active.done);
        if (had != null) return had; // asked twice (a forwarded start and the leader's own look at the store)
        events.add(new Start(active));
        return active.done;
    }

    /** The reason of attempts ended because the engine running them stopped. */
    public static final String ENGINE_RESTART = "engine restart";

    /** The reason of attempts whose worker was lost (it stopped heartbeating): the step gets a new attempt elsewhere. */
    public static final String WORKER_LOST = "worker lost";

    /** The reason of attempts killed because the server was shutting down. */
    public static final String INTERRUPTED = "interrupted";

    /** Looks at the queued steps again: call when workers joined or their slots freed up. */
    public void wake() {
        events.add(new Wake());
    }

    /** Cancels a run: queued steps are CANCELLED, running ones killed, and the run ends CANCELLED. */
    @Override
    public void cancel(String runId) {
        events.add(new Cancel(runId));
    }

    /**
     * Runs again, on the same run, the steps of a FAILED or CANCELLED run that FAILED, were SKIPPED
     * or CANCELLED: each gets a new attempt (numbers go on) with its {@code retries} renewed, and
     * uses the stored outputs of the steps that SUCCEEDED. Completes when the run ends again, or
     * exceptionally with {@link IllegalStateException} when the run is not FAILED or CANCELLED (read
     * on the scheduler thread, so two retries at once cannot both start it).
     */
    @Override
    public CompletableFuture<RunRecord> retry(Plan plan, String runId) {
        CompletableFuture<RunRecord> done = new CompletableFuture<>();
        if (stopped) done.completeExceptionally(failure != null ? failure : new IllegalStateException("scheduler closed"));
        else events.add(new Retry(plan, runId, done));
        return done;
    }

    /**
     * Stops taking work for a graceful shutdown: no attempt starts any more; waits up to
     * {@code grace} for the running ones to end, then kills the rest. Attempts ended by the kill
     * are recorded FAILED with reason {@value #INTERRUPTED} without using up a retry, their steps
     * QUEUED again; their runs stay RUNNING, for the next server to resume.
     *
     * @return the number of attempts that had to be killed
     */
    public int drain(Duration grace) throws InterruptedException {
        draining = true;
        events.add(new Drain(false));
        Instant deadline = clock.instant().plus(grace);
        while (running() > 0 && clock.instant().isBefore(deadline) && !stopped) Thread.sleep(50);
        int killed = running();
        if (killed == 0) return 0;
        events.add(new Drain(true));
        // wait for the killed attempts' results, so they are recorded before the store closes
        Instant killDeadline = clock.instant().plus(Duration.ofSeconds(30));
        while (running() > 0 && clock.instant().isBefore(killDeadline) && !stopped) Thread.sleep(50);
        return killed;
    }

    private int running() {
        return runningCount;
    }

    /** Whether this scheduler has the run (running, or waiting for its pipeline's concurrency, or about to start). */
    public boolean has(String runId) {
        return known.containsKey(runId);
    }

    /**
     * Stops at once without writing anything more, for a server that lost its leadership: another
     * holds the runs now. Processes still running here are killed; the runs' futures fail.
     */
    public void abandon() {
        // not close(): a turn in progress must end and the Abandon be handled, so that processes die
        events.add(new Abandon());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped = true;
        events.add(new Stop());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (!stopped) {
            try {
                Event first = events.poll(pollMillis(), TimeUnit.MILLISECONDS);
                List<Event> batch = new ArrayList<>();
                if (first != null) batch.add(first);
                events.drainTo(batch, 4096);
                turn(batch);
            } catch (InterruptedException e) {
                fail(new IllegalStateException("the scheduler was interrupted"));
                return;
            } catch (Throwable e) {
                fail(e);
                return;
            }
        }
    }

    private long pollMillis() {
        if (runs.isEmpty()) return 60_000;
        long wait = HEARTBEAT.toMillis();
        if (!logs.isEmpty()) wait = Math.min(wait, LOG_FLUSH_MILLIS);
        Instant now = clock.instant();
        for (ActiveRun r : runs.values()) {
            if (r.wakeAt != null) wait = Math.min(wait, Math.max(0, Duration.between(now, r.wakeAt).toMillis()));
        }
        return Math.max(wait, 1);
    }

    /**
     * Something we cannot go on after (the database stayed unreachable, a bug): stop every process we
     * run, so none outlives what we can record, and fail the runs' futures. The runs stay RUNNING in
     * the store; the next command marks them interrupted.
     */
    private void fail(Throwable e) {
        stopped = true;
        if (e instanceof Abandoned) log.info("scheduler stopped: {}", e.getMessage());
        else log.error("scheduler stopped: {}", e.toString());
        log.debug("scheduler stopped", e);
        failure = e;
        for (ActiveRun r : runs.values()) {
            killRunning(r);
            r.done.completeExceptionally(e);
        }
        runs.clear();
        activeByPipeline.clear();
        for (var queue : waiting.values()) queue.forEach(w -> w.done().completeExceptionally(e));
        waiting.clear();
        known.clear();
        for (Event ev; (ev = events.poll()) != null; ) {
            if (ev instanceof Start st) st.run().done.completeExceptionally(e);
        }
    }

    private void turn(List<Event> batch) throws InterruptedException {
        Batch b = new Batch(clock.instant());
        for (Event e : batch) {
            if (e instanceof Start s) onStart(b, s.run());
            else if (e instanceof Result r) onResult(b, r.runId(), r.result());
            else if (e instanceof Cancel c) onCancel(b, c.runId());
            else if (e instanceof Retry r) onRetry(b, r);
            else if (e instanceof Drain d) {
                if (d.kill()) onKill();
            }
            else if (e instanceof Abandon) {
                fail(new Abandoned());
                return;
            }
            else if (e instanceof Stop) stopped = true;
        }
        for (var entry : logs.takeAll()) {
            AttemptKey k = entry.getKey();
            b.changes.add(new Change.AppendLog(k.runId(), k.taskId(), k.attempt(), entry.getValue()));
        }
        for (ActiveRun run : List.copyOf(runs.values())) decide(b, run);
        while (!promoted.isEmpty()) {
            List<ActiveRun> started = List.copyOf(promoted);
            promoted.clear();
            for (ActiveRun run : started) decide(b, run);
        }
        runningCount = runningEverywhere();
        if (!runs.isEmpty() && Duration.between(lastHeartbeat, b.now).compareTo(HEARTBEAT) >= 0) {
            for (ActiveRun run : runs.values()) b.changes.add(new Change.SetRunOwner(run.id(), owner, b.now));
            lastHeartbeat = b.now;
        }
        if (!b.changes.isEmpty()) {
            try {
                commit(b.changes);
            } catch (RuntimeException e) {
                b.placements.forEach(dispatcher::release); // slots taken for attempts that will not start
                throw e;
            }
        }
        // attempts first: the next step's process is on a chain's critical path, telling listeners (the
        // command line's progress, metrics) is not; both only after the commit
        b.dispatches.forEach(Runnable::run);
        b.afterCommit.forEach(Runnable::run);
    }

    /**
     * Commits a batch, retrying while the database is unreachable (a restart, a fail-over): the
     * in-memory state already says what the batch says, so the same batch is simply sent again.
     * A compare-and-set conflict is not retried: someone else changed the run.
     */
    private void commit(List<Change> changes) throws InterruptedException {
        long delay = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                store.commit(changes);
                return;
            } catch (StoreException e) {
                if (!e.transientFailure() || attempt >= COMMIT_ATTEMPTS) throw e;
                log.warn("could not commit ({}); trying again in {} ms", e.getMessage(), delay);
                Thread.sleep(delay);
                delay = Math.min(delay * 2, 5_000);
            }
        }
    }

    /** Changes to commit together, and what to do once they are committed: start attempts, then tell listeners. */
    private static final class Batch {
        final Instant now;
        final List<Change> changes = new ArrayList<>();
        final List<Runnable> dispatches = new ArrayList<>();
        final List<Runnable> afterCommit = new ArrayList<>();
        final List<Placement> placements = new ArrayList<>();
        /**
         * Why steps needing these labels wait, once no slot was free this turn: asked once per labels,
         * not once per queued step (a 1,000-step fan-out on 2 slots offers ~1,000 queued steps a turn).
         */
        final Map<List<String>, String> waits = new HashMap<>();

        Batch(Instant now) {
            this.now = now;
        }
    }

    /**
     * A start asked for a run whose stored state moved on (it was started twice, say by a forwarded
     * start and the leader's look at the store, and ended in between): dropped, its future told.
     */
    private boolean stale(ActiveRun run) {
        return movedOn(run.id(), run.done, store.run(run.id()), run.record.status());
    }

    /**
     * Whether a run to start is no longer {@code expected} in the store (another start, another
     * server or a person ended it): then it is dropped and its future gets the stored state.
     */
    private boolean movedOn(String runId, CompletableFuture<RunRecord> done, Optional<RunRecord> stored, RunState expected) {
        if (stored.isPresent() && stored.get().status() == expected) return false;
        known.remove(runId, done);
        log.info("[run {}] not started: it is {} now", runId, stored.map(r -> r.status().name()).orElse("gone"));
        if (stored.isPresent()) done.complete(stored.get());
        else done.completeExceptionally(new IllegalStateException("run " + runId + " is not stored"));
        return true;
    }

    /**
     * A run to start: admitted now, or, when it must wait, queued as a {@link Waiting} without a look
     * at the store (it is read when the run's turn comes: a backlog of thousands of runs costs
     * neither memory for their steps' records nor a read each as they arrive).
     */
    private void onStart(Batch b, ActiveRun run) {
        if (run.record.status() == RunState.QUEUED && mustWait(run)) {
            String pipeline = run.record.pipeline();
            waiting.computeIfAbsent(pipeline, k -> new ArrayDeque<>()).add(new Waiting(run.plan, run.id(), pipeline, run.done, arrivals++));
            if (active(pipeline) >= concurrency(run)) {
                log.info("[pipeline {}] [run {}] QUEUED: {} runs of the pipeline are active (concurrency {})",
                        pipeline, run.id(), active(pipeline), concurrency(run));
            } else {
                log.info("[pipeline {}] [run {}] QUEUED: {} runs are active (at most {}), {} wait", pipeline, run.id(),
                        runs.size(), maxActiveRuns, waitingCount());
            }
            return;
        }
        if (!stale(run)) admit(b, run);
    }

    /**
     * Whether a QUEUED run has to wait: draining, no room (the scheduler's or its pipeline's), or
     * older runs of its pipeline wait already.
     */
    private boolean mustWait(ActiveRun run) {
        String pipeline = run.record.pipeline();
        return draining || runs.size() >= maxActiveRuns || active(pipeline) >= concurrency(run) || waiting.containsKey(pipeline);
    }

    /** Makes a run active: it is RUNNING from this turn on. */
    private void admit(Batch b, ActiveRun run) {
        activate(run);
        if (run.record.status() == RunState.QUEUED) {
            RunState next = Transitions.apply(RunState.QUEUED, RunEvent.START).next();
            b.changes.add(new Change.SetRunState(run.id(), RunState.QUEUED, next, b.now, null));
            run.setRun(next, b.now, null);
            RunRecord snapshot = run.record;
            b.afterCommit.add(() -> listener.runChanged(snapshot));
            log.info("[pipeline {}] [run {}] RUNNING", run.record.pipeline(), run.id());
        }
        b.changes.add(new Change.SetRunOwner(run.id(), owner, b.now));
        requeueOrphans(b, run);
    }

    private void activate(ActiveRun run) {
        runs.put(run.id(), run);
        activeByPipeline.merge(run.record.pipeline(), 1, Integer::sum);
    }

    private void deactivate(ActiveRun run) {
        if (runs.remove(run.id()) == null) return;
        activeByPipeline.computeIfPresent(run.record.pipeline(), (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Attempts a stopped engine left RUNNING: ended as {@value #ENGINE_RESTART}, their steps queued again. */
    private void requeueOrphans(Batch b, ActiveRun run) {
        for (AttemptKey key : run.orphanedAttempts) {
            int attempt = key.attempt();
            String taskId = key.taskId();
            b.changes.add(new Change.FinishAttempt(run.id(), taskId, attempt, "FAILED", null, b.now, null, ENGINE_RESTART,
                    "the engine running this attempt stopped", false, List.of(), null, List.of()));
            TaskRecord t = run.tasks.get(taskId);
            if (t.status() == StepState.RUNNING && t.attempts() == attempt) {
                Settlement s = Decider.settle(AttemptOutcome.LOST, ENGINE_RESTART, 0, t.retriesUsed(), Duration.ZERO, b.now);
                setTask(b, run, taskId, s.event(), s.reason(), null, s.retriesUsed(), null, null, s.notBefore());
            }
        }
        run.orphanedAttempts.clear();
    }

    private static int concurrency(ActiveRun run) {
        return run.plan.pipeline().concurrency();
    }

    private int active(String pipeline) {
        return activeByPipeline.getOrDefault(pipeline, 0);
    }

    private int waitingCount() {
        int n = 0;
        for (var queue : waiting.values()) n += queue.size();
        return n;
    }

    /**
     * Room was made (a run ended): starts waiting runs while there is room, the oldest first among
     * those whose pipeline is below its concurrency.
     */
    private void promote(Batch b) {
        while (!draining && runs.size() < maxActiveRuns) {
            ArrayDeque<Waiting> oldest = null;
            for (var queue : waiting.values()) {
                Waiting head = queue.peek();
                if (active(head.pipeline()) < head.plan().pipeline().concurrency()
                        && (oldest == null || head.arrival() < oldest.peek().arrival())) {
                    oldest = queue;
                }
            }
            if (oldest == null) return;
            Waiting next = oldest.poll();
            if (oldest.isEmpty()) waiting.remove(next.pipeline());
            ActiveRun run = load(next);
            if (run == null) continue;
            admit(b, run);
            promoted.add(run);
        }
    }

    /** A QUEUED run still waiting for room, taken out of the queue; null when none. */
    private ActiveRun takeWaiting(String runId) {
        for (var queue : waiting.values()) {
            for (var it = queue.iterator(); it.hasNext(); ) {
                Waiting w = it.next();
                if (w.id().equals(runId)) {
                    it.remove();
                    if (queue.isEmpty()) waiting.remove(w.pipeline());
                    return load(w);
                }
            }
        }
        return null;
    }

    /**
     * A waiting run as the store has it now, ready to start; null when it is no longer QUEUED there
     * ({@link #movedOn}).
     */
    private ActiveRun load(Waiting w) {
        Optional<RunRecord> stored = store.run(w.id());
        if (movedOn(w.id(), w.done(), stored, RunState.QUEUED)) return null;
        return new ActiveRun(w.plan(), stored.get(), store.tasks(w.id()), w.done());
    }

    /**
     * A QUEUED run waiting for room: what it takes to find it in the store and start it later, not
     * its records (read then, see {@link #load}), so that a backlog of thousands of runs costs about
     * a hundred bytes a run.
     */
    private record Waiting(Plan plan, String id, String pipeline, CompletableFuture<RunRecord> done, long arrival) {}

    private void onRetry(Batch b, Retry retry) {
        String runId = retry.runId();
        Optional<RunRecord> stored = runs.containsKey(runId) ? Optional.empty() : store.run(runId);
        if (stored.isEmpty() || (stored.get().status() != RunState.FAILED && stored.get().status() != RunState.CANCELLED)) {
            retry.done().completeExceptionally(new IllegalStateException("run " + runId + " is "
                    + (stored.isEmpty() ? "active" : stored.get().status()) + "; only a FAILED or CANCELLED run can be retried"));
            return;
        }
        ActiveRun run = new ActiveRun(retry.plan(), stored.get(), store.tasks(runId));
        run.outputs.putAll(store.outputs(runId));
        run.metrics.putAll(store.metrics(runId));
        run.done.whenComplete((end, error) -> {
            if (error != null) retry.done().completeExceptionally(error);
            else retry.done().complete(end);
        });
        RunState current = run.record.status();
        RunState next = Transitions.apply(current, RunEvent.RESUME).next();
        b.changes.add(new Change.SetRunState(runId, current, next, b.now, null));
        run.setRun(next, b.now, null);
        activate(run);
        known.put(runId, run.done);
        b.changes.add(new Change.SetRunOwner(runId, owner, b.now));
        for (TaskRecord t : List.copyOf(run.tasks.values())) {
            StepState s = t.status();
            if (s == StepState.FAILED || s == StepState.SKIPPED || s == StepState.CANCELLED) {
                setTask(b, run, t.taskId(), StepEvent.RESET, null, null, 0, null, null);
            }
        }
        RunRecord snapshot = run.record;
        b.afterCommit.add(() -> listener.runChanged(snapshot));
        log.info("[pipeline {}] [run {}] RUNNING again: retry of its failed, skipped and cancelled steps", snapshot.pipeline(), runId);
    }

    /** The grace period of a drain is over: the attempts still running are killed, and recorded as interrupted. */
    private void onKill() {
        killOnDrain = true;
        for (ActiveRun r : runs.values()) killRunning(r);
    }

    private void onCancel(Batch b, String runId) {
        ActiveRun waitingRun = takeWaiting(runId);
        if (waitingRun != null) {
            for (TaskRecord t : List.copyOf(waitingRun.tasks.values())) {
                if (t.status() == StepState.PENDING) setTask(b, waitingRun, t.taskId(), StepEvent.CANCEL, "cancelled", null, null, null, null);
            }
            finish(b, waitingRun, RunState.CANCELLED);
            return;
        }
        ActiveRun run = runs.get(runId);
        if (run == null || run.cancelRequested) return;
        run.cancelRequested = true;
        for (TaskRecord t : List.copyOf(run.tasks.values())) {
            if (t.status() == StepState.PENDING || t.status() == StepState.QUEUED) {
                setTask(b, run, t.taskId(), StepEvent.CANCEL, "cancelled", null, null, null, null);
            }
        }
        killRunning(run);
    }

    private void killRunning(ActiveRun run) {
        for (TaskRecord t : run.tasks.values()) {
            if (t.status() == StepState.RUNNING) dispatcher.cancel(new AttemptKey(run.id(), t.taskId(), t.attempts()));
        }
    }

    private void onResult(Batch b, String runId, TaskResult result) {
        ActiveRun run = runs.get(runId);
        AttemptKey key = result.key();
        TaskRecord task = run == null ? null : run.tasks.get(key.taskId());
        if (task == null || task.status() != StepState.RUNNING || task.attempts() != key.attempt()) {
            log.warn("[run {}] [step {}#{}] ignoring a result for an attempt that is not running", runId, key.taskId(), key.attempt());
            return;
        }
        Task plan = run.tasksById.get(key.taskId());
        AttemptOutcome outcome = switch (result.outcome()) {
            case SUCCEEDED -> AttemptOutcome.SUCCEEDED;
            case FAILED -> AttemptOutcome.FAILED;
            case TIMED_OUT -> AttemptOutcome.TIMED_OUT;
            case CANCELLED -> AttemptOutcome.CANCELLED;
            case LOST -> AttemptOutcome.LOST;
        };
        String detail = outcome == AttemptOutcome.LOST ? WORKER_LOST : result.error() != null ? result.error()
                : result.exitCode() != null ? "exit code " + result.exitCode() : outcome.name().toLowerCase();
        var step = plan.step();
        boolean interrupted = draining && killOnDrain && outcome != AttemptOutcome.SUCCEEDED && !run.cancelRequested;
        if (interrupted) outcome = AttemptOutcome.LOST;
        Settlement s = Decider.settle(outcome, interrupted ? INTERRUPTED : detail, step.retries(), task.retriesUsed(),
                step.retryDelay(), b.now);
        if (run.cancelRequested && s.next() == StepState.QUEUED) {
            // the run was cancelled while this attempt was ending: no more attempts
            s = new Settlement(StepEvent.CANCEL, StepState.CANCELLED, "cancelled", s.counted(), s.retriesUsed(), null);
        }

        String log = logs.take(key);
        if (!log.isEmpty()) b.changes.add(new Change.AppendLog(runId, key.taskId(), key.attempt(), log));
        String attemptStatus = switch (outcome) {
            case SUCCEEDED -> "SUCCEEDED";
            case CANCELLED -> "CANCELLED";
            default -> "FAILED";
        };
        String attemptReason = interrupted ? INTERRUPTED : switch (outcome) {
            case SUCCEEDED -> null;
            case LOST -> WORKER_LOST;
            case TIMED_OUT -> "timeout";
            case CANCELLED -> "cancelled";
            default -> result.exitCode() != null && result.exitCode() != 0 ? "exit code " + result.exitCode() : "error";
        };
        b.changes.add(new Change.FinishAttempt(runId, key.taskId(), key.attempt(), attemptStatus, result.startedAt(), result.endedAt(),
                result.exitCode(), attemptReason, result.error(), s.counted(), result.outputs(), result.metrics(),
                run.inputs.remove(key), result.series()));
        if (outcome == AttemptOutcome.SUCCEEDED) {
            run.outputs.put(key.taskId(), result.outputs());
            run.metrics.put(key.taskId(), result.metrics());
            String cacheKey = run.cacheKeys.remove(key);
            if (cacheKey != null) b.changes.add(new Change.PutCache(cacheKey, runId, key.taskId(), key.attempt()));
        } else {
            run.cacheKeys.remove(key);
        }
        setTask(b, run, key.taskId(), s.event(), s.reason(), null, s.retriesUsed(), null, result.exitCode(), s.notBefore());
    }

    private void decide(Batch b, ActiveRun run) {
        // Decide again while tasks end at once (cache hits, preparation errors): that can free more work.
        while (true) {
            // every due step is offered: with worker labels, one that cannot be placed must not hold back one that can
            // (offered with no free slot too: dispatch then only notes why a step no worker can take waits)
            int free = draining ? 0 : Integer.MAX_VALUE;
            Decision d = Decider.decide(run.snapshot(free), taskId -> preparer.condition(run, run.tasksById.get(taskId)), b.now);
            run.wakeAt = d.wakeAt();
            if (d.isEmpty()) return;
            boolean progressed = false;
            for (String id : d.queue()) setTask(b, run, id, StepEvent.READY, null, null, null, null, null);
            for (var e : d.skip().entrySet()) setTask(b, run, e.getKey(), StepEvent.SKIP, e.getValue(), null, null, null, null);
            for (var e : d.fail().entrySet()) {
                setTask(b, run, e.getKey(), StepEvent.READY, null, null, null, null, null);
                setTask(b, run, e.getKey(), StepEvent.FAIL, e.getValue(), null, null, null, null);
            }
            for (String id : d.dispatch()) progressed |= dispatch(b, run, run.tasksById.get(id));
            if (d.run() != null) {
                finish(b, run, d.run());
                return;
            }
            if (!progressed) return;
        }
    }

    /** @return true when the task ended at once (cache hit or preparation error), so deciding again may help */
    private boolean dispatch(Batch b, ActiveRun run, Task task) {
        if (task.step().isRegister()) {
            register(b, run, task);
            return true;
        }
        TaskRecord t = run.tasks.get(task.id());
        if (dispatcher.freeSlots() == 0) {
            // no free slot anywhere; still say why a step no worker can take waits (with no worker at all,
            // there are no slots either: the API showed such a step QUEUED with no reason)
            String wait = b.waits.computeIfAbsent(task.step().labels(), labels -> {
                Placement probe = dispatcher.place(labels);
                if (probe.placed()) dispatcher.release(probe);
                return probe.placed() ? null : probe.waitReason();
            });
            if (wait != null) noteWait(b, run, t, wait);
            return false;
        }
        if (!task.step().models().isEmpty()) {
            String missing;
            try {
                missing = modelInputs.resolve(run, task);
            } catch (StoreException e) {
                missing = "cannot read the model registry: " + e.getMessage();
            }
            if (missing != null) {
                setTask(b, run, task.id(), StepEvent.FAIL, missing, null, null, null, null);
                return true;
            }
        }
        Placement placement = dispatcher.place(task.step().labels());
        if (!placement.placed()) {
            noteWait(b, run, t, placement.waitReason());
            return false;
        }
        TaskPreparer.Prepared p;
        try {
            p = preparer.prepare(run, task);
        } catch (ExpressionException e) {
            dispatcher.release(placement);
            setTask(b, run, task.id(), StepEvent.FAIL, "expression error: " + e.getMessage(), null, null, null, null);
            return true;
        }
        if (p.cacheKey() != null) {
            // touched: retention spares them until this hit is committed
            Optional<CacheHit> hit = store.cacheHit(p.cacheKey())
                    .filter(h -> allStored(h.outputs()) && h.outputs().stream().allMatch(a -> artifacts.touch(a.sha256())));
            if (hit.isPresent()) {
                dispatcher.release(placement);
                serveFromCache(b, run, task, t, hit.get(), p, placement.name());
                return true;
            }
        }
        int attempt = t.attempts() + 1;
        AttemptKey key = new AttemptKey(run.id(), task.id(), attempt);
        TaskRequest request = preparer.request(p, task, key);
        b.changes.add(new Change.StartAttempt(new AttemptRecord(run.id(), task.id(), attempt, "RUNNING",
                placement.name(), b.now, null, null, null, null, false, false)));
        setTask(b, run, task.id(), StepEvent.DISPATCH, null, attempt, null, null, null);
        List<Artifact> consumed = p.inputs();
        if (!p.models().isEmpty()) {
            consumed = new ArrayList<>(p.inputs());
            for (Artifact m : p.models()) consumed.add(new Artifact("models/" + m.from(), m.path(), m.sha256(), m.size()));
        }
        run.inputs.put(key, consumed);
        if (p.cacheKey() != null) run.cacheKeys.put(key, p.cacheKey());
        b.placements.add(placement);
        b.dispatches.add(() -> dispatch(run.id(), request, placement));
        return false;
    }

    /**
     * A register step, done here and now (no worker, no slot): its attempt starts and ends in this
     * batch. It fails without retries when its output or a metric is missing or its condition cannot
     * be evaluated; a failure of the registry's own store is retried like a failed attempt.
     */
    private void register(Batch b, ActiveRun run, Task task) {
        TaskRecord t = run.tasks.get(task.id());
        int attempt = t.attempts() + 1;
        RegisterStep.Outcome o = registerStep.attempt(run, task, attempt, () -> preparer.scope(run, task));
        var step = task.step();
        Settlement s = o.ok() ? null : Decider.settle(AttemptOutcome.FAILED, o.error(), o.retryable() ? step.retries() : 0,
                t.retriesUsed(), step.retryDelay(), b.now);
        b.changes.addAll(o.changes(run.id(), task.id(), attempt, b.now, s == null || s.counted()));
        setTask(b, run, task.id(), StepEvent.DISPATCH, null, attempt, null, null, null);
        if (o.ok()) {
            run.metrics.put(task.id(), o.metrics());
            setTask(b, run, task.id(), StepEvent.SUCCEED, null, null, null, null, null);
        } else {
            setTask(b, run, task.id(), s.event(), s.reason(), null, s.retriesUsed(), null, null, s.notBefore());
        }
    }

    /**
     * A queued step no live worker can take (its labels): the reason is stored on the step, once, so
     * that a person sees why it waits. Waiting for a busy worker's slot is normal queueing, not noted.
     */
    private void noteWait(Batch b, ActiveRun run, TaskRecord t, String reason) {
        if (!reason.startsWith("no worker") || reason.equals(t.reason())) return;
        b.changes.add(new Change.SetTaskState(run.id(), t.taskId(), StepState.QUEUED, StepState.QUEUED, reason, b.now,
                null, null, null, t.notBefore(), null));
        TaskRecord updated = run.setTask(t.taskId(), StepState.QUEUED, reason, b.now, null, null, null, t.notBefore(), null);
        RunRecord r = run.record;
        log.info("[pipeline {}] [run {}] [step {}#{}] QUEUED ({})", r.pipeline(), r.id(), t.taskId(), t.attempts(), reason);
        b.afterCommit.add(() -> listener.taskChanged(r, updated));
    }

    /** Hands an attempt to its worker; a worker that cannot take it gives a FAILED result, never silence. */
    private void dispatch(String runId, TaskRequest request, Placement placement) {
        CompletableFuture<TaskResult> future;
        try {
            future = dispatcher.dispatch(request, placement, logs);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((result, error) -> {
            TaskResult r = error == null ? result : new TaskResult(request.key(), TaskResult.Outcome.FAILED, null,
                    "the worker could not run the step: " + error, clock.instant(), clock.instant(), List.of(), Map.of(),
                    placement.name());
            events.add(new Result(runId, r));
        });
    }

    /** Whether every output of a cache hit is still in the artifact store; one that cannot be checked counts as missing (the step runs). */
    private boolean allStored(List<Artifact> outputs) {
        try {
            return artifacts.firstMissing(outputs.stream().map(Artifact::sha256).toList()).isEmpty();
        } catch (IOException | RuntimeException e) {
            log.warn("cache hit not used: its outputs could not be checked in the artifact store ({})", e.getMessage());
            return false;
        }
    }

    private void serveFromCache(Batch b, ActiveRun run, Task task, TaskRecord t, CacheHit hit, TaskPreparer.Prepared p,
            String worker) {
        int attempt = t.attempts() + 1;
        String from = "cached from run " + hit.runId() + " step " + hit.taskId() + " attempt " + hit.attempt();
        b.changes.add(new Change.StartAttempt(new AttemptRecord(run.id(), task.id(), attempt, "RUNNING",
                worker, b.now, null, null, null, null, true, false)));
        b.changes.add(new Change.AppendLog(run.id(), task.id(), attempt, LogBuffers.format(b.now, 'S', from)));
        b.changes.add(new Change.FinishAttempt(run.id(), task.id(), attempt, "SUCCEEDED", null, b.now, null, "cached",
                null, false, hit.outputs(), hit.metrics(), p.inputs()));
        run.outputs.put(task.id(), hit.outputs());
        run.metrics.put(task.id(), hit.metrics());
        setTask(b, run, task.id(), StepEvent.CACHE_HIT, "cached", attempt, null, true, null);
    }

    private void finish(Batch b, ActiveRun run, RunState decided) {
        RunState current = run.record.status();
        RunState next = decided;
        RunEvent event = switch (next) {
            case SUCCEEDED -> RunEvent.SUCCEED;
            case CANCELLED -> RunEvent.CANCEL;
            default -> RunEvent.FAIL;
        };
        next = Transitions.apply(current, event).next();
        String reason = next == RunState.CANCELLED ? "cancelled" : null;
        b.changes.add(new Change.SetRunState(run.id(), current, next, b.now, reason));
        b.changes.add(new Change.SetRunOwner(run.id(), null, b.now));
        run.setRun(next, b.now, reason);
        deactivate(run);
        known.remove(run.id());
        promote(b);
        RunRecord done = run.record;
        log.info("[pipeline {}] [run {}] {}", done.pipeline(), done.id(), next);
        b.afterCommit.add(() -> {
            listener.runChanged(done);
            run.done.complete(done);
        });
    }

    private int runningEverywhere() {
        int n = 0;
        for (ActiveRun r : runs.values()) n += r.running;
        return n;
    }

    private void setTask(Batch b, ActiveRun run, String taskId, StepEvent event, String reason, Integer attempts,
            Integer retriesUsed, Boolean cached, Integer exitCode) {
        setTask(b, run, taskId, event, reason, attempts, retriesUsed, cached, exitCode, null);
    }

    private void setTask(Batch b, ActiveRun run, String taskId, StepEvent event, String reason, Integer attempts,
            Integer retriesUsed, Boolean cached, Integer exitCode, Instant notBefore) {
        TaskRecord current = run.tasks.get(taskId);
        StepState next = Transitions.apply(current.status(), event).next();
        b.changes.add(new Change.SetTaskState(run.id(), taskId, current.status(), next, reason, b.now, attempts,
                retriesUsed, cached, notBefore, exitCode));
        TaskRecord updated = run.setTask(taskId, next, reason, b.now, attempts, retriesUsed, cached, notBefore, exitCode);
        RunRecord r = run.record;
        int attempt = updated.attempts();
        log.info("[pipeline {}] [run {}] [step {}#{}] {}{}", r.pipeline(), r.id(), taskId, attempt, next,
                reason == null ? "" : " (" + reason + ")");
        b.afterCommit.add(() -> listener.taskChanged(r, updated));
    }
}
