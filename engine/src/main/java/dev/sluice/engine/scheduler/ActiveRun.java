package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Task;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.Snapshot;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The scheduler's in-memory mirror of one run, confined to the scheduler thread. It is changed only
 * together with the store changes that say the same, so it always equals what was committed.
 */
final class ActiveRun {

    final Plan plan;
    final Map<String, Task> tasksById;
    final CompletableFuture<RunRecord> done = new CompletableFuture<>();
    RunRecord record;
    final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    final Map<String, List<Artifact>> outputs = new HashMap<>();
    final Map<String, Map<String, Double>> metrics = new HashMap<>();
    /** inputs handed to each running attempt, recorded as lineage when it finishes */
    final Map<AttemptKey, List<Artifact>> inputs = new HashMap<>();
    /** cache keys of running attempts of cached steps, stored when they succeed */
    final Map<AttemptKey, String> cacheKeys = new HashMap<>();
    boolean cancelRequested;
    /** how many tasks are RUNNING, kept by {@link #setTask} */
    int running;
    /** the earliest retry delay still running, from the last decision */
    Instant wakeAt;

    ActiveRun(Plan plan, RunRecord record, List<TaskRecord> taskRecords) {
        this.plan = plan;
        this.tasksById = plan.byId();
        this.record = record;
        for (TaskRecord t : taskRecords) {
            tasks.put(t.taskId(), t);
            if (t.status() == StepState.RUNNING) running++;
        }
    }

    String id() {
        return record.id();
    }

    Snapshot snapshot(int freeSlots) {
        List<Snapshot.TaskView> views = new ArrayList<>(tasks.size());
        for (Task t : plan.tasks()) {
            TaskRecord r = tasks.get(t.id());
            views.add(new Snapshot.TaskView(t.id(), r.status(), t.needs(), t.step().condition() != null, r.notBefore()));
        }
        return new Snapshot(record.status(), views, freeSlots);
    }


    void setRun(RunState status, Instant at, String reason) {
        RunRecord r = record;
        Instant started = status == RunState.RUNNING && r.startedAt() == null ? at : r.startedAt();
        Instant ended = status.terminal() ? at : null;
        record = new RunRecord(r.id(), r.pipeline(), r.version(), status, r.params(), r.logicalDate(), r.trigger(),
                r.createdAt(), started, ended, r.owner(), r.heartbeatAt(), reason);
    }

    /** Mirror of {@link dev.sluice.engine.store.Change.SetTaskState}: null keeps, except reason and notBefore. */
    TaskRecord setTask(String taskId, StepState next, String reason, Instant at, Integer attempts, Integer retriesUsed,
            Boolean cached, Instant notBefore, Integer exitCode) {
        TaskRecord t = tasks.get(taskId);
        Instant started = next == StepState.RUNNING ? at : t.startedAt();
        Instant ended = next.terminal() ? at : (t.status().terminal() ? null : t.endedAt());
        TaskRecord n = new TaskRecord(t.runId(), t.taskId(), t.stepId(), t.position(), t.matrix(), next, reason,
                attempts != null ? attempts : t.attempts(), retriesUsed != null ? retriesUsed : t.retriesUsed(),
                cached != null ? cached : t.cached(), notBefore, started, ended, exitCode != null ? exitCode : t.exitCode());
        tasks.put(taskId, n);
        if (t.status() == StepState.RUNNING) running--;
        if (next == StepState.RUNNING) running++;
        return n;
    }
}
