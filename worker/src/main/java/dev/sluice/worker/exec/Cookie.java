package dev.sluice.worker.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mark every process of an attempt carries in its environment:
 * {@code SLUICE_ATTEMPT_COOKIE=<owner>.<executor>.<n>}, where {@code <owner>} is {@code <pid>-<start>}
 * of the JVM that started it ({@code <start>}: field 22 of {@code /proc/<pid>/stat}, the start time
 * in clock ticks since boot, so a recycled pid is a different owner), {@code <executor>} tells apart
 * the executors of one JVM (random) and {@code <n>} counts its attempts. Children inherit the environment whatever they do to their session or parent
 * ({@code setsid}, double forks), so {@code /proc/<pid>/environ} finds them all: the approach of
 * Jenkins' process-tree killer. A process that empties or rewrites its own environment
 * ({@code env -i}, {@code env -u}) is not found.
 *
 * <p>Needles are the bytes searched for in an environ file: a variable starts after a NUL or at the
 * start, so {@code ...=p-1.1} never matches {@code ...=p-1.12} (the needle ends with the NUL).
 */
final class Cookie {

    static final String VARIABLE = "SLUICE_ATTEMPT_COOKIE";

    private final String owner;
    private final String executor;
    private final AtomicLong attempts = new AtomicLong();

    /** @param owner this JVM's {@code <pid>-<start>} */
    Cookie(String owner) {
        this.owner = owner;
        this.executor = Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt() >>> 1);
    }

    /** The owner id of this JVM, read from {@code proc}; its pid alone where the start time cannot be read. */
    static Cookie forThisProcess(Path proc) {
        long pid = ProcessHandle.current().pid();
        return new Cookie(pid + "-" + startTicks(proc, pid).orElse(0L));
    }

    /** This JVM's {@code <pid>-<start>}. */
    String owner() {
        return owner;
    }

    /** {@code <owner>.<executor>}: what this executor's names start with. */
    String executorId() {
        return owner + "." + executor;
    }

    /** A new attempt's cookie value. */
    String next() {
        return owner + "." + executor + "." + attempts.incrementAndGet();
    }

    /** {@code SLUICE_ATTEMPT_COOKIE=<owner>.}: every attempt of every executor of this JVM (the watchdog's needle). */
    String ownerNeedle() {
        return VARIABLE + "=" + owner + ".";
    }

    /** The needle of exactly one attempt's processes. */
    static byte[] needle(String cookie) {
        return (VARIABLE + "=" + cookie + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code environ} holds a variable starting with {@code needle}. */
    static boolean contains(byte[] environ, byte[] needle) {
        return indexOf(environ, needle) >= 0;
    }

    /** Where a variable starting with {@code needle} starts in {@code environ}, or -1. */
    static int indexOf(byte[] environ, byte[] needle) {
        outer:
        for (int i = 0; i <= environ.length - needle.length; i++) {
            if (i > 0 && environ[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (environ[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The owner named by a cookie found in {@code environ} ({@code <pid>-<start>}), if any: a process
     * whose owner no longer runs is an orphan of a killed worker or engine.
     */
    static Optional<String> ownerIn(byte[] environ) {
        byte[] prefix = (VARIABLE + "=").getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(environ, prefix);
        if (at < 0) {
            return Optional.empty();
        }
        int end = at + prefix.length;
        while (end < environ.length && environ[end] != 0) {
            end++;
        }
        String value = new String(environ, at + prefix.length, end - at - prefix.length, StandardCharsets.US_ASCII);
        int dot = value.indexOf('.');
        return dot > 0 ? Optional.of(value.substring(0, dot)) : Optional.empty();
    }

    /** Whether the owner {@code <pid>-<start>} still runs (its pid is alive with the same start time). */
    static boolean ownerAlive(Path proc, String owner) {
        int dash = owner.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(owner.substring(0, dash));
            long start = Long.parseLong(owner.substring(dash + 1));
            Optional<Long> now = startTicks(proc, pid);
            return now.isPresent() && (start == 0 || now.get() == start);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Field 22 of {@code /proc/<pid>/stat}: the process's start, in clock ticks since boot. */
    static Optional<Long> startTicks(Path proc, long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[19])); // fields[0] is field 3 (state)
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
