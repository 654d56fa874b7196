package dev.sluice.worker.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cgroup v2 per attempt, where the machine lets this process create them: under the JVM's own
 * cgroup, {@code sluice-<owner>.<executor>/<n>} (as in {@link Cookie}). The attempt's shell moves
 * itself in before it runs the step's command (see {@link #enter}), so every process the step
 * starts is in it, whatever it does to its session or environment, and {@code cgroup.procs} lists
 * them without a scan of {@code /proc}. Leaf groups given back empty are reused (creating and
 * removing one costs about 0.25 ms).
 *
 * <p>{@link #open} needs a cgroup2 mount, the JVM's cgroup writable (moving a process between two
 * groups needs write access to their common ancestor's {@code cgroup.procs}) and a successful
 * {@code mkdir}: root on a hybrid or unified host, or a user whose systemd scope is delegated; not
 * most containers. Where it fails, {@link Cookie}s alone find the processes.
 */
final class Cgroups implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
    static final String PREFIX = "sluice-";

    private final Path base;
    private final boolean canKill;
    private final Deque<Leaf> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger made = new AtomicInteger();

    private Cgroups(Path base) {
        this.base = base;
        this.canKill = Files.exists(base.resolve("cgroup.kill"));
    }

    /** This JVM's attempt cgroups, or empty (with the reason at INFO) where it may not create them. */
    /** @param executor {@link Cookie#executorId()} */
    static Optional<Cgroups> open(Path proc, String executor) {
        if (!Boolean.parseBoolean(System.getProperty("sluice.cgroups", "true"))) {
            return Optional.empty(); // -Dsluice.cgroups=false: sessions and cookies only
        }
        Optional<Path> parent = ownCgroup(proc);
        if (parent.isEmpty()) {
            LOG.debug("no cgroup v2 for this process: steps are tracked by their environment cookie");
            return Optional.empty();
        }
        Path procs = parent.get().resolve("cgroup.procs");
        if (!Files.isWritable(procs)) {
            LOG.info("cgroup {} is not writable here: steps are tracked by their environment cookie", parent.get());
            return Optional.empty();
        }
        killOrphans(parent.get(), proc);
        Path base = parent.get().resolve(PREFIX + executor);
        if (!base.toFile().mkdir() && !base.toFile().isDirectory()) {
            LOG.info("cannot create cgroup {}: steps are tracked by their environment cookie", base);
            return Optional.empty();
        }
        return Optional.of(new Cgroups(base));
    }

    /** The folder of this JVM's cgroup v2 ({@code /proc/self/cgroup}'s {@code 0::} line under the cgroup2 mount). */
    static Optional<Path> ownCgroup(Path proc) {
        try {
            Optional<Path> mount = Optional.empty();
            for (String line : Files.readAllLines(proc.resolve("self/mountinfo"), StandardCharsets.UTF_8)) {
                int dash = line.indexOf(" - ");
                if (dash > 0 && line.substring(dash + 3).startsWith("cgroup2 ")) {
                    mount = Optional.of(Path.of(unescape(line.split(" ")[4])));
                    break;
                }
            }
            if (mount.isEmpty()) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(proc.resolve("self/cgroup"), StandardCharsets.UTF_8)) {
                if (line.startsWith("0::")) {
                    String path = line.substring(3);
                    if (path.endsWith(" (deleted)")) {
                        return Optional.empty();
                    }
                    Path dir = path.equals("/") ? mount.get() : mount.get().resolve(path.substring(1));
                    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The base of this JVM's attempt groups. */
    Path base() {
        return base;
    }

    /**
     * One attempt's leaf group and the CPU time its processes had used when it was handed out
     * ({@code usage_usec} of {@code cpu.stat}, a file every cgroup v2 has, controllers or not): once
     * that has grown, the attempt's shell surely moved itself in (see {@link #entered}).
     */
    record Leaf(Path dir, long usage) {}

    /** An empty leaf group for one attempt: a reused one, or a new one; empty when it cannot be made. */
    Optional<Leaf> take() {
        for (Leaf reused; (reused = free.pollFirst()) != null; ) {
            if (pids(reused.dir()).isEmpty()) {
                return Optional.of(reused);
            }
        }
        Path leaf = base.resolve(Integer.toString(made.incrementAndGet()));
        return leaf.toFile().mkdir() ? Optional.of(new Leaf(leaf, 0)) : Optional.empty();
    }

    /**
     * Whether a process has run in {@code leaf} since it was handed out: the attempt's shell moved
     * itself in, so every process it started is in there too unless it moved itself out. False when
     * {@code cpu.stat} cannot be read.
     */
    boolean entered(Leaf leaf) {
        return leaf.usage() >= 0 && usage(leaf.dir()) > leaf.usage();
    }

    /** Takes a leaf back: reused when empty (its CPU time read now, off the next step's path); else killed, and removed once empty. */
    void give(Path leaf) {
        if (pids(leaf).isEmpty()) {
            free.addFirst(new Leaf(leaf, usage(leaf))); // -1 when unreadable: entered() is then never sure
        } else {
            kill(leaf);
            if (!leaf.toFile().delete()) {
                LOG.warn("cgroup {} still has processes after KILL; left in place", leaf);
            }
        }
    }

    /**
     * The shell words that move the attempt's shell into {@code leaf}, to run before the step's
     * command (same line: line numbers in the step's errors do not change). A failure is silent: the
     * cookie still finds the processes.
     */
    static String enter(Path leaf) {
        return "{ echo $$ >" + quote(leaf.resolve("cgroup.procs").toString()) + "; } 2>/dev/null; ";
    }

    /** The pids in a group (empty when it is gone). */
    List<Long> pids(Path leaf) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(leaf.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return pids;
    }

    /** {@code usage_usec} of the group's {@code cpu.stat} (its first line), or -1. */
    private static long usage(Path group) {
        try (var in = Files.newBufferedReader(group.resolve("cpu.stat"), StandardCharsets.US_ASCII)) {
            String line = in.readLine();
            return line != null && line.startsWith("usage_usec ") ? Long.parseLong(line.substring(11).trim()) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** KILL to every process in the group and below, at once ({@code cgroup.kill}, Linux 5.14+). */
    boolean kill(Path group) {
        if (!canKill) {
            for (long pid : pids(group)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            return true;
        }
        try {
            Files.writeString(group.resolve("cgroup.kill"), "1", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills what is left in this JVM's groups and removes them. */
    @Override
    public void close() {
        free.clear();
        kill(base);
        removeTree(base.toFile());
    }

    /** Groups of JVMs of this machine that no longer run (killed): their processes are killed, the groups removed. */
    private static void killOrphans(Path parent, Path proc) {
        File[] groups = parent.toFile().listFiles(f -> f.isDirectory() && f.getName().startsWith(PREFIX));
        if (groups == null) {
            return;
        }
        for (File g : groups) {
            String name = g.getName().substring(PREFIX.length());
            String owner = name.indexOf('.') > 0 ? name.substring(0, name.indexOf('.')) : name;
            if (!Cookie.ownerAlive(proc, owner)) {
                Cgroups dead = new Cgroups(g.toPath());
                int n = 0;
                File[] leaves = g.listFiles(File::isDirectory);
                for (File leaf : leaves == null ? new File[0] : leaves) {
                    n += dead.pids(leaf.toPath()).size();
                }
                if (n > 0) {
                    LOG.warn("killing {} step process(es) left in {} by a JVM that no longer runs", n, g);
                }
                dead.close();
            }
        }
    }

    /** Removes empty groups, leaves first (a group's files are not removable: only its folder). */
    private static void removeTree(File group) {
        File[] children = group.listFiles(File::isDirectory);
        if (children != null) {
            for (File c : children) {
                removeTree(c);
            }
        }
        for (int tries = 0; tries < 200 && !group.delete() && group.exists(); tries++) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // processes killed a moment ago may not have left it yet
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
