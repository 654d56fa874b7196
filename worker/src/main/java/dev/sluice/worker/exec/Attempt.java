package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One attempt, from its folder to its result.
 *
 * <p>{@link #run()} runs on a pooled thread: prepare the folder, run the shell through Commons Exec
 * (which waits for it), end whatever the shell left behind, collect outputs and metrics, give the
 * folder back to the {@link Workspace}. {@link #kill} may come from any thread at any point: before
 * the launch it prevents it, after the launch it ends the process tree, after the shell exited it
 * is too late and does nothing — except while the attempt waits for a cancel after an interrupt.
 *
 * <p>Interrupts: the shell shares the JVM's process group, so a Ctrl-C in the terminal of
 * {@code sluice run} (or a TERM or HUP sent to the whole group) reaches the step and the JVM at the
 * same moment. The step usually ends first, by that signal, and its result would reach the
 * scheduler as a failure (and start a retry) before the JVM's own handler has asked for the cancel.
 * So a shell that ends by SIGINT, SIGTERM or SIGHUP (exit status 128 + the signal, as ninja counts
 * an interrupted command) is held up to {@link #INTERRUPT_WAIT} for a {@link #kill}: when one comes
 * the attempt is CANCELLED (or TIMED_OUT), else it FAILED with that exit code as before.
 */
final class Attempt {

    private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);
    private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MIN_DRAIN_SECONDS = 5;
    /** how long a shell ended by an interrupt waits for the cancel the same signal brings */
    static final Duration INTERRUPT_WAIT = Duration.ofSeconds(2);
    /** 128 + SIGHUP, SIGINT, SIGTERM: what Java reports for a shell ended by these, and what sh exits with when its command was */
    private static final Set<Integer> INTERRUPTED = Set.of(129, 130, 143);
    private static final String LEASE_LOST = "the worker lost its lease with the engine: not running the step";

    private final TaskRequest request;
    private final AttemptKey key;
    private final ExecContext ctx;
    private final AttemptLog log;
    /** this attempt's {@link Cookie} value */
    private final String cookie;
    /** its cookie's needle and its cgroup: set before the launch, read after it (the launch publishes it) */
    private volatile ProcessTree.Marks marks;
    private final CompletableFuture<TaskResult> result = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Only touched by the thread that runs the attempt. */
    private AttemptFolder folder;

    /** when each line of the metrics file was first seen, for the series' times; set once the process ended */
    private volatile MetricsTail tail;

    // guarded by this
    private Process process;
    private long launchedAt;
    private Outcome killedAs;
    /** TERM-to-KILL delay of the kill under way */
    private Duration grace;
    private boolean exited;
    /** the shell ended by an interrupt and the attempt waits for a kill (see {@link #INTERRUPT_WAIT}) */
    private boolean holding;
    private long exitedAt;
    private CompletableFuture<Void> treeGone;
    private ScheduledFuture<?> timeoutTask;

    Attempt(TaskRequest request, LogSink sink, ExecContext ctx) {
        this.request = request;
        this.key = request.key();
        this.ctx = ctx;
        // the step sees the worker's environment too: its secret-looking values are masked as well
        Map<String, String> visible = new HashMap<>(ctx.baseEnv());
        visible.putAll(request.env());
        this.log = new AttemptLog(key, sink, visible, request.maxLogBytes());
        this.cookie = ctx.cookies().next();
        this.marks = new ProcessTree.Marks(Cookie.needle(cookie), null);
    }

    CompletableFuture<TaskResult> result() {
        return result;
    }

    /** Completes once the attempt is over, its folder given back included. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /**
     * Runs the attempt, completes {@link #result()}, then gives the attempt folder back (its outputs
     * are in the store by then) and calls {@code finished}. That comes after the completion to keep
     * it off the path to the next step: on a busy disk, deleting a used folder costs milliseconds.
     */
    void runAndComplete(Runnable finished) {
        TaskResult r;
        try {
            r = run();
        } catch (RuntimeException | Error e) {
            LOG.error("[attempt {}] unexpected failure", key, e);
            r = failed(Instant.now(), "worker error: " + e);
        }
        result.complete(r);
        if (marks.cgroup() != null) {
            ctx.cgroups().ifPresent(c -> c.give(marks.cgroup()));
        }
        if (folder != null) {
            try {
                ctx.workspace().give(folder);
            } catch (IOException | RuntimeException e) {
                LOG.warn("[attempt {}] could not delete {}: {}", key, folder.dir(), e.toString());
            }
        }
        finished.run();
        ended.complete(null);
    }

    /**
     * Ends the attempt with {@code outcome} (TIMED_OUT or CANCELLED) unless it is already ending.
     *
     * @return whether this call is the one that ends it
     */
    boolean kill(Outcome outcome, String notice) {
        return kill(outcome, notice, ctx.killGrace());
    }

    /** As {@link #kill(Outcome, String)}, KILL coming {@code grace} after TERM at the latest. */
    boolean kill(Outcome outcome, String notice, Duration grace) {
        Process p;
        CompletableFuture<Void> gone;
        synchronized (this) {
            if (killedAs != null || exited && !holding) {
                return false;
            }
            killedAs = outcome;
            this.grace = grace;
            if (holding) {
                notifyAll(); // the tree has ended already (leftovers included): the outcome is all that changes
                p = null;
                gone = null;
            } else {
                p = process;
                gone = p == null ? null : (treeGone = new CompletableFuture<>());
            }
        }
        log.notice(notice);
        if (p != null) {
            try {
                ctx.pool().execute(() -> terminate(p, gone)); // scanning processes takes a few ms: not on the caller's thread
            } catch (RejectedExecutionException e) {
                terminate(p, gone);
            }
        }
        return true;
    }

    private TaskResult run() {
        Instant startedAt = Instant.now();
        Path workdir;
        try {
            workdir = Path.of(request.workdir());
        } catch (InvalidPathException e) {
            return failed(startedAt, "bad workdir: " + request.workdir());
        }
        if (!workdir.isAbsolute() || !Files.isDirectory(workdir)) {
            return failed(startedAt, (workdir.isAbsolute() ? "workdir does not exist: " : "workdir is not absolute: ") + workdir);
        }
        try {
            folder = ctx.workspace().take();
        } catch (IOException e) {
            return failed(startedAt, "could not create the attempt folder: " + message(e));
        }
        try {
            folder.materialize(request.inputs(), ctx.store());
        } catch (IOException | IllegalArgumentException e) {
            return failed(startedAt, "could not materialize inputs: " + message(e));
        }
        try {
            folder.materializeModels(request.models(), ctx.store());
        } catch (IOException | IllegalArgumentException e) {
            return failed(startedAt, "could not materialize models: " + message(e));
        }
        return execute(folder, workdir, startedAt);
    }

    private TaskResult execute(AttemptFolder folder, Path workdir, Instant startedAt) {
        synchronized (this) {
            if (killedAs == null && !ctx.lease().held()) {
                killedAs = Outcome.CANCELLED;
                log.notice(LEASE_LOST);
            }
            if (killedAs != null) {
                return new TaskResult(key, killedAs, null, killError(killedAs), startedAt, Instant.now(), List.of(), Map.of(), ctx.worker());
            }
        }
        ShellExecutor executor = new ShellExecutor(this::started);
        executor.setWorkingDirectory(workdir.toFile());
        executor.setStreamHandler(new LogPump(log, ctx.pool(), this::afterExit, drainLimit()));
        Integer exit;
        String runError = null;
        String command = request.command();
        Optional<Cgroups.Leaf> cgroup = ctx.cgroups().flatMap(Cgroups::take);
        if (cgroup.isPresent()) {
            marks = new ProcessTree.Marks(marks.cookie(), cgroup.get());
            command = Cgroups.enter(cgroup.get().dir()) + command; // the shell moves itself in before it forks anything
        }
        MetricsTail tail = new MetricsTail(folder.metrics());
        var tailing = ctx.timer().scheduleWithFixedDelay(tail::poll, 1, 1, TimeUnit.SECONDS);
        try {
            exit = executor.execute(ShellExecutor.commandLine(command), environment(folder));
        } catch (IOException | RuntimeException e) { // e.g. an environment variable name the OS refuses
            exit = null;
            runError = message(e);
        } finally {
            tailing.cancel(false);
            synchronized (this) {
                if (timeoutTask != null) {
                    timeoutTask.cancel(false);
                }
            }
        }
        this.tail = tail;
        Outcome killed;
        Process p;
        synchronized (this) {
            if (holding) {
                awaitKill();
            }
            killed = killedAs;
            p = process;
        }
        if (p == null) {
            return killed != null
                    ? new TaskResult(key, killed, null, killError(killed), startedAt, Instant.now(), List.of(), Map.of(), ctx.worker())
                    : failed(startedAt, "failed to start: " + runError);
        }
        return collect(folder, startedAt, killed, exit, runError);
    }

    /** Builds the result of an attempt whose process ran: outputs and metrics are kept whatever the outcome. */
    private TaskResult collect(AttemptFolder folder, Instant startedAt, Outcome killed, Integer exit, String runError) {
        List<Artifact> outputs = List.of();
        String storeError = null;
        try {
            outputs = folder.storeOutputs(ctx.store(), key.taskId(), log::notice);
        } catch (IOException | RuntimeException e) {
            storeError = "could not store outputs: " + message(e);
            log.notice(storeError);
        }
        MetricsFile.Parsed metrics = MetricsFile.Parsed.NONE;
        try {
            Instant readAt = Instant.now();
            MetricsTail seen = tail;
            metrics = ctx.metrics().readSeries(folder.metrics(), log::notice, line -> seen == null ? readAt : seen.timeOf(line, readAt));
        } catch (IOException e) {
            log.notice("metrics ignored: could not read " + folder.metrics().getFileName() + ": " + message(e));
        }
        Outcome outcome;
        Integer exitCode = exit;
        String error;
        if (killed != null) {
            outcome = killed;
            exitCode = null;
            error = killError(killed);
        } else if (exit == null) {
            outcome = Outcome.FAILED;
            error = "failed while running: " + runError;
        } else if (exit != 0) {
            outcome = Outcome.FAILED;
            error = "exit code " + exit;
        } else if (storeError != null) {
            outcome = Outcome.FAILED;
            error = storeError;
        } else {
            List<String> missing = folder.missing(request.outputs(), outputs);
            outcome = missing.isEmpty() ? Outcome.SUCCEEDED : Outcome.FAILED;
            error = missing.isEmpty() ? null
                    : (missing.size() == 1 ? "missing output: " : "missing outputs: ") + String.join(", ", missing);
        }
        return new TaskResult(key, outcome, exitCode, error, startedAt, Instant.now(), outputs, metrics.last(), ctx.worker(),
                metrics.series());
    }

    /** Waits until {@link #INTERRUPT_WAIT} after the exit for {@link #kill} (holding this object's lock). */
    private void awaitKill() {
        long until = exitedAt + INTERRUPT_WAIT.toNanos();
        try {
            for (long left; killedAs == null && (left = until - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            holding = false;
        }
    }

    /** Called by the launcher as soon as the process exists. */
    private void started(Process p) {
        boolean killNow;
        CompletableFuture<Void> gone;
        synchronized (this) {
            process = p;
            launchedAt = System.nanoTime();
            if (killedAs == null && !ctx.lease().held()) {
                killedAs = Outcome.CANCELLED; // the lease ran out during the launch: the step may run elsewhere already
                grace = Duration.ZERO;
                log.notice(LEASE_LOST);
            }
            killNow = killedAs != null;
            gone = killNow ? (treeGone = new CompletableFuture<>()) : null;
            Duration timeout = request.timeout();
            if (!killNow && timeout != null && !timeout.isNegative() && !timeout.isZero()) {
                timeoutTask = ctx.timer().schedule(
                        () -> kill(Outcome.TIMED_OUT, "timeout after " + format(timeout) + ": killing process tree"),
                        timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        if (killNow) {
            terminate(p, gone);
        }
    }

    /** Called (through the log pump) right after the shell exited, before its pipes are drained. */
    private void afterExit() {
        CompletableFuture<Void> gone;
        Process p;
        long ran;
        synchronized (this) {
            exited = true;
            exitedAt = System.nanoTime();
            // ended by an interrupt: a kill from now on only sets the outcome
            holding = killedAs == null && process != null && !process.isAlive() && INTERRUPTED.contains(process.exitValue());
            gone = treeGone;
            p = process;
            ran = System.nanoTime() - launchedAt;
        }
        if (gone == null && ctx.tree().scans()) {
            ProcessHandle shell = p.toHandle();
            List<ProcessHandle> left = ctx.tree().leftovers(shell, marks, ran < RECENT_NANOS);
            if (!left.isEmpty()) {
                log.notice("the step left " + left.size() + " process(es) running: killing them");
                gone = ctx.tree().endLeftovers(shell, marks, left, ctx.killGrace());
            }
        }
        if (gone != null) {
            gone.join();
        }
    }

    /** Ends the process tree, then completes {@code gone}. */
    private void terminate(Process p, CompletableFuture<Void> gone) {
        Duration g;
        synchronized (this) {
            g = grace != null ? grace : ctx.killGrace();
        }
        try {
            ctx.tree().terminate(p.toHandle(), marks, g).whenComplete((ok, e) -> gone.complete(null));
        } catch (RuntimeException e) {
            LOG.warn("[attempt {}] could not end the process tree: {}", key, e.toString());
            p.destroyForcibly();
            gone.complete(null);
        }
    }

    /**
     * How long the pumps get to reach end-of-file once the process tree has ended: long enough that
     * a busy machine never cuts a log short, so at least {@value #MIN_DRAIN_SECONDS} s.
     */
    private Duration drainLimit() {
        Duration min = Duration.ofSeconds(MIN_DRAIN_SECONDS);
        return ctx.killGrace().compareTo(min) > 0 ? ctx.killGrace() : min;
    }

    private Map<String, String> environment(AttemptFolder folder) {
        Map<String, String> env = new HashMap<>(ctx.baseEnv());
        env.putAll(request.env());
        env.put("SLUICE_OUTPUTS", folder.outputs().toString());
        env.put("SLUICE_INPUTS", folder.inputs().toString());
        if (!request.models().isEmpty()) env.put("SLUICE_MODELS", folder.models().toString());
        env.put("SLUICE_METRICS", folder.metrics().toString());
        env.put(Cookie.VARIABLE, cookie);
        PythonHelper.addTo(env, ctx.pythonHelper());
        return env;
    }

    private String killError(Outcome outcome) {
        return outcome == Outcome.TIMED_OUT ? "timed out after " + format(request.timeout()) : "cancelled";
    }

    private TaskResult failed(Instant startedAt, String error) {
        log.notice(error);
        return new TaskResult(key, Outcome.FAILED, null, error, startedAt, Instant.now(), List.of(), Map.of(), ctx.worker());
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}: the largest unit that divides it. */
    static String format(Duration d) {
        if (d == null) {
            return "?";
        }
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
