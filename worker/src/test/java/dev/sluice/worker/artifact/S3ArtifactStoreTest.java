package dev.sluice.worker.artifact;

import dev.sluice.worker.protocol.Artifact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ArtifactStoreTest {

    /** sha256 of "hello\n". */
    private static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    private static final long PART = 5L * 1024 * 1024;

    @TempDir
    static Path shared;
    private static S3Server server;
    private static S3Client admin;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3Server(Files.createDirectories(shared.resolve("s3")), "artifacts");
        admin = server.settings().client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        admin.close();
        server.close();
    }

    /** A store under a prefix of its own (tests do not see each other's objects), with a fresh cache. */
    private S3ArtifactStore store(String prefix) {
        return new S3ArtifactStore(server.settings().client(), new S3Location(server.bucket, prefix), temp.resolve("cache-" + UUID.randomUUID()),
                PART);
    }

    /** The objects under a prefix (without the folder markers s3proxy's file-system store lists). */
    private List<String> keys(String prefix) {
        return admin.listObjectsV2Paginator(b -> b.bucket(server.bucket).prefix(prefix)).contents().stream().map(S3Object::key)
                .filter(k -> !k.endsWith("/")).toList();
    }

    @Test
    void storesUnderTheHashAndAnotherMachineReadsItBack() throws Exception {
        String prefix = "runs/" + UUID.randomUUID() + "/";
        try (S3ArtifactStore writer = store(prefix); S3ArtifactStore reader = store(prefix)) {
            Artifact a = writer.put("extract", "data/raw.txt", Files.writeString(temp.resolve("f"), "hello\n"));

            assertThat(a).isEqualTo(new Artifact("extract", "data/raw.txt", HELLO, 6));
            assertThat(keys(prefix)).containsExactly(prefix + "58/" + HELLO);
            assertThat(reader.contains(HELLO)).isTrue();
            reader.materialize(HELLO, temp.resolve("inputs/extract/data/raw.txt"));
            assertThat(Files.readString(temp.resolve("inputs/extract/data/raw.txt"))).isEqualTo("hello\n");
            assertThat(Files.readString(reader.localFile(HELLO))).isEqualTo("hello\n");
            assertThat(reader.location()).isEqualTo("s3://artifacts/" + prefix);
            assertThat(reader.shared()).isTrue();
        }
    }

    @Test
    void putsAContentAlreadyStoredOnlyOnce() throws Exception {
        String prefix = UUID.randomUUID() + "/";
        try (S3ArtifactStore first = store(prefix); S3ArtifactStore second = store(prefix)) {
            first.put("a", "x", Files.writeString(temp.resolve("f1"), "hello\n"));
            String etag = admin.headObject(b -> b.bucket(server.bucket).key(prefix + "58/" + HELLO)).eTag();
            // the object is replaced behind the store's back by other bytes of the same length: a second
            // put must not write (it HEADs first), so what it finds stays as it is
            admin.putObject(b -> b.bucket(server.bucket).key(prefix + "58/" + HELLO), RequestBody.fromString("HELLO\n"));
            String replaced = admin.headObject(b -> b.bucket(server.bucket).key(prefix + "58/" + HELLO)).eTag();

            Artifact again = second.put("b", "y", Files.writeString(temp.resolve("f2"), "hello\n"));

            assertThat(again.sha256()).isEqualTo(HELLO);
            assertThat(replaced).isNotEqualTo(etag);
            assertThat(admin.headObject(b -> b.bucket(server.bucket).key(prefix + "58/" + HELLO)).eTag()).isEqualTo(replaced);
            assertThat(keys(prefix)).hasSize(1);
        }
    }

    /** What the store's uploads rely on: a body that does not match its Content-MD5 is refused, nothing stored. */
    @Test
    void theServerRefusesABodyThatDoesNotMatchItsContentMd5() {
        String key = UUID.randomUUID() + "/58/" + HELLO;
        String md5OfOtherBytes = "1B2M2Y8AsgTpgAmY7PhCfg=="; // MD5 of no bytes

        assertThatThrownBy(() -> admin.putObject(b -> b.bucket(server.bucket).key(key).contentMD5(md5OfOtherBytes),
                RequestBody.fromString("hello\n"))).isInstanceOf(S3Exception.class).hasMessageContaining("400");
        assertThat(keys(key)).isEmpty();
    }

    @Test
    void replacesAnObjectOfAnotherLengthUnderTheName() throws Exception {
        String prefix = UUID.randomUUID() + "/";
        admin.putObject(b -> b.bucket(server.bucket).key(prefix + "58/" + HELLO), RequestBody.fromString("truncated"));
        try (S3ArtifactStore writer = store(prefix); S3ArtifactStore reader = store(prefix)) {
            writer.put("a", "x", Files.writeString(temp.resolve("f"), "hello\n"));

            assertThat(Files.readString(reader.localFile(HELLO))).isEqualTo("hello\n");
        }
    }

    @Test
    void neverServesAnObjectWhoseContentDoesNotMatchItsHash() throws Exception {
        String prefix = UUID.randomUUID() + "/";
        admin.putObject(b -> b.bucket(server.bucket).key(prefix + "58/" + HELLO), RequestBody.fromString("evil\n"));
        try (S3ArtifactStore store = store(prefix)) {
            assertThat(store.contains(HELLO)).isTrue();

            assertThatThrownBy(() -> store.localFile(HELLO)).isInstanceOf(CorruptContentException.class)
                    .hasMessageContaining("does not match its sha256");
            assertThatThrownBy(() -> store.materialize(HELLO, temp.resolve("in/x"))).isInstanceOf(CorruptContentException.class);

            assertThat(temp.resolve("in/x")).doesNotExist();
            assertThat(store.cache().contains(HELLO)).isFalse();
            try (var left = Files.walk(store.cache().root())) {
                assertThat(left.filter(Files::isRegularFile)).isEmpty(); // no partial download left behind
            }
        }
    }

    @Test
    void streamsALargeFileInPartsAndBack() throws Exception {
        String prefix = UUID.randomUUID() + "/";
        Path big = temp.resolve("big.bin");
        String sha = writeRandom(big, 2 * PART + 12_345);
        try (S3ArtifactStore writer = store(prefix); S3ArtifactStore reader = store(prefix)) {
            Artifact a = writer.put("train", "model.bin", big);

            assertThat(a.sha256()).isEqualTo(sha);
            assertThat(a.size()).isEqualTo(2 * PART + 12_345);
            assertThat(admin.headObject(b -> b.bucket(server.bucket).key(prefix + sha.substring(0, 2) + "/" + sha)).contentLength())
                    .isEqualTo(a.size());
            reader.materialize(sha, temp.resolve("copy.bin"));
            assertThat(sha256(temp.resolve("copy.bin"))).isEqualTo(sha);
        }
    }

    @Test
    void anEmptyFileIsAContentToo() throws Exception {
        String prefix = UUID.randomUUID() + "/";
        try (S3ArtifactStore writer = store(prefix); S3ArtifactStore reader = store(prefix)) {
            Artifact a = writer.put("a", "empty", Files.createFile(temp.resolve("empty")));
            reader.materialize(a.sha256(), temp.resolve("out/empty"));
            assertThat(temp.resolve("out/empty")).isEmptyFile();
        }
    }

    @Test
    void readsLocations() {
        assertThat(S3Location.parse("s3://bucket")).isEqualTo(new S3Location("bucket", ""));
        assertThat(S3Location.parse("s3://bucket/")).isEqualTo(new S3Location("bucket", ""));
        assertThat(S3Location.parse("s3://my.bucket/team/sluice")).isEqualTo(new S3Location("my.bucket", "team/sluice/"));
        assertThat(S3Location.parse("s3://bucket/a/").key(HELLO)).isEqualTo("a/58/" + HELLO);
        assertThatThrownBy(() -> S3Location.parse("s3://Bad_Bucket/x")).hasMessageContaining("not a bucket name");
        assertThatThrownBy(() -> S3Location.parse("gs://bucket")).hasMessageContaining("s3://bucket/prefix");
        assertThatThrownBy(() -> S3Location.parse("s3://bucket/a//b")).hasMessageContaining("bad key prefix");
    }

    private static String writeRandom(Path file, long size) throws IOException {
        MessageDigest digest = sha();
        Random random = new Random(7);
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                random.nextBytes(buffer);
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = sha();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
