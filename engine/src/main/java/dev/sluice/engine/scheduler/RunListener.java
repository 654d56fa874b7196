package dev.sluice.engine.scheduler;

import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;

/** Told of every committed state change, on the scheduler thread: keep it quick. */
public interface RunListener {

    default void runChanged(RunRecord run) {}

    default void taskChanged(RunRecord run, TaskRecord task) {}

    RunListener NONE = new RunListener() {};

    /** Tells each listener in turn. */
    static RunListener all(RunListener... listeners) {
        java.util.List<RunListener> each = java.util.List.of(listeners);
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
