package dev.sluice.engine.report;

import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;

/** The stored log of one attempt of a step, as {@code sluice logs} and the API serve it. */
public final class StepLog {

    /** The step, or the attempt asked for, does not exist; the message says which. */
    public static final class Missing extends RuntimeException {
        Missing(String message) {
            super(message);
        }
    }

    private StepLog() {}

    /**
     * @param attempt the attempt number, or null for the latest
     * @throws Missing when the run has no such step or the step no such attempt
     */
    public static String read(Store store, String runId, String stepId, Integer attempt) {
        TaskRecord task = store.tasks(runId).stream().filter(t -> t.taskId().equals(stepId)).findFirst()
                .orElseThrow(() -> new Missing("run " + runId + " has no step '" + stepId + "'"));
        int n = attempt != null ? attempt : task.attempts();
        if (n < 1 || n > task.attempts()) {
            throw new Missing(task.attempts() == 0
                    ? "step '" + stepId + "' has not run (" + task.status() + (task.reason() == null ? "" : ": " + task.reason()) + ")"
                    : "step '" + stepId + "' has attempts 1 to " + task.attempts());
        }
        return store.log(runId, stepId, n);
    }
}
