package dev.sluice.worker.artifact;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import static org.awaitility.Awaitility.await;

/**
 * A real S3-protocol server in this JVM (s3proxy over a jclouds file-system blob store) on a free
 * loopback port, with signed requests (AWS v2 or v4) and one bucket.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "sluice-test";
    static final String SECRET_KEY = "sluice-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    final String bucket;

    S3Server(Path dir, String bucket) throws Exception {
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

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    S3Settings settings() {
        return new S3Settings(Optional.of(endpoint()), Optional.of("us-east-1"), Optional.empty(),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))));
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
