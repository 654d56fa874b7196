package dev.sluice.engine.scheduler;

import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;

/** Told of every committed state change, on the scheduler thread: keep it quick. */
public interface RunListener {

    default void runChanged(RunRecord run) {}

    default void taskChanged(RunRecord run, TaskRecord task) {}

    RunListener NONE = new RunListener() {};
}
