package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change.CreateRun;
import dev.sluice.engine.store.Change.FinishAttempt;
import dev.sluice.engine.store.Change.SetRunState;
import dev.sluice.engine.store.Change.SetTaskState;
import dev.sluice.engine.store.Change.StartAttempt;
import dev.sluice.worker.protocol.Artifact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for store records and changes, so tests say only what matters to them. */
final class StoreFixtures {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private StoreFixtures() {}

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static RunRecord run(String id) {
        return run(id, "churn", RunState.QUEUED, T0);
    }

    static RunRecord run(String id, String pipeline, RunState status, Instant createdAt) {
        return new RunRecord(id, pipeline, 1, status, Map.of("rows", 5000L), createdAt, "manual", createdAt,
                null, null, null, null, null);
    }

    static TaskRecord task(String runId, String taskId, int position) {
        return new TaskRecord(runId, taskId, taskId.replaceAll("\\[.*", ""), position, Map.of(), StepState.PENDING,
                null, 0, 0, false, null, null, null, null);
    }

    static CreateRun create(RunRecord run, String... taskIds) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < taskIds.length; i++) {
            tasks.add(task(run.id(), taskIds[i], i));
        }
        return new CreateRun(run, tasks);
    }

    static SetRunState runState(String runId, RunState from, RunState to, Instant at) {
        return new SetRunState(runId, from, to, at, null);
    }

    static SetTaskState taskState(String runId, String taskId, StepState from, StepState to, Instant at) {
        return new SetTaskState(runId, taskId, from, to, null, at, null, null, null, null, null);
    }

    static StartAttempt start(String runId, String taskId, int attempt, Instant at) {
        return new StartAttempt(new AttemptRecord(runId, taskId, attempt, "RUNNING", "local", at, null, null, null,
                null, false, true));
    }

    static FinishAttempt finish(String runId, String taskId, int attempt, String status, Instant at,
            List<Artifact> outputs, Map<String, Double> metrics, List<Artifact> inputs) {
        return new FinishAttempt(runId, taskId, attempt, status, null, at, "SUCCEEDED".equals(status) ? 0 : 1,
                "SUCCEEDED".equals(status) ? null : "exit code 1", null, true, outputs, metrics, inputs);
    }

    static FinishAttempt succeed(String runId, String taskId, int attempt, Instant at) {
        return finish(runId, taskId, attempt, "SUCCEEDED", at, List.of(), Map.of(), List.of());
    }

    static Artifact file(String task, String path, String content) {
        return new Artifact(task, path, JdbcStore.sha256(content), content.length());
    }
}
