package dev.sluice.worker.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds and ends the processes of one attempt.
 *
 * <p>Each attempt's shell is a plain child of the JVM (no session of its own); every process of the
 * attempt carries its {@link Cookie} in its environment; and where the machine allows it, the shell
 * moves itself into the attempt's cgroup ({@link Cgroups}) before it runs the step. Java cannot
 * signal a group, so the members are found by reading the cgroup's {@code cgroup.procs} (all of
 * them, those that cleared their environment or left the session included) and
 * {@code /proc/<pid>/environ} (the attempt's cookie: those that left the cgroup, or every process
 * where there is no cgroup), and signalled one by one through {@link ProcessHandle}, which checks
 * the start time and so never signals a recycled pid; at KILL time the cgroup also gets
 * {@code cgroup.kill}. A {@link ProcessHandle#descendants()} snapshot taken before the first signal
 * adds the children of processes that escaped every mark, while their ancestors are still alive.
 *
 * <p>Ending a tree: TERM to every member and to the snapshot, then — when they have all exited, or
 * after the grace period at the latest — KILL to whatever is left among the members or the
 * snapshot, repeated until a scan finds nobody new.
 *
 * <p>Without {@code /proc} (not Linux) scans find nothing and only the snapshot is used.
 */
final class ProcessTree {

    private final Path proc;
    private final boolean scans;
    private final ScheduledExecutorService timer;
    private final Optional<Cgroups> cgroups;

    ProcessTree(Path proc, ScheduledExecutorService timer, Optional<Cgroups> cgroups) {
        this.proc = proc;
        this.scans = Files.isReadable(proc.resolve("self").resolve("stat"));
        this.timer = timer;
        this.cgroups = cgroups;
    }

    /**
     * The marks of one attempt's processes: its cookie's needle, and its cgroup (null when none)
     * with that group's CPU time when the attempt took it.
     */
    record Marks(byte[] cookie, Cgroups.Leaf leaf) {
        Path cgroup() {
            return leaf == null ? null : leaf.dir();
        }
    }

    /**
     * The processes an attempt left running once its shell exited. Where the shell surely entered
     * the attempt's cgroup ({@link Cgroups#entered}) and the group is now empty, none, without a
     * scan of {@code /proc} (0.2 to 0.3 ms a step on a busy machine): every process the step started
     * is in that group unless it moved itself out (which takes writing another group's
     * {@code cgroup.procs}, as {@code systemd-run --scope} does: such a process is still ended at a
     * cancel, a timeout or a lost lease, which scan for the cookie too). Else {@link #members}.
     */
    List<ProcessHandle> leftovers(ProcessHandle shell, Marks marks, boolean recentOnly) {
        if (marks.leaf() != null && cgroups.isPresent() && scans) {
            Cgroups c = cgroups.get();
            if (c.pids(marks.cgroup()).isEmpty() && c.entered(marks.leaf())) {
                return List.of();
            }
        }
        return members(shell, marks, recentOnly);
    }

    /**
     * The live processes in the attempt's cgroup or whose environment carries its cookie (a
     * {@link Cookie#needle}), the shell itself excepted.
     *
     * <p>The attempt's processes are forked after its shell, so their pids were handed out after the
     * shell's: above it, or — when the pid counter wrapped around meanwhile — from 1 up to the last
     * pid handed out. When {@code recentOnly} is set (the attempt lasted under a second, too short for
     * the counter to go once round the whole pid space) only those pids' environments are read: after
     * a short step that is a handful of files instead of every process on the machine.
     *
     * @param shell the attempt's shell, alive or not
     */
    List<ProcessHandle> members(ProcessHandle shell, Marks marks, boolean recentOnly) {
        long first = shell.pid();
        if (!scans) {
            return List.of();
        }
        byte[] cookie = marks.cookie();
        Set<Long> inCgroup = new HashSet<>();
        if (marks.cgroup() != null && cgroups.isPresent()) {
            inCgroup.addAll(cgroups.get().pids(marks.cgroup()));
            inCgroup.remove(first);
        }
        String[] names = proc.toFile().list();
        if (names == null) {
            return List.of();
        }
        long last = recentOnly ? lastPid() : -1;
        boolean wrapped = last >= 0 && last < first;
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        for (String name : names) {
            long pid = parsePid(name);
            if (pid <= 0 || pid == self || pid == first) {
                continue;
            }
            boolean candidate = last < 0 || pid > first || wrapped && pid <= last;
            if (inCgroup.remove(pid) || candidate && carries(pid, cookie)) {
                ProcessHandle.of(pid).ifPresent(found::add);
            }
        }
        for (long pid : inCgroup) { // appeared since the listing of /proc
            ProcessHandle.of(pid).ifPresent(found::add);
        }
        return found;
    }

    /** Whether an attempt's processes are found by scanning (Linux {@code /proc}). */
    boolean scans() {
        return scans;
    }

    /**
     * Ends the shell and everything it started: TERM, then KILL after {@code grace} at the latest.
     *
     * @param shell the attempt's shell (from {@link Process#toHandle()}), alive or not
     * @return completes once KILL has been sent to every process still alive (or all exited)
     */
    CompletableFuture<Void> terminate(ProcessHandle shell, Marks marks, Duration grace) {
        Set<ProcessHandle> snapshot = new LinkedHashSet<>();
        snapshot.add(shell);
        shell.descendants().forEach(snapshot::add);
        return terminate(shell, marks, snapshot, grace);
    }

    /**
     * Ends the processes an attempt left after its shell exited (found by {@link #members}).
     *
     * @return completes like {@link #terminate(ProcessHandle, Marks, Duration)}
     */
    CompletableFuture<Void> endLeftovers(ProcessHandle shell, Marks marks, List<ProcessHandle> left, Duration grace) {
        Set<ProcessHandle> snapshot = new LinkedHashSet<>(left);
        left.forEach(p -> p.descendants().forEach(snapshot::add));
        return terminate(shell, marks, snapshot, grace);
    }

    private CompletableFuture<Void> terminate(ProcessHandle shell, Marks marks, Set<ProcessHandle> snapshot, Duration grace) {
        Set<ProcessHandle> targets = new LinkedHashSet<>(snapshot);
        targets.addAll(members(shell, marks, false));
        targets.forEach(ProcessHandle::destroy);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable kill = () -> {
            if (!done.isDone()) {
                killRemaining(shell, marks, snapshot);
                done.complete(null);
            }
        };
        ScheduledFuture<?> deadline = timer.schedule(kill, grace.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.allOf(targets.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                .thenRun(kill);
        done.whenComplete((ok, e) -> deadline.cancel(false));
        return done;
    }

    private void killRemaining(ProcessHandle shell, Marks marks, Collection<ProcessHandle> snapshot) {
        if (marks.cgroup() != null) {
            cgroups.ifPresent(c -> c.kill(marks.cgroup())); // everything in it at once, new forks included
        }
        Set<Long> killed = new LinkedHashSet<>();
        List<ProcessHandle> round = new ArrayList<>(snapshot);
        round.addAll(members(shell, marks, false));
        while (!round.isEmpty()) {
            for (ProcessHandle p : round) {
                if (killed.add(p.pid())) {
                    p.destroyForcibly();
                }
            }
            round = new ArrayList<>();
            for (ProcessHandle p : members(shell, marks, false)) {
                if (!killed.contains(p.pid())) {
                    round.add(p);
                }
            }
        }
    }

    /**
     * Kills (KILL) the processes whose cookie names an owner that no longer runs: the steps a killed
     * worker or engine left behind on this machine.
     *
     * @return how many were killed
     */
    int killOrphans() {
        String[] names = scans ? proc.toFile().list() : null;
        if (names == null) {
            return 0;
        }
        long self = ProcessHandle.current().pid();
        int killed = 0;
        for (String name : names) {
            long pid = parsePid(name);
            if (pid <= 0 || pid == self) {
                continue;
            }
            byte[] environ = environ(pid);
            if (environ == null) {
                continue;
            }
            Optional<String> owner = Cookie.ownerIn(environ);
            if (owner.isPresent() && !Cookie.ownerAlive(proc, owner.get())) {
                Optional<ProcessHandle> p = ProcessHandle.of(pid);
                if (p.isPresent() && p.get().destroyForcibly()) {
                    killed++;
                }
            }
        }
        return killed;
    }

    /** Whether {@code /proc/<pid>/environ} holds the cookie (false when unreadable: gone, or not ours). */
    private boolean carries(long pid, byte[] cookie) {
        if (cookie == null) {
            return false;
        }
        byte[] environ = environ(pid);
        return environ != null && Cookie.contains(environ, cookie);
    }

    private byte[] environ(long pid) {
        try {
            return Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private long lastPid() {
        try {
            String text = Files.readString(proc.resolve("sys/kernel/ns_last_pid"), StandardCharsets.US_ASCII);
            return parsePid(text.trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The number {@code s} spells, or -1 when it is not all digits. */
    private static long parsePid(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
