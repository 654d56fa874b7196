package dev.sluice.worker.artifact;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The contract against s3proxy; each test under a prefix of its own, each store with a fresh cache. */
class S3ArtifactStoreContractTest extends ArtifactStoreContract {

    @TempDir
    static Path shared;
    private static S3Server server;
    private String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3Server(Files.createDirectories(shared.resolve("s3")), "contract");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newPrefix() {
        prefix = UUID.randomUUID() + "/";
    }

    @Override
    ArtifactStore store() {
        return new S3ArtifactStore(server.settings().client(), new S3Location(server.bucket, prefix),
                temp.resolve("cache-" + UUID.randomUUID()), S3ArtifactStore.DEFAULT_PART_SIZE);
    }
}
