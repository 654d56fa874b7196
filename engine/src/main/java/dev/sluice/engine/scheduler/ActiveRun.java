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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The scheduler's in-memory mirror of one run, confined to the scheduler thread. It is changed only
 * together with the store changes that say the same, so it always equals what was committed. It
 * also keeps what makes a decision cost what changed rather than the size of the run: the PENDING
 * tasks worth looking at, the QUEUED ones in plan order, and counts of unfinished, failed and
 * cancelled tasks.
 */
final class ActiveRun implements Snapshot.Graph {

    final Plan plan;
    final Map<String, Task> tasksById;
    final CompletableFuture<RunRecord> done;
    RunRecord record;
    final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    final Map<String, List<Artifact>> outputs = new HashMap<>();
    final Map<String, Map<String, Double>> metrics = new HashMap<>();
    /** inputs handed to each running attempt, recorded as lineage when it finishes */
    final Map<AttemptKey, List<Artifact>> inputs = new HashMap<>();
    /** cache keys of running attempts of cached steps, stored when they succeed */
    final Map<AttemptKey, String> cacheKeys = new HashMap<>();
    boolean cancelRequested;
    /** the model versions this run pinned at its start, loaded on first use; null until then */
    List<dev.sluice.engine.registry.PinnedModel> pinned;
    /** the run's code version as stored (JSON values), loaded on first use; null until then */
    Map<String, Object> code;
    /** the models of each task about to be dispatched, by task id */
    final Map<String, List<ModelInputs.Resolved>> models = new HashMap<>();
    /** attempts a stopped engine left RUNNING, ended when the run is taken over */
    final List<AttemptKey> orphanedAttempts = new ArrayList<>();
    /** how many tasks are RUNNING */
    int running;
    /** the earliest retry delay still running, from the last decision */
    Instant wakeAt;

    private final Map<String, List<String>> dependents = new HashMap<>();
    private final Map<String, List<String>> tasksOfStep = new HashMap<>();
    private final Set<String> candidates = new LinkedHashSet<>();
    private final TreeMap<Integer, String> queued = new TreeMap<>();
    private int unfinished;
    private int failed;
    private int cancelled;

    ActiveRun(Plan plan, RunRecord record, List<TaskRecord> taskRecords) {
        this(plan, record, taskRecords, new CompletableFuture<>());
    }

    /** A run whose future was handed out before: a run that waited for room, now started. */
    ActiveRun(Plan plan, RunRecord record, List<TaskRecord> taskRecords, CompletableFuture<RunRecord> done) {
        this.done = done;
        this.plan = plan;
        this.tasksById = plan.byId();
        this.record = record;
        for (Task t : plan.tasks()) {
            tasksOfStep.computeIfAbsent(t.stepId(), k -> new ArrayList<>()).add(t.id());
            for (String need : t.needs()) dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(t.id());
        }
        for (TaskRecord t : taskRecords) {
            tasks.put(t.taskId(), t);
            count(t, +1);
            if (t.status() == StepState.PENDING) candidates.add(t.taskId());
        }
    }

    String id() {
        return record.id();
    }

    /** The task ids of a step: one, or every variant of a matrix step. */
    List<String> tasksOfStep(String stepId) {
        return tasksOfStep.getOrDefault(stepId, List.of());
    }

    /** The tasks that may change now; taking a snapshot consumes the PENDING candidates. */
    Snapshot snapshot(int freeSlots) {
        List<Snapshot.TaskView> pending = new ArrayList<>(candidates.size());
        for (String id : candidates) pending.add(view(id));
        candidates.clear();
        List<Snapshot.TaskView> waiting = new ArrayList<>(queued.size());
        for (String id : queued.values()) waiting.add(view(id));
        return new Snapshot(record.status(), pending, waiting, this, freeSlots, unfinished, failed, cancelled);
    }

    @Override
    public StepState state(String taskId) {
        return tasks.get(taskId).status();
    }

    @Override
    public List<Snapshot.TaskView> dependents(String taskId) {
        List<String> ids = dependents.getOrDefault(taskId, List.of());
        List<Snapshot.TaskView> views = new ArrayList<>(ids.size());
        for (String id : ids) views.add(view(id));
        return views;
    }

    private Snapshot.TaskView view(String taskId) {
        Task t = tasksById.get(taskId);
        TaskRecord r = tasks.get(taskId);
        return new Snapshot.TaskView(taskId, r.position(), r.status(), t.needs(), t.step().condition() != null, r.notBefore());
    }

    void setRun(RunState status, Instant at, String reason) {
        RunRecord r = record;
        Instant started = status == RunState.RUNNING && r.startedAt() == null ? at : r.startedAt();
        Instant ended = status.terminal() ? at : null;
        record = new RunRecord(r.id(), r.pipeline(), r.version(), status, r.params(), r.logicalDate(), r.trigger(),
                r.createdAt(), started, ended, r.owner(), r.heartbeatAt(), reason, r.triggerInfo(), r.triggerKey());
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
        count(t, -1);
        count(n, +1);
        if (next.terminal()) {
            for (String d : dependents.getOrDefault(taskId, List.of())) {
                if (tasks.get(d).status() == StepState.PENDING) candidates.add(d);
            }
        } else if (next == StepState.PENDING) {
            candidates.add(taskId);
        }
        return n;
    }

    private void count(TaskRecord t, int sign) {
        StepState s = t.status();
        if (!s.terminal()) unfinished += sign;
        if (s == StepState.FAILED) failed += sign;
        if (s == StepState.CANCELLED) cancelled += sign;
        if (s == StepState.RUNNING) running += sign;
        if (s == StepState.QUEUED) {
            if (sign > 0) queued.put(t.position(), t.taskId());
            else queued.remove(t.position());
        }
    }
}
