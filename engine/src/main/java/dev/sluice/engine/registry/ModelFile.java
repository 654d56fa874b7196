package dev.sluice.engine.registry;

import java.util.Objects;

/**
 * One stored file of a model version.
 *
 * @param path   for a file version, the file's name; for a folder, its path inside the folder ({@code /} separators)
 * @param sha256 the artifact's content hash (lower-case hex)
 */
public record ModelFile(String path, String sha256, long size) {
    public ModelFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
