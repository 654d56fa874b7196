package dev.sluice.worker.protocol;

import java.util.Objects;

/** Identity of one attempt; attempts count from 1. */
public record AttemptKey(String runId, String taskId, int attempt) {
    public AttemptKey {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        if (attempt < 1) throw new IllegalArgumentException("attempt < 1");
    }

    @Override
    public String toString() {
        return runId + "/" + taskId + "#" + attempt;
    }
}
