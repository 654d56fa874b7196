package dev.sluice.engine.scheduler;

import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.util.List;

/** Told of every committed state change, on the scheduler thread: keep it quick. */
public interface RunListener {

    default void runChanged(RunRecord run) {}

    default void taskChanged(RunRecord run, TaskRecord task) {}

    RunListener NONE = new RunListener() {};

    /** One listener telling each of {@code listeners} in turn. */
    static RunListener all(RunListener... listeners) {
        List<RunListener> each = List.of(listeners);
        return new RunListener() {
            @Override
            public void runChanged(RunRecord run) {
                for (RunListener l : each) l.runChanged(run);
            }

            @Override
            public void taskChanged(RunRecord run, TaskRecord task) {
                for (RunListener l : each) l.taskChanged(run, task);
            }
        };
    }
}
