package dev.sluice.worker.cluster;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;

/**
 * One accepted attempt on its way from dispatch to an acknowledged result. Only touched on the
 * agent's context.
 */
final class AttemptRun {

    enum Phase {
        /** inputs being downloaded; holds a slot */
        FETCHING,
        /** the process runs; holds a slot */
        RUNNING,
        /** the process ended: outputs being uploaded, then the result sent until acknowledged */
        REPORTING
    }

    final TaskRequest request;
    final AttemptKey key;
    Phase phase = Phase.FETCHING;
    /** the leader asked to cancel while the inputs were being fetched */
    boolean cancelRequested;
    /** the lease was lost while it held a slot: its result must not be sent */
    boolean abandoned;
    TaskResult result;
    /** the attempt's last log lines, sent inside its result message (null until the first send) */
    JsonArray lastLines;
    /** completes when the run is forgotten: its process, if any, has ended */
    final Promise<Void> gone = Promise.promise();

    AttemptRun(TaskRequest request) {
        this.request = request;
        this.key = request.key();
    }

    boolean holdsSlot() {
        return phase != Phase.REPORTING;
    }

    /** {@code [run r] [step s#a]}, the prefix of every log line about this attempt. */
    String prefix() {
        return prefix(key);
    }

    static String prefix(AttemptKey key) {
        return "[run " + key.runId() + "] [step " + key.taskId() + "#" + key.attempt() + "]";
    }
}
