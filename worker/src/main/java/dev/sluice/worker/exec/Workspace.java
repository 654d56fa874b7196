package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.AttemptKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
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
 * Creating a folder and removing an emptied run or task folder are serialized, so that one
 * attempt's clean-up never removes a parent another attempt is creating.
 */
final class Workspace {

    private final Path root;
    private final Object lock = new Object();

    Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Creates the attempt's empty folder with its {@code outputs/} and {@code inputs/}. */
    AttemptFolder create(AttemptKey key) throws IOException {
        Path dir = root.resolve(safeName(key.runId())).resolve(safeName(key.taskId())).resolve(Integer.toString(key.attempt()));
        AttemptFolder folder = new AttemptFolder(dir);
        synchronized (lock) {
            if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(dir); // left by a crashed worker
            }
            Files.createDirectories(folder.outputs());
            Files.createDirectories(folder.inputs());
        }
        return folder;
    }

    /** Deletes the attempt folder, then its task and run folders if they became empty. */
    void remove(AttemptFolder folder) throws IOException {
        deleteTree(folder.dir());
        synchronized (lock) {
            Path parent = folder.dir().getParent();
            while (parent != null && !parent.equals(root) && parent.startsWith(root)) {
                try {
                    Files.deleteIfExists(parent);
                } catch (DirectoryNotEmptyException e) {
                    break;
                }
                parent = parent.getParent();
            }
        }
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
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                d.toFile().setWritable(true, true); // a step may have made a folder read-only
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
                Files.deleteIfExists(file);
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
