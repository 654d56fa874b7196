package dev.sluice.engine.run;

import java.time.Instant;
import java.util.List;

/**
 * What the {@link Decider} sees of a run: its state, its tasks in plan (topological) order, and
 * how many more tasks may be started now.
 */
public record Snapshot(RunState run, List<TaskView> tasks, int freeSlots) {

    /** A task as the decider needs it. */
    public record TaskView(String id, StepState state, List<String> needs, boolean hasCondition, Instant notBefore) {
        public TaskView {
            needs = List.copyOf(needs);
        }
    }

    public Snapshot {
        tasks = List.copyOf(tasks);
    }
}
