package dev.sluice.engine.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Sluice keeps its state; shared by every command that opens the store. */
final class StoreOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder for the embedded database, artifacts and scratch space "
                    + "(default: $SLUICE_DATA_DIR or ~/.sluice).")
    Path dataDir;

    @Option(names = "--db", paramLabel = "URL",
            description = "A jdbc:postgresql: URL to use PostgreSQL instead of the embedded H2 database "
                    + "(credentials in the URL or SLUICE_DB_USER / SLUICE_DB_PASSWORD).")
    String db;

    @Option(names = "--artifacts", paramLabel = "s3://BUCKET/PREFIX",
            description = {"Where step outputs are kept: s3://bucket/prefix for an S3-compatible object store (endpoint, region, "
                    + "credentials from the AWS settings: AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE...; "
                    + "SLUICE_S3_PATH_STYLE), or a folder (default: $SLUICE_ARTIFACTS, else the data dir's artifacts folder).",
                    "With S3 the data dir's artifacts folder is a verified cache. See docs/artifacts.md."})
    String artifacts = System.getenv("SLUICE_ARTIFACTS");

    Path dataDir() {
        if (dataDir != null) return dataDir.toAbsolutePath().normalize();
        String env = System.getenv("SLUICE_DATA_DIR");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath().normalize();
        // $HOME first, as command-line tools do; Java's user.home comes from the password database
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".sluice");
    }
}
