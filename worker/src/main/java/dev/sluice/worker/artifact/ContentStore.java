package dev.sluice.worker.artifact;

import dev.sluice.worker.protocol.Artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A content-addressed file store under one root folder.
 *
 * <p>Each content lives once, at {@code root/ab/abcdef…} (the first two hex digits of its sha256,
 * then the whole hash). {@link #put} hashes while it copies into a temporary file under
 * {@code root/.tmp}, then renames it into place atomically; a content already present is not
 * written again. Stored files are made read-only: they are shared by hard links with the inputs
 * of later attempts, so a step must not modify its inputs in place (a step running as root could,
 * and would corrupt the store).
 *
 * <p>Thread-safe; several workers may share one root on the same file system (two puts of the same
 * content racing both rename identical bytes onto the same name). Reads are not hashed again: a
 * stored file was verified when it was renamed into place and is read-only since.
 */
public final class ContentStore implements ArtifactStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tmp;

    public ContentStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.tmp = this.root.resolve(".tmp");
    }

    /** The store's root folder. */
    public Path root() {
        return root;
    }

    /**
     * Stores a copy of {@code file}'s content.
     *
     * @param from    the producing task id (for the returned artifact)
     * @param relPath the path under the producer's outputs folder, with {@code /} separators
     * @param file    the file to copy (symbolic links are followed)
     * @return where the content came from, its hash and size
     */
    @Override
    public Artifact put(String from, String relPath, Path file) throws IOException {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(relPath, "relPath");
        try (InputStream in = Files.newInputStream(file)) {
            Stored s = store(in, null, file.toString());
            return new Artifact(from, relPath, s.sha256(), s.size());
        }
    }

    /**
     * Stores what {@code in} gives, only if it hashes to {@code expected} (a download from another
     * store): nothing is left under any name otherwise.
     *
     * @return the size
     * @throws CorruptContentException when the bytes hash to something else
     */
    long putVerified(InputStream in, String expected, String where) throws IOException {
        path(expected); // checks the id
        return store(in, expected, where).size();
    }

    /** Copies into a temporary file while hashing, then renames it into place (unless the content is there already). */
    private Stored store(InputStream in, String expected, String where) throws IOException {
        Files.createDirectories(tmp);
        Path temp = Files.createTempFile(tmp, "put-", ".part");
        try {
            MessageDigest digest = sha256();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(temp)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if (expected != null && !expected.equals(sha)) {
                throw new CorruptContentException(where, expected, sha);
            }
            Path target = path(sha);
            // present: mark it in use (retention spares a content touched within its grace); gone
            // meanwhile (retention took it): store this copy
            if (!touch(sha)) {
                Files.createDirectories(target.getParent());
                makeReadOnly(temp);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Stored(sha, size);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Where a content is (or would be) stored.
     *
     * @throws IllegalArgumentException unless {@code sha256} is 64 lower-case hex digits
     */
    public Path path(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a sha256 id: " + printable(sha256));
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /**
     * Whether the content is stored.
     *
     * @throws IllegalArgumentException unless {@code sha256} is 64 lower-case hex digits
     */
    @Override
    public boolean contains(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /**
     * Marks a stored content as in use now (its modification time): retention deletes no content
     * touched within its grace period, so a content a new output or a cache hit is about to reference
     * stays until that reference is committed.
     *
     * @return false when the content is not stored
     * @throws IllegalArgumentException unless {@code sha256} is 64 lower-case hex digits
     */
    @Override
    public boolean touch(String sha256) {
        try {
            Files.setLastModifiedTime(path(sha256), FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return contains(sha256); // a file system that keeps no times: it is there, and that is all we know
        }
    }

    /** The stored file itself (read-only). */
    @Override
    public Path localFile(String sha256) throws IOException {
        Path file = path(sha256);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "content not in the store");
        }
        return file;
    }

    @Override
    public void list(Consumer<Stored> visitor) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root)) {
            for (Path shard : shards) {
                String prefix = shard.getFileName().toString();
                if (prefix.length() != 2 || !Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) continue;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (isSha256(name) && name.startsWith(prefix) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                            visitor.accept(new Stored(name, Files.size(f)));
                        }
                    }
                }
            }
        }
    }

    @Override
    public boolean delete(String sha256) throws IOException {
        return Files.deleteIfExists(path(sha256));
    }

    @Override
    public Path scratch() {
        return tmp;
    }

    @Override
    public String location() {
        return root.toString();
    }

    /** A folder is this machine's (or a shared file system's, which workers do not assume). */
    @Override
    public boolean shared() {
        return false;
    }

    /** Whether {@code s} is a sha256 id as this store spells it: 64 lower-case hex digits. */
    public static boolean isSha256(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void makeReadOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        } catch (UnsupportedOperationException e) {
            file.toFile().setReadOnly();
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
