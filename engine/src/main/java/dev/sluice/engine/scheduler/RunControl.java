package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the API and the cron service ask of whoever runs the runs: this process's {@link Scheduler},
 * or, on a server that is not the cluster's leader, the leader reached over the event bus.
 */
public interface RunControl {

    /** Starts a run stored QUEUED; the future completes when it ends (or when it was handed on). */
    CompletableFuture<RunRecord> start(Plan plan, RunRecord run, List<TaskRecord> tasks);

    /**
     * Cancels a run: queued steps are CANCELLED, running ones killed.
     *
     * @throws Unreachable when the ask could not be handed to the leader: nothing was done
     */
    void cancel(String runId);

    /**
     * Runs the failed, skipped and cancelled steps of a FAILED or CANCELLED run again.
     *
     * @throws Unreachable when the ask could not be handed to the leader: nothing was done
     */
    CompletableFuture<RunRecord> retry(Plan plan, String runId);

    /** Whether a run owned by {@code owner} (another process) can be cancelled through this control. */
    default boolean reaches(String owner) {
        return false;
    }

    /**
     * A follower could not hand a cancel or a retry to the leader (none is elected yet, or it did not
     * answer in time): the ask was not taken, and saying so lets the caller try again.
     */
    final class Unreachable extends IllegalStateException {
        public Unreachable(String message) {
            super(message);
        }
    }
}
