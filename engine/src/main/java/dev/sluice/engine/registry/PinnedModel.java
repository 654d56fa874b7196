package dev.sluice.engine.registry;

import java.util.Objects;

/**
 * A model reference of one task, resolved when its run started and kept for the whole run (its
 * retries and reruns use the same version).
 *
 * @param ref     as written, e.g. {@code heart-disease@champion}
 * @param version null (and sha256 null) when the reference resolved to nothing: the task fails
 */
public record PinnedModel(String taskId, String key, String ref, String model, Integer version, String sha256) {

    public PinnedModel {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(model, "model");
    }

    public boolean resolved() {
        return version != null;
    }
}
