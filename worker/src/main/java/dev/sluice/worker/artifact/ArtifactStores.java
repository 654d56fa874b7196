package dev.sluice.worker.artifact;

import java.nio.file.Path;
import java.util.Map;

/** Opens the artifact store an {@code --artifacts} option names. */
public final class ArtifactStores {

    private ArtifactStores() {
    }

    /**
     * @param spec  {@code s3://bucket/prefix}, a folder, or null/blank for {@code local}
     * @param local the default folder; for S3, the folder of the verified local cache
     * @param env   where {@link S3Settings#fromEnvironment} reads the endpoint, region and path style
     * @throws IllegalArgumentException with a message for people
     */
    public static ArtifactStore open(String spec, Path local, Map<String, String> env) {
        if (spec == null || spec.isBlank()) {
            return new ContentStore(local);
        }
        if (S3Location.looksLike(spec)) {
            S3Location where = S3Location.parse(spec.strip());
            S3Settings settings = S3Settings.fromEnvironment(env);
            return new S3ArtifactStore(settings::client, where, local, S3ArtifactStore.DEFAULT_PART_SIZE);
        }
        if (spec.contains("://")) {
            throw new IllegalArgumentException("--artifacts " + spec + ": give s3://bucket/prefix or a folder");
        }
        return new ContentStore(Path.of(spec).toAbsolutePath().normalize());
    }
}
