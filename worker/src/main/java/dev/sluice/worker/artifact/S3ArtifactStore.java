package dev.sluice.worker.artifact;

import dev.sluice.worker.protocol.Artifact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Contents in an S3-compatible bucket, under {@code prefix/ab/abcdef…}, with a {@link ContentStore}
 * on this machine as a verified cache.
 *
 * <ul>
 *   <li><b>put</b>: the file is first copied into the cache while it is hashed (what is uploaded is
 *       what was hashed, even if the step that wrote the file still changes it); then a HEAD on the
 *       key: an object there is the same content (idempotent puts); else one PUT with the content's
 *       length and {@code Content-MD5} (the server refuses a body that does not match), or for files
 *       larger than the part size a multipart upload, each part with its own {@code Content-MD5}. Both become visible under the key only once complete: a
 *       cut upload leaves nothing (an incomplete multipart upload is aborted). An object of another
 *       length under the key is not this content: it is replaced.</li>
 *   <li><b>read</b> ({@link #materialize}, {@link #localFile}): a content missing from the cache is
 *       downloaded into a temporary file while hashed, and enters the cache only when it matches its
 *       name; a mismatch fails with {@link CorruptContentException} and nothing is kept. So the API
 *       serves, and steps get, only verified bytes from the cache (stage, verify, then serve).</li>
 *   <li><b>contains</b>: a HEAD on the key (the bucket is the truth, not the cache).</li>
 * </ul>
 * The cache may be deleted at any time; it refills on demand.
 */
public final class S3ArtifactStore implements ArtifactStore {

    /** Files up to this size go in one PUT; larger ones in parts of this size (S3 allows 5 MiB to 5 GiB). */
    public static final long DEFAULT_PART_SIZE = 64L * 1024 * 1024;

    /** How many HEAD requests {@link #firstMissing} has in flight. */
    static final int PARALLEL_HEADS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final Supplier<S3Client> connect;
    /** Made at first use: commands that never touch an artifact make no client (no region lookup). */
    private S3Client s3;
    private final S3Location where;
    private final ContentStore cache;
    private final long partSize;

    /**
     * @param s3       closed with this store
     * @param cache    a folder for verified local copies
     * @param partSize the multipart threshold and part size (at least 5 MiB for S3 itself)
     */
    public S3ArtifactStore(S3Client s3, S3Location where, Path cache, long partSize) {
        this(() -> s3, where, cache, partSize);
        Objects.requireNonNull(s3, "s3");
    }

    /** @param connect makes the client at first use; it is closed with this store */
    public S3ArtifactStore(Supplier<S3Client> connect, S3Location where, Path cache, long partSize) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.where = Objects.requireNonNull(where, "where");
        this.cache = new ContentStore(cache);
        if (partSize < 1) throw new IllegalArgumentException("partSize must be positive");
        this.partSize = partSize;
    }

    @Override
    public Artifact put(String from, String relPath, Path file) throws IOException {
        Artifact a = cache.put(from, relPath, file);
        upload(a.sha256(), a.size());
        return a;
    }

    /** Puts a content of the cache into the bucket unless it is there already. */
    private void upload(String sha256, long size) throws IOException {
        Optional<HeadObjectResponse> head = head(sha256);
        if (head.isPresent()) {
            Long length = head.get().contentLength();
            if (length == null || length == size) {
                return; // same name, same content (readers verify the bytes anyway)
            }
            // not this content (a hash names one): replaced by the verified bytes, atomically for readers
            LOG.warn("{}{} holds {} bytes, not the {} of its content: replacing it", where, sha256, length, size);
        }
        Path file = cache.path(sha256);
        String key = where.key(sha256);
        try {
            if (size <= partSize) {
                putObject(key, file, size);
            } else {
                multipart(key, file, size);
            }
        } catch (SdkException e) {
            throw new IOException("upload of " + sha256 + " to " + where + " failed: " + e.getMessage(), e);
        }
        LOG.debug("stored {} ({} bytes) in {}", sha256, size, where);
    }

    /**
     * One PUT with the body's {@code Content-MD5}, which every S3-compatible server checks (a body
     * that does not match is refused, nothing is stored). Not {@code x-amz-checksum-sha256}: servers
     * that do not implement it answer 501 while the body is still being sent, and the connection
     * reset that follows cannot be told from a network failure.
     */
    private void putObject(String key, Path file, long size) throws IOException {
        String md5 = md5(file, 0, size);
        s3().putObject(b -> b.bucket(where.bucket()).key(key).contentLength(size).contentType("application/octet-stream").contentMD5(md5),
                RequestBody.fromFile(file));
    }

    /** The base64 MD5 of {@code length} bytes of {@code file} from {@code offset}. */
    private static String md5(Path file, long offset, long length) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
        try (InputStream in = slice(file, offset, length)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) digest.update(buffer, 0, n);
        }
        return Base64.getEncoder().encodeToString(digest.digest());
    }

    private void multipart(String key, Path file, long size) throws IOException {
        String uploadId = s3().createMultipartUpload(b -> b.bucket(where.bucket()).key(key).contentType("application/octet-stream")).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                long at = offset;
                int n = number;
                String md5 = md5(file, at, length);
                String etag = s3().uploadPart(b -> b.bucket(where.bucket()).key(key).uploadId(uploadId).partNumber(n).contentLength(length)
                                .contentMD5(md5),
                        RequestBody.fromContentProvider(() -> slice(file, at, length), length, "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3().completeMultipartUpload(b -> b.bucket(where.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException | IOException e) {
            try {
                s3().abortMultipartUpload(b -> b.bucket(where.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public boolean contains(String sha256) throws IOException {
        return head(sha256).isPresent();
    }

    /** HEADs {@value #PARALLEL_HEADS} at a time: a step with a thousand outputs is checked in tens of round trips, not a thousand. */
    @Override
    public Optional<String> firstMissing(Collection<String> sha256s) throws IOException {
        List<String> all = List.copyOf(new LinkedHashSet<>(sha256s));
        all.forEach(cache::path); // checks every id first
        if (all.size() <= 1) return ArtifactStore.super.firstMissing(all);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_HEADS, all.size()), r -> {
            Thread t = new Thread(r, "sluice-s3-head");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Boolean>> found = new ArrayList<>(all.size());
            for (String sha : all) found.add(pool.submit(() -> contains(sha)));
            for (int i = 0; i < all.size(); i++) {
                if (!found.get(i).get()) return Optional.of(all.get(i));
            }
            return Optional.empty();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public Path localFile(String sha256) throws IOException {
        Path cached = cache.path(sha256); // checks the id
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        String key = where.key(sha256);
        try (ResponseInputStream<GetObjectResponse> in = s3().getObject(b -> b.bucket(where.bucket()).key(key))) {
            cache.putVerified(in, sha256, where.bucket() + "/" + key);
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(where + key.substring(where.prefix().length()), null, "content not in the store");
        } catch (CorruptContentException e) {
            LOG.error("{}: refusing it (never served, never given to a step)", e.getMessage());
            throw e;
        } catch (SdkException e) {
            throw new IOException("download of " + sha256 + " from " + where + " failed: " + e.getMessage(), e);
        }
        return cached;
    }

    @Override
    public void list(Consumer<Stored> visitor) throws IOException {
        try {
            for (S3Object o : s3().listObjectsV2Paginator(b -> b.bucket(where.bucket()).prefix(where.prefix())).contents()) {
                String rest = o.key().substring(where.prefix().length());
                int slash = rest.indexOf('/');
                String name = slash == 2 ? rest.substring(3) : "";
                if (ContentStore.isSha256(name) && name.startsWith(rest.substring(0, 2))) {
                    visitor.accept(new Stored(name, o.size() == null ? 0 : o.size()));
                }
            }
        } catch (SdkException e) {
            throw new IOException("listing " + where + " failed: " + e.getMessage(), e);
        }
    }

    /** Deletes the object, then the cached copy (a reader racing the delete may still get the content: it was valid). */
    @Override
    public boolean delete(String sha256) throws IOException {
        boolean had = contains(sha256);
        if (had) {
            String key = where.key(sha256);
            try {
                s3().deleteObject(b -> b.bucket(where.bucket()).key(key));
            } catch (SdkException e) {
                throw new IOException("delete of " + sha256 + " from " + where + " failed: " + e.getMessage(), e);
            }
        }
        cache.delete(sha256);
        return had;
    }

    @Override
    public Path scratch() {
        return cache.scratch();
    }

    @Override
    public String location() {
        return where.toString();
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** The local cache (tests, and whoever cleans it). */
    public ContentStore cache() {
        return cache;
    }

    private synchronized S3Client s3() {
        if (s3 == null) s3 = connect.get();
        return s3;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) s3.close();
    }

    private Optional<HeadObjectResponse> head(String sha256) throws IOException {
        String key = where.key(cache.path(sha256).getFileName().toString()); // checks the id
        try {
            return Optional.of(s3().headObject(b -> b.bucket(where.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw new IOException("HEAD " + where.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("HEAD " + where.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}, as a stream of their own. */
    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new FilterInputStream(Channels.newInputStream(channel)) {
                long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) return -1;
                    int b = super.read();
                    if (b >= 0) left--;
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (left <= 0) return -1;
                    int n = super.read(buf, off, (int) Math.min(len, left));
                    if (n > 0) left -= n;
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long skipped = super.skip(Math.min(n, left));
                    left -= skipped;
                    return skipped;
                }

                @Override
                public int available() throws IOException {
                    return (int) Math.min(super.available(), left);
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[" + where + "]";
    }
}
