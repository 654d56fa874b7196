package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.AttemptKey;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The attempt folders under a work root: {@code <root>/<run>/<task>/<attempt>/}.
 *
 * <p>Run and task ids are made safe as folder names: characters other than letters, digits,
 * {@code . _ -} become {@code _}, a leading dot too; an id that had to change gets a short hash of the
 * original appended, so that {@code train[c=1]} and {@code train(c=1)} never share a folder.
 *
 * <p>Removing an attempt folder also removes its task and run folders when they become empty.
 * No lock is taken: a removal only ever deletes empty folders, and a creation that loses a parent
 * to a concurrent removal creates it again.
 */
final class Workspace {

    private static final int CREATE_TRIES = 10;

    private final Path root;

    Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Creates the attempt's empty folder with its {@code outputs/} and {@code inputs/}; a folder left
     * by an earlier worker process is replaced.
     *
     * <p>This runs once per attempt, so it sticks to {@link File} calls that report failure by their
     * result: on Java 17, {@code Files.createDirectories} and {@code Files.exists} throw (and fill
     * stack traces) internally for every missing path.
     */
    AttemptFolder create(AttemptKey key) throws IOException {
        Path dir = root.resolve(safeName(key.runId())).resolve(safeName(key.taskId())).resolve(Integer.toString(key.attempt()));
        AttemptFolder folder = new AttemptFolder(dir);
        File attempt = dir.toFile();
        if (!attempt.mkdir()) {
            if (attempt.exists()) {
                deleteTree(dir);
            }
            makeDirs(attempt);
        }
        if (!folder.outputs().toFile().mkdir() || !folder.inputs().toFile().mkdir()) {
            throw new IOException("could not create the folders of " + dir);
        }
        return folder;
    }

    /** Deletes the attempt folder, then its task and run folders if they became empty. */
    void remove(AttemptFolder folder) throws IOException {
        deleteTree(folder.dir());
        File rootFile = root.toFile();
        for (File parent = folder.dir().toFile().getParentFile();
             parent != null && !parent.equals(rootFile) && parent.toPath().startsWith(root);
             parent = parent.getParentFile()) {
            if (!parent.delete()) {
                break; // not empty: another attempt uses it
            }
        }
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

    static String safeName(String id) {
        StringBuilder safe = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '-' || c == '.' && i > 0;
            safe.append(ok ? c : '_');
        }
        if (safe.length() == 0) {
            safe.append('_');
        }
        String name = safe.toString();
        return name.equals(id) ? name : name + "-" + shortHash(id);
    }

    private static String shortHash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
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
