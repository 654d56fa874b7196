package dev.sluice.engine.app;

import dev.sluice.worker.artifact.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import static org.awaitility.Awaitility.await;

/**
 * A real S3-protocol server in the test JVM (s3proxy over a jclouds file-system blob store) on a
 * free loopback port, with signed requests and one bucket; {@link #env()} is what a server or
 * worker process needs to reach it, as a user would set it for MinIO.
 */
public final class S3TestServer implements AutoCloseable {

    static final String ACCESS_KEY = "sluice-test";
    static final String SECRET_KEY = "sluice-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    public final String bucket;

    public S3TestServer(Path dir, String bucket) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(props)
                .build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, bucket);
        this.bucket = bucket;
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        await().until(() -> "STARTED".equals(proxy.getState()));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Settings for a client in this JVM. */
    public S3Settings settings() {
        return new S3Settings(Optional.of(endpoint()), Optional.of("us-east-1"), Optional.empty(),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))));
    }

    /** The standard AWS variables a process needs (path style follows from the endpoint). */
    public Map<String, String> env() {
        return Map.of("AWS_ENDPOINT_URL", endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
