package dev.sluice.engine.run;

import java.time.Instant;
import java.util.List;

/**
 * What the {@link Decider} sees of a run. Only the tasks that may change now are listed — PENDING
 * tasks some of whose needs ended since the last decision, and QUEUED tasks — so a decision costs
 * what changed, not the size of the run; the rest is read through {@link Graph}.
 *
 * @param pending    PENDING tasks to look at, any order
 * @param queued     QUEUED tasks, in plan order
 * @param unfinished how many tasks of the run are not in a terminal state
 * @param failed     how many tasks are FAILED
 * @param cancelled  how many tasks are CANCELLED
 */
public record Snapshot(RunState run, List<TaskView> pending, List<TaskView> queued, Graph graph, int freeSlots,
        int unfinished, int failed, int cancelled) {

    /** A task as the decider needs it; {@code position} is its index in the plan's topological order. */
    public record TaskView(String id, int position, StepState state, List<String> needs, boolean hasCondition,
            Instant notBefore) {
        public TaskView {
            needs = List.copyOf(needs);
        }
    }

    /** Read-only access to the rest of the run. */
    public interface Graph {
        StepState state(String taskId);

        /** The tasks that need this one. */
        List<TaskView> dependents(String taskId);
    }

    public Snapshot {
        pending = List.copyOf(pending);
        queued = List.copyOf(queued);
    }
}
