package dev.sluice.worker.exec;

import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.protocol.Artifact;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One attempt's folder: {@code outputs/} (empty at start), {@code inputs/<from>/<path>} and the
 * {@code metrics} file.
 *
 * <p>Symbolic links under {@code outputs/}: a link to a regular file inside {@code outputs/} is
 * stored as a regular file with the link's path and the target's content; a link that points
 * outside {@code outputs/}, dangles, or points to a folder is not stored, and a warning says so
 * (a step must not leak the worker's files through a link, and following folder links invites
 * cycles). Fifos, sockets and devices are skipped the same way.
 */
record AttemptFolder(Path dir) {

    Path outputs() {
        return dir.resolve("outputs");
    }

    Path inputs() {
        return dir.resolve("inputs");
    }

    /** Where {@code $SLUICE_MODELS} points: created only for an attempt that has models. */
    Path models() {
        return dir.resolve("models");
    }

    /** Puts every model file at {@code models/<key>/<path>}. */
    void materializeModels(Collection<Artifact> artifacts, ContentStore store) throws IOException {
        if (artifacts.isEmpty()) return;
        Path models = models();
        Files.createDirectories(models);
        for (Artifact a : artifacts) {
            Path keyDir = inside(models, a.from(), "model folder");
            if (keyDir.getNameCount() != models.getNameCount() + 1) throw new IllegalArgumentException("bad model key: " + a.from());
            Files.createDirectories(keyDir);
            store.materialize(a.sha256(), inside(keyDir, a.path(), "model path"));
        }
    }

    Path metrics() {
        return dir.resolve("metrics");
    }

    /** Puts every input at {@code inputs/<from>/<path>}. */
    void materialize(Collection<Artifact> artifacts, ContentStore store) throws IOException {
        Path inputs = inputs();
        for (Artifact a : artifacts) {
            Path fromDir = inside(inputs, a.from(), "input folder");
            if (fromDir.equals(inputs) || fromDir.getNameCount() != inputs.getNameCount() + 1) {
                throw new IllegalArgumentException("bad input task id: " + a.from());
            }
            store.materialize(a.sha256(), inside(fromDir, a.path(), "input path"));
        }
    }

    /**
     * Stores every regular file under {@code outputs/}, sorted by path.
     *
     * @param warn receives a one-line warning per skipped entry
     */
    /** The longest relative output path the store keeps. */
    static final int MAX_PATH = 1000;

    List<Artifact> storeOutputs(ContentStore store, String from, Consumer<String> warn) throws IOException {
        Path outputs = outputs();
        if (!Files.isDirectory(outputs, LinkOption.NOFOLLOW_LINKS)) {
            // the step replaced the folder (e.g. by a link elsewhere): nothing in it is its output
            warn.accept("outputs not stored: $SLUICE_OUTPUTS is no longer a folder");
            return List.of();
        }
        Path real = dir().toRealPath().resolve("outputs");
        Map<String, Path> files = new TreeMap<>();
        Files.walkFileTree(outputs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = relative(outputs, file);
                if (rel.length() > MAX_PATH) {
                    warn.accept("output " + rel.substring(0, 60) + "... skipped: its path is longer than " + MAX_PATH + " characters");
                } else if (attrs.isRegularFile()) {
                    files.put(rel, file);
                } else if (attrs.isSymbolicLink()) {
                    link(rel, file, real, files, warn);
                } else {
                    warn.accept("output " + rel + " skipped: not a regular file");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                warn.accept("output " + relative(outputs, file) + " skipped: " + e.getMessage());
                return FileVisitResult.CONTINUE;
            }
        });
        List<Artifact> stored = new ArrayList<>(files.size());
        for (Map.Entry<String, Path> e : files.entrySet()) {
            stored.add(store.put(from, e.getKey(), e.getValue()));
        }
        return stored;
    }

    /** The declared outputs that are neither a folder under {@code outputs/} nor a stored file (or under one). */
    List<String> missing(List<String> declared, List<Artifact> stored) {
        List<String> missing = new ArrayList<>();
        for (String name : declared) {
            String path;
            try {
                path = relative(outputs(), inside(outputs(), name, "output path"));
            } catch (IllegalArgumentException e) {
                missing.add(name);
                continue;
            }
            boolean found = Files.isDirectory(outputs().resolve(path), LinkOption.NOFOLLOW_LINKS)
                    || stored.stream().anyMatch(a -> a.path().equals(path) || a.path().startsWith(path + "/"));
            if (!found) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static void link(String rel, Path link, Path outputsReal, Map<String, Path> files, Consumer<String> warn) {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException e) {
            warn.accept("output " + rel + " skipped: dangling symbolic link");
            return;
        }
        if (!target.startsWith(outputsReal)) {
            warn.accept("output " + rel + " skipped: symbolic link to a file outside $SLUICE_OUTPUTS");
        } else if (!Files.isRegularFile(target)) {
            warn.accept("output " + rel + " skipped: symbolic link to something else than a regular file");
        } else {
            files.put(rel, target);
        }
    }

    /** {@code base/rel}, refusing absolute paths and paths that climb out of {@code base}. */
    static Path inside(Path base, String rel, String what) {
        if (rel.isEmpty() || rel.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad " + what + ": '" + rel + "'");
        }
        Path relPath = Path.of(rel);
        Path resolved = base.resolve(relPath).normalize();
        if (relPath.isAbsolute() || !resolved.startsWith(base) || resolved.equals(base)) {
            throw new IllegalArgumentException("bad " + what + ": " + rel);
        }
        return resolved;
    }

    private static String relative(Path base, Path file) {
        Path rel = base.relativize(file);
        StringBuilder s = new StringBuilder();
        for (Path part : rel) {
            if (s.length() > 0) {
                s.append('/');
            }
            s.append(part);
        }
        return s.toString();
    }
}
