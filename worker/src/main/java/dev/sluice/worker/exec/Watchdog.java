package dev.sluice.worker.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A worker's lease as seen by a small process outside the JVM ({@code watchdog.sh}, POSIX sh), which
 * ends the worker's step processes once the lease has run out, whatever the JVM is doing: frozen by
 * SIGSTOP, stalled, cut off from the engine or killed. It finds them in this JVM's attempt
 * {@link Cgroups} when there are any, and by the owner part of their {@link Cookie} in
 * {@code /proc/<pid>/environ}: TERM at the lease's end, KILL {@code grace} later
 * (then every second while the lease stays lost), re-reading the lease before each signal.
 *
 * <p>The lease file holds the deadline in hundredths of a second of {@code /proc/uptime}, a clock
 * the JVM and the shell both read: the JVM's {@link System#nanoTime()} (CLOCK_MONOTONIC) cannot be
 * read from sh. {@link #hold} anchors it at the moment the acknowledged heartbeat was <em>sent</em>,
 * so however late the JVM writes it, the watchdog acts no later than the sender's lease says; the
 * engine, which counts from when it received that heartbeat, waits for the deadline plus the grace
 * plus a margin before it gives the steps to another worker.
 *
 * <p>Linux only ({@code /proc}); elsewhere {@link #start} gives nothing and the JVM's own lease check
 * is all there is.
 */
public final class Watchdog implements Lease, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final String SCRIPT = "watchdog.sh";
    /** how often the watchdog looks at the lease */
    public static final Duration TICK = Duration.ofMillis(250);

    private final Path file;
    private final Path next;
    private final Path proc;
    private final List<String> command;
    private volatile long deadlineNanos;
    private volatile boolean everHeld;
    private long deadlineCs;
    private Process process;
    private boolean closed;

    private Watchdog(Path dir, Path proc, List<String> command) {
        this.file = dir.resolve("lease");
        this.next = dir.resolve("lease.next");
        this.proc = proc;
        this.command = command;
    }

    /**
     * Starts the watchdog of this JVM's attempts, its lease file in {@code dir}.
     *
     * @return empty where there is no {@code /proc/uptime} or no {@code /bin/sh}
     */
    public static Optional<Watchdog> start(Path dir) {
        Path proc = Path.of("/proc");
        if (!Files.isReadable(proc.resolve("uptime")) || !Files.isExecutable(Path.of(ShellExecutor.SHELL))) {
            LOG.warn("no /proc/uptime or /bin/sh here: no watchdog; a frozen worker's steps run until it wakes up");
            return Optional.empty();
        }
        try {
            Files.createDirectories(dir);
            String script;
            try (InputStream in = Watchdog.class.getResourceAsStream(SCRIPT)) {
                script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<String> command = new ArrayList<>();
            findSetsid().ifPresent(s -> command.add(s.toString())); // one exec per worker: a terminal's Ctrl-C must not end it
            Cookie cookie = Cookie.forThisProcess(proc);
            command.addAll(List.of(ShellExecutor.SHELL, "-c", script, "sluice-watchdog", dir.resolve("lease").toString(),
                    cookie.ownerNeedle(), Long.toString(ProcessHandle.current().pid()),
                    String.format(java.util.Locale.ROOT, "%.3f", TICK.toMillis() / 1000.0),
                    Cgroups.ownCgroup(proc).map(c -> c.resolve(Cgroups.PREFIX + cookie.owner() + ".").toString()).orElse("")));
            Watchdog w = new Watchdog(dir, proc, command);
            w.write("none\n");
            w.launch();
            return Optional.of(w);
        } catch (IOException e) {
            LOG.warn("could not start the watchdog in {}: {}; a frozen worker's steps run until it wakes up", dir, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The engine acknowledged a heartbeat (or registration) sent at {@code sentAtNanos}: the lease
     * runs until {@code lease} after that, the watchdog's KILL comes {@code grace} later.
     */
    public synchronized void hold(long sentAtNanos, Duration lease, Duration grace) {
        long until = sentAtNanos + lease.toNanos();
        if (everHeld && until - deadlineNanos <= 0) {
            return;
        }
        long nowNanos = System.nanoTime();
        long nowCs = uptimeCs();
        long cs = nowCs - (nowNanos - until) / 10_000_000L; // rounds towards the earlier side for a past anchor
        deadlineNanos = until;
        everHeld = true;
        if (cs <= deadlineCs) {
            return;
        }
        deadlineCs = cs;
        try {
            write(cs + " " + Math.max(0, grace.toMillis() / 10) + "\n");
        } catch (IOException e) {
            LOG.warn("could not renew the watchdog's lease file {}: {}", file, e.toString());
        }
    }

    @Override
    public boolean held() {
        return everHeld && System.nanoTime() - deadlineNanos < 0;
    }

    /** The watchdog process's pid (tests). */
    synchronized long pid() {
        return process.pid();
    }

    /** Stops the watchdog: the lease file is deleted, the process ends. */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the process is ended below anyway
        }
        if (process != null) {
            process.destroy();
        }
    }

    private synchronized void launch() throws IOException {
        if (closed) {
            return;
        }
        process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(file.resolveSibling("watchdog.log").toFile())).start();
        process.onExit().thenRun(this::exited);
    }

    private void exited() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        LOG.warn("the watchdog ended unexpectedly (exit {}): starting it again", process.exitValue());
        try {
            launch();
        } catch (IOException e) {
            LOG.error("could not start the watchdog again: {}", e.toString());
        }
    }

    private void write(String content) throws IOException {
        Files.writeString(next, content, StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The {@code setsid} program of this machine, if any (the watchdog's own session: once per worker, not per step). */
    static Optional<Path> findSetsid() {
        for (Path p : new Path[] {Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")}) {
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code /proc/uptime} in hundredths of a second. */
    private long uptimeCs() {
        try {
            String text = Files.readString(proc.resolve("uptime"), StandardCharsets.US_ASCII);
            String up = text.substring(0, text.indexOf(' '));
            int dot = up.indexOf('.');
            return Long.parseLong(up.substring(0, dot)) * 100 + Long.parseLong(up.substring(dot + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
