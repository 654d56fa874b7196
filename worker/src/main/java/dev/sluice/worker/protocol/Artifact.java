package dev.sluice.worker.protocol;

import java.util.Objects;

/**
 * A stored file: its content hash and size, and where it sits.
 *
 * @param from   for an input, the upstream task id (the subfolder of {@code $SLUICE_INPUTS});
 *               for an output, the producing task id
 * @param path   relative path with {@code /} separators, under the outputs folder
 * @param sha256 lower-case hex
 */
public record Artifact(String from, String path, String sha256, long size) {
    public Artifact {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
