package dev.sluice.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.app.S3TestServer;
import dev.sluice.worker.artifact.S3ArtifactStore;
import dev.sluice.worker.artifact.S3Location;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same routes over an S3 store (s3proxy in this JVM): a worker without access to the bucket
 * uploads through the server, which puts the content into the bucket; downloads come from the
 * bucket through a verified cache, and an object whose bytes do not match its name is refused.
 */
class S3ClusterUploadTest extends ClusterUploadTest {

    private S3TestServer s3;

    @Override
    ApiServer newServer(Path root) throws Exception {
        s3 = new S3TestServer(Files.createDirectories(root.resolve("s3")), "artifacts");
        return new ApiServer(root, API_TOKEN, ApiServer.fixture("pipelines"), dir -> new S3ArtifactStore(s3.settings().client(),
                S3Location.parse("s3://artifacts/api"), dir, S3ArtifactStore.DEFAULT_PART_SIZE));
    }

    @AfterAll
    void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void anUploadLandsInTheBucket() throws Exception {
        String sha = sha256("into the bucket\n");

        assertThat(send("PUT", "/api/cluster/artifacts/" + sha, ApiServer.UPLOAD_TOKEN, "into the bucket\n").statusCode()).isEqualTo(201);

        try (S3Client admin = s3.settings().client()) {
            assertThat(admin.getObjectAsBytes(r -> r.bucket("artifacts").key("api/" + sha.substring(0, 2) + "/" + sha)).asUtf8String())
                    .isEqualTo("into the bucket\n");
        }
    }

    @Test
    void anObjectWhoseBytesAreNotItsNameIsNeverServed() throws Exception {
        String sha = sha256("the real content\n");
        try (S3Client admin = s3.settings().client()) {
            admin.putObject(r -> r.bucket("artifacts").key("api/" + sha.substring(0, 2) + "/" + sha), RequestBody.fromString("tampered\n"));
        }

        HttpResponse<String> r = send("GET", "/api/artifacts/" + sha, API_TOKEN, null);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("corrupt-artifact").doesNotContain("tampered");
    }
}
