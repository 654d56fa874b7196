package dev.sluice.worker.artifact;

import dev.sluice.worker.protocol.Artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where step outputs live, addressed by the sha256 of their bytes: a folder ({@link ContentStore})
 * or an S3-compatible bucket ({@link S3ArtifactStore}). Every implementation keeps one contract:
 *
 * <ul>
 *   <li>a content is visible under its hash only once it is complete and its hash verified (no
 *       partial objects; a failed put leaves nothing under the name);</li>
 *   <li>puts are idempotent: a content already stored is not written again (same hash, same bytes);</li>
 *   <li>files are streamed, never held in memory;</li>
 *   <li>no reader gets bytes that do not match the hash they were asked for: a mismatch fails the read
 *       with {@link CorruptContentException} before the bytes are handed on.</li>
 * </ul>
 * Thread-safe. Blocking: never call it on an event loop.
 */
public interface ArtifactStore extends AutoCloseable {

    /**
     * Stores a copy of {@code file}'s content (symbolic links followed). The file may change while
     * this runs (a step's leftover process): what is stored is what was hashed.
     *
     * @param from    the producing task id (for the returned artifact)
     * @param relPath the path under the producer's outputs folder, with {@code /} separators
     * @return where the content came from, its hash and size
     */
    Artifact put(String from, String relPath, Path file) throws IOException;

    /**
     * Whether the content is stored (in the shared store, not only in a local cache).
     *
     * @throws IllegalArgumentException unless {@code sha256} is 64 lower-case hex digits
     */
    boolean contains(String sha256) throws IOException;

    /**
     * The first of {@code sha256s} that is not stored, if any (a cache hit's outputs, a result's
     * outputs). The default asks {@link #contains} one by one; an object store asks in parallel.
     */
    default Optional<String> firstMissing(Collection<String> sha256s) throws IOException {
        for (String sha : sha256s) {
            if (!contains(sha)) return Optional.of(sha);
        }
        return Optional.empty();
    }

    /**
     * Makes the content appear at {@code target} as a copy of {@link #localFile} (parent folders
     * created, an existing file replaced). Never a hard link: a step runs as the store's owner and
     * could make a linked file writable and change it, corrupting the content every later reader and
     * cache hit gets under that hash.
     *
     * @throws NoSuchFileException     when the content is not stored
     * @throws CorruptContentException when the stored bytes do not match the hash
     */
    default void materialize(String sha256, Path target) throws IOException {
        Path source = localFile(sha256);
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A file on this machine holding the content, for serving or sending it on; read it, never
     * change it. For a remote store it is a verified copy in the local cache.
     *
     * @throws NoSuchFileException     when the content is not stored
     * @throws CorruptContentException when the stored bytes do not match the hash
     */
    Path localFile(String sha256) throws IOException;

    /** One stored content, as {@link #list} gives it. */
    record Stored(String sha256, long size) {}

    /**
     * Every stored content (for retention): a walk of the folder, a listing of the bucket's prefix.
     * Names that are not sha256 ids (temporary files, folder markers) are left out.
     */
    void list(Consumer<Stored> visitor) throws IOException;

    /**
     * Deletes a content (and its local copy); the caller makes sure nothing references it any more.
     *
     * @return whether it was stored
     */
    boolean delete(String sha256) throws IOException;

    /**
     * Marks a stored content as in use now, so that retention, which spares what was touched within
     * its grace period, keeps a content a new output or a cache hit is about to reference. A store
     * that retention does not sweep by time (an object store) has nothing to mark and answers true.
     *
     * @return false when the content is known not to be stored
     */
    default boolean touch(String sha256) {
        return true;
    }

    /** A folder for partial transfers, on the file system of {@link #localFile}'s files (created when needed). */
    Path scratch();

    /**
     * Where the content lives, e.g. {@code /home/me/.sluice/artifacts} or {@code s3://bucket/prefix}:
     * two stores with the same location hold the same contents.
     */
    String location();

    /** Whether other machines read and write this store directly (an object store), so workers need not go through the leader. */
    boolean shared();

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }

    /** Whether {@code s} is a sha256 id as the stores spell it: 64 lower-case hex digits. */
    static boolean isSha256(String s) {
        return ContentStore.isSha256(s);
    }
}
