package dev.sluice.engine.store;

import java.time.Instant;

/**
 * One stored state change of a run or of one of its tasks, numbered in commit order.
 *
 * @param taskId  the task that changed, or null when the run itself changed
 * @param attempt the task's attempt count after the change (0 before its first); null for the run
 */
public record RunEventRecord(long id, String runId, Instant at, String taskId, String status, Integer attempt, String reason) {

    public boolean ofRun() {
        return taskId == null;
    }
}
