package dev.sluice.worker.exec;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attempt folders under a work root, reused: an attempt takes a folder holding an empty
 * {@code outputs/} and {@code inputs/} and no {@code metrics} file, and gives it back when its result
 * is built. A folder given back as it was taken (the step wrote no outputs, got no inputs, wrote no
 * metrics, changed nothing) is clean and serves the next attempt, renamed (one system call, so a
 * process left behind by the last step cannot reach it by its old path); any other is deleted. Creating and
 * deleting three folders per attempt costs about 0.6 ms of system time on an ext4 disk, more than
 * the rest of the executor's own work for a short step.
 *
 * <p>Folders live in {@code <root>/.pool-<host>-<pid>-<random>/<n>/}, one pool per executor:
 * several processes (a {@code sluice run} and a server, say, or servers of several machines on a
 * shared file system) can share a work root. The pool is deleted on {@link #close()}; pools of this
 * host's processes that are gone (killed) are deleted when the next workspace opens on the root.
 * Attempts find their identity in {@code SLUICE_RUN_ID} and friends, not in the folder's name.
 */
final class Workspace implements AutoCloseable {

    private static final int CREATE_TRIES = 10;
    private static final String POOL_PREFIX = ".pool-";
    private static final String HOST = hostname();
    private static final Set<PosixFilePermission> OWNER_RWX = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path root;
    private final Path pool;
    private final Deque<AttemptFolder> clean = new ConcurrentLinkedDeque<>();
    private final AtomicInteger made = new AtomicInteger();

    Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.pool = this.root.resolve(POOL_PREFIX + HOST + "-" + ProcessHandle.current().pid() + "-" + randomHex());
        deleteDeadPools();
    }

    /**
     * An attempt folder with an empty {@code outputs/} and {@code inputs/} and no {@code metrics}
     * file: a clean one given back earlier, or a new one.
     *
     * <p>This runs once per attempt, so it sticks to {@link File} calls that report failure by their
     * result: on Java 17, {@code Files.createDirectories} and {@code Files.exists} throw (and fill
     * stack traces) internally for every missing path.
     */
    AttemptFolder take() throws IOException {
        Path dir = pool.resolve(Integer.toString(made.incrementAndGet()));
        for (AttemptFolder reused; (reused = clean.pollFirst()) != null; ) {
            // under a new name: a process the last step left behind (one that escaped its session)
            // cannot write into this attempt's folder through the path it was given
            if (reused.dir().toFile().renameTo(dir.toFile())) {
                return new AttemptFolder(dir);
            }
            deleteTree(reused.dir());
        }
        AttemptFolder folder = new AttemptFolder(dir);
        File attempt = dir.toFile();
        if (!attempt.mkdir()) {
            if (attempt.exists()) {
                deleteTree(dir); // a pool name of a process that had this pid before: not ours
            }
            makeDirs(attempt);
        }
        if (!folder.outputs().toFile().mkdir() || !folder.inputs().toFile().mkdir()) {
            throw new IOException("could not create the folders of " + dir);
        }
        return folder;
    }

    /** This workspace's own folder: deleted with it (the Python step helper lives in {@code python/} there). */
    Path pool() {
        return pool;
    }

    /** Takes a folder back: kept for the next attempt when it is as it was taken, else deleted. */
    void give(AttemptFolder folder) throws IOException {
        if (isClean(folder)) {
            clean.addFirst(folder); // the most recently used first: its entries are in the OS's caches
        } else {
            deleteTree(folder.dir());
        }
    }

    /** Deletes this workspace's folders. */
    @Override
    public void close() {
        clean.clear();
        try {
            deleteTree(pool);
        } catch (IOException | RuntimeException e) {
            // best effort: the next workspace on this root deletes it (its process is gone by then)
        }
    }

    /**
     * Holds exactly {@code outputs/} and {@code inputs/}, both empty; the three are real folders (not
     * links) that their owner may still read, write and enter.
     */
    private static boolean isClean(AttemptFolder folder) {
        String[] top = entries(folder.dir());
        String[] outputs = entries(folder.outputs());
        String[] inputs = entries(folder.inputs());
        return top != null && top.length == 2 && outputs != null && outputs.length == 0 && inputs != null && inputs.length == 0;
    }

    /** The names in a real, owner-usable folder; null for anything else. */
    private static String[] entries(Path dir) {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        if (!attrs.isDirectory() || !attrs.permissions().containsAll(OWNER_RWX)) {
            return null;
        }
        return dir.toFile().list();
    }

    /** Deletes the pools of this host's processes that no longer run (a killed worker's or CLI's). */
    private void deleteDeadPools() {
        String[] names = root.toFile().list();
        if (names == null) {
            return;
        }
        String ours = POOL_PREFIX + HOST + "-";
        for (String name : names) {
            int randomDash = name.lastIndexOf('-');
            if (!name.startsWith(ours) || randomDash <= ours.length()) {
                continue;
            }
            long pid;
            try {
                pid = Long.parseLong(name.substring(ours.length(), randomDash));
            } catch (NumberFormatException e) {
                continue; // another host whose name starts like ours
            }
            if (ProcessHandle.of(pid).isEmpty()) {
                try {
                    deleteTree(root.resolve(name));
                } catch (IOException | RuntimeException e) {
                    // another process deletes it at the same time, or a step left it unreadable: not ours to fail on
                }
            }
        }
    }

    /** This machine's name as a folder name part: letters, digits, dots and underscores. */
    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        return h.replaceAll("[^A-Za-z0-9._]", "_");
    }

    private static String randomHex() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Creates {@code dir} and its missing parents, again when a concurrent removal takes a parent away. */
    private static void makeDirs(File dir) throws IOException {
        for (int tries = 0; tries < CREATE_TRIES; tries++) {
            if (dir.mkdir() || dir.isDirectory()) {
                return;
            }
            File parent = dir.getParentFile();
            if (parent == null || parent.exists() && !parent.isDirectory()) {
                break;
            }
            makeDirs(parent);
        }
        throw new IOException("could not create " + dir);
    }

    /** Deletes a folder and everything in it; symbolic links are deleted, never followed. */
    static void deleteTree(Path dir) throws IOException {
        if (!dir.toFile().exists()) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                File f = d.toFile();
                if (!f.canWrite()) {
                    f.setWritable(true, true); // a step may have made a folder read-only
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                File f = file.toFile();
                if (e instanceof AccessDeniedException && f.isDirectory() && f.setReadable(true, true)
                        && f.setWritable(true, true) && f.setExecutable(true, true)) {
                    deleteTree(file); // a folder the step made unreadable
                } else {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
