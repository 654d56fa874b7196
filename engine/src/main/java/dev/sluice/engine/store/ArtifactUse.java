package dev.sluice.engine.store;

/**
 * An attempt that produced ({@code consumed} false) or consumed an artifact, at a path: the
 * producing step's output path, or {@code <upstream task>/<path>} for an input.
 */
public record ArtifactUse(String runId, String taskId, int attempt, String path, boolean consumed) {}
