package dev.sluice.worker.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs attempts as OS processes on this machine.
 *
 * <p>Each attempt gets a folder under {@code workRoot} holding an empty {@code outputs/}, its
 * inputs under {@code inputs/<from>/<path>} (linked from the {@link ArtifactStore}) and the path of
 * its {@code metrics} file; the folder is given back right after the result's future completes
 * (outputs are in the store by then): reused when the step left it as it found it, else deleted
 * (see {@link Workspace}). The command runs as {@code /bin/sh -c <command>} in the request's workdir,
 * with the worker's environment plus the request's plus {@code SLUICE_OUTPUTS},
 * {@code SLUICE_INPUTS} and {@code SLUICE_METRICS}.
 *
 * <p>Every process of the attempt carries the attempt's {@link Cookie} ({@code SLUICE_ATTEMPT_COOKIE})
 * in its environment and, where the machine lets this process create cgroups v2, runs in the
 * attempt's own cgroup ({@link Cgroups}), so the attempt's processes can be found and ended
 * together, those that start a session of their own ({@code setsid}) or double fork included.
 * At a timeout or a cancel they get TERM, then KILL after the kill grace. After a normal exit,
 * processes the step left running are ended the same way: a step's processes do not outlive it.
 * When the executor starts, processes whose cookie names a JVM that no longer runs (a killed
 * worker's or engine's steps) are killed. A remote worker passes its {@link Lease}: a worker that
 * lost it launches nothing, and its {@link Watchdog} ends what runs.
 *
 * <p>The shell gets no session of its own (no {@code setsid} exec per step): it is in the JVM's
 * process group, so a terminal's Ctrl-C reaches the steps as it reaches {@code sluice run}. An
 * attempt whose shell ends by SIGINT, SIGTERM or SIGHUP therefore waits a moment for the cancel
 * that such a signal to the whole group brings, and is CANCELLED when it comes (see {@link Attempt}).
 *
 * <p>Outcomes: SUCCEEDED on exit code 0 with every declared output present (a file or a folder);
 * FAILED on another exit code, a missing declared output, outputs that could not be stored, or a
 * failure to start (e.g. a missing workdir: a result, never an exception); TIMED_OUT; CANCELLED.
 * Whenever the process ran, every regular file under {@code outputs/} is stored (see
 * {@code AttemptFolder} for symbolic links) and the metrics file is read (see {@code MetricsFile}:
 * malformed lines are ignored with a warning, never a failure).
 *
 * <p>The result's future completes when the process tree has ended, the log has been delivered and
 * outputs are in the store. Starting an attempt that is already running returns the running one's
 * future (a redelivered request is not run twice).
 *
 * <p>Threads: a running attempt uses three pooled threads (its runner, which waits for the shell
 * through Commons Exec, and one log pump per stream); one timer thread serves every timeout.
 */
public final class LocalExecutor implements AutoCloseable {

    /** TERM-to-KILL delay of the spec. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

    private final ExecContext ctx;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final ConcurrentMap<AttemptKey, Attempt> attempts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public LocalExecutor(ArtifactStore store, Path workRoot, String workerName) {
        this(store, workRoot, workerName, DEFAULT_KILL_GRACE);
    }

    /**
     * @param killGrace how long a process tree has between TERM and KILL
     */
    public LocalExecutor(ArtifactStore store, Path workRoot, String workerName, Duration killGrace) {
        this(store, workRoot, workerName, killGrace, Lease.ALWAYS);
    }

    /**
     * @param killGrace how long a process tree has between TERM and KILL
     * @param lease     asked before and after each launch: nothing runs while it is not held
     */
    public LocalExecutor(ArtifactStore store, Path workRoot, String workerName, Duration killGrace, Lease lease) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(workRoot, "workRoot");
        Objects.requireNonNull(workerName, "workerName");
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("negative kill grace: " + killGrace);
        }
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("sluice-exec-"));
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("sluice-exec-timer-"));
        this.timer.setRemoveOnCancelPolicy(true);
        Path proc = Path.of("/proc");
        Cookie cookies = Cookie.forThisProcess(proc);
        Optional<Cgroups> cgroups = Cgroups.open(proc, cookies.executorId());
        LOG.debug("a step's processes are tracked by {}", cgroups.map(c -> "cgroup v2 (" + c.base() + ") and environment cookie")
                .orElse("environment cookie"));
        ProcessTree tree = new ProcessTree(proc, timer, cgroups);
        Workspace workspace = new Workspace(workRoot);
        this.ctx = new ExecContext(store, workspace, tree,
                pool, timer, new MetricsFile(new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)),
                Map.copyOf(System.getenv()), workerName, killGrace, cookies, lease, cgroups,
                PythonHelper.install(workspace.pool()));
        pool.execute(() -> {
            int killed = tree.killOrphans();
            if (killed > 0) {
                LOG.warn("killed {} step process(es) left behind by a worker or engine that no longer runs", killed);
            }
        });
    }

    /**
     * Starts an attempt and returns at once.
     *
     * @param sink receives the attempt's log lines, from the worker's threads (possibly two at a time:
     *             the lines of one stream arrive in order)
     * @return completes with the attempt's result; never exceptionally
     * @throws IllegalStateException when the executor is closed
     */
    public CompletableFuture<TaskResult> start(TaskRequest request, LogSink sink) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(sink, "sink");
        if (closed) {
            throw new IllegalStateException("executor closed");
        }
        Attempt attempt = new Attempt(request, sink, ctx);
        Attempt running = attempts.putIfAbsent(request.key(), attempt);
        if (running != null) {
            return running.result().copy();
        }
        try {
            pool.execute(() -> attempt.runAndComplete(() -> attempts.remove(request.key(), attempt)));
        } catch (RejectedExecutionException e) {
            attempts.remove(request.key(), attempt);
            throw new IllegalStateException("executor closed");
        }
        return attempt.result().copy();
    }

    /**
     * Ends a running attempt (TERM to its process tree, KILL after the grace); its result is CANCELLED.
     *
     * @return false when no such attempt is running, or it is already ending
     */
    public boolean cancel(AttemptKey key) {
        Attempt attempt = attempts.get(key);
        return attempt != null && attempt.kill(Outcome.CANCELLED, "cancelled: killing process tree");
    }

    /**
     * Ends a running attempt whose worker lost its lease: TERM, then KILL after {@code grace} (the
     * engine gives the step to another worker once that has surely passed); its result is CANCELLED.
     *
     * @return false when no such attempt is running, or it is already ending
     */
    public boolean abandon(AttemptKey key, Duration grace) {
        Attempt attempt = attempts.get(key);
        return attempt != null && attempt.kill(Outcome.CANCELLED, "the worker lost its lease with the engine: killing process tree",
                grace);
    }

    /** Whether each attempt gets a cgroup v2 of its own here (else sessions and cookies alone find its processes). */
    boolean usesCgroups() {
        return ctx.cgroups().isPresent();
    }

    /**
     * How many attempts have started and not yet finished, counting the folder clean-up that follows
     * the completion of a result.
     */
    public int running() {
        return attempts.size();
    }

    /** Ends every running attempt (CANCELLED), waits for their results, then stops the threads. */
    @Override
    public void close() {
        closed = true;
        List<Attempt> all = List.copyOf(attempts.values());
        all.forEach(a -> a.kill(Outcome.CANCELLED, "worker shutting down: killing process tree"));
        try {
            CompletableFuture.allOf(all.stream().map(Attempt::ended).toArray(CompletableFuture[]::new))
                    .get(ctx.killGrace().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("attempts still ending at shutdown: {}", attempts.keySet());
        }
        pool.shutdown();
        timer.shutdownNow();
        ctx.workspace().close();
        ctx.cgroups().ifPresent(Cgroups::close);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
