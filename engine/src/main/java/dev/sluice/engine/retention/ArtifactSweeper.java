package dev.sluice.engine.retention;

import dev.sluice.worker.artifact.ContentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The file side of retention: the contents of a {@link ContentStore} folder nothing references, and
 * leftovers of interrupted writes ({@code .tmp}, {@code .uploads}, {@code .trash}), once untouched for the grace.
 *
 * <p>A content is deleted in two moves so that a writer is never robbed: it is first renamed into
 * {@code .trash} (atomic: a writer then finds it missing and stores its own copy), then its time is
 * read again; one touched meanwhile (a put of the same content, a cache hit) goes back in place.
 */
public final class ArtifactSweeper {

    /** A stored content or a leftover: its sha256 (null for a leftover), where, size, last touched. */
    public record StoredFile(String sha256, Path path, long size, Instant touched) {}

    /** What a sweep found (dry run) or deleted. */
    public record Swept(int files, long bytes, int leftovers, long leftoverBytes, int kept, long keptBytes, int spared) {}

    private static final List<String> LEFTOVER_FOLDERS = List.of(".tmp", ".uploads", ".trash");

    private final Path root;

    ArtifactSweeper(Path root) {
        this.root = root;
    }

    /** Every stored content, in no particular order. */
    List<StoredFile> contents() {
        List<StoredFile> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(root, p -> p.getFileName().toString().matches("[0-9a-f]{2}"))) {
            for (Path prefix : prefixes) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (!ContentStore.isSha256(name) || !name.startsWith(prefix.getFileName().toString())) continue;
                        StoredFile s = stat(name, f);
                        if (s != null) out.add(s);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the artifacts in " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Deletes (or with {@code dryRun} only counts) every content not in {@code keep} and every
     * leftover, untouched since {@code before}.
     */
    Swept sweep(Predicate<String> keep, Instant before, boolean dryRun) {
        int files = 0, leftovers = 0, kept = 0, spared = 0;
        long bytes = 0, leftoverBytes = 0, keptBytes = 0;
        for (StoredFile f : contents()) {
            if (keep.test(f.sha256())) {
                kept++;
                keptBytes += f.size();
            } else if (!f.touched().isBefore(before)) {
                spared++;
            } else if (dryRun || delete(f, before)) {
                files++;
                bytes += f.size();
            } else {
                spared++;
            }
        }
        for (StoredFile f : leftovers()) {
            if (!f.touched().isBefore(before)) continue;
            try {
                if (!dryRun) Files.deleteIfExists(f.path());
                leftovers++;
                leftoverBytes += f.size();
            } catch (IOException e) {
                // another sweep or its writer took it: nothing to free
            }
        }
        return new Swept(files, bytes, leftovers, leftoverBytes, kept, keptBytes, spared);
    }

    /** Moves the content aside, looks at its time again, and deletes it or puts it back. */
    private boolean delete(StoredFile f, Instant before) {
        Path trash = root.resolve(".trash");
        Path aside = trash.resolve(f.sha256() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(trash);
            Files.move(f.path(), aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false; // gone already
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + f.path() + " aside: " + e.getMessage(), e);
        }
        try {
            if (!Files.getLastModifiedTime(aside).toInstant().isBefore(before)) { // touched just before the move: in use
                try {
                    Files.move(aside, f.path(), StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    Files.delete(aside); // a writer stored the same bytes again meanwhile
                }
                return false;
            }
            Files.delete(aside);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + aside + ": " + e.getMessage(), e);
        }
    }

    private List<StoredFile> leftovers() {
        List<StoredFile> out = new ArrayList<>();
        for (String folder : LEFTOVER_FOLDERS) {
            Path dir = root.resolve(folder);
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    StoredFile s = stat(null, f);
                    if (s != null && Files.isRegularFile(f)) out.add(s);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static StoredFile stat(String sha, Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return new StoredFile(sha, f, a.size(), a.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
