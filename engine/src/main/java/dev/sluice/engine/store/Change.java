package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.MetricPoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One write in a {@link Store#commit} batch. State changes are compare-and-set: they name the state
 * they expect, and the whole batch is rolled back when any expectation does not hold.
 */
public sealed interface Change {

    /**
     * Insert a new run with all its tasks. A run triggered by {@code schedule} is the only one of its
     * pipeline for its logical date: a second is a conflict, as is a run id that exists.
     */
    record CreateRun(RunRecord run, List<TaskRecord> tasks) implements Change {
        public CreateRun {
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * Move a run from {@code expected} to {@code next}. To RUNNING sets startedAt unless set and
     * clears endedAt; to a terminal state sets endedAt. {@code reason} is always written.
     */
    record SetRunState(String runId, RunState expected, RunState next, Instant at, String reason) implements Change {}

    /** Set or clear the owner of a run and stamp its heartbeat. */
    record SetRunOwner(String runId, String owner, Instant heartbeatAt) implements Change {}

    /**
     * Move a task from {@code expected} to {@code next}. To RUNNING sets startedAt; to a terminal
     * state sets endedAt; to any other state clears it. Fields left null keep their stored value,
     * except {@code notBefore} and {@code reason}, which are always written.
     */
    record SetTaskState(
            String runId,
            String taskId,
            StepState expected,
            StepState next,
            String reason,
            Instant at,
            Integer attempts,
            Integer retriesUsed,
            Boolean cached,
            Instant notBefore,
            Integer exitCode) implements Change {}

    /** Record that an attempt started (status RUNNING); starting the same attempt twice is a conflict. */
    record StartAttempt(AttemptRecord attempt) implements Change {}

    /**
     * Record how a RUNNING attempt ended, with what it produced and consumed. Compare-and-set on the
     * attempt being RUNNING, so a late or duplicate result is refused. {@code startedAt}, when set,
     * replaces the attempt's start (stored when it was handed to the worker) with the moment the
     * worker started its process. {@code series} is every value the attempt wrote, in order; when it
     * is empty, each of {@code metrics} is kept as a series of one (step 0, at {@code endedAt}).
     */
    record FinishAttempt(
            String runId,
            String taskId,
            int attempt,
            String status,
            Instant startedAt,
            Instant endedAt,
            Integer exitCode,
            String reason,
            String error,
            boolean counted,
            List<Artifact> outputs,
            Map<String, Double> metrics,
            List<Artifact> inputs,
            List<MetricPoint> series) implements Change {
        public FinishAttempt {
            outputs = List.copyOf(outputs == null ? List.of() : outputs);
            metrics = Map.copyOf(metrics == null ? Map.of() : metrics);
            inputs = List.copyOf(inputs == null ? List.of() : inputs);
            if (series == null || series.isEmpty()) {
                Instant at = endedAt != null ? endedAt : Instant.now();
                List<MetricPoint> last = new java.util.ArrayList<>(metrics.size());
                new java.util.TreeMap<>(metrics).forEach((name, value) -> last.add(new MetricPoint(name, 0, value, at)));
                series = last;
            }
            series = List.copyOf(series);
        }

        /** Without a series: each metric's last value is kept as a series of one. */
        public FinishAttempt(String runId, String taskId, int attempt, String status, Instant startedAt, Instant endedAt,
                Integer exitCode, String reason, String error, boolean counted, List<Artifact> outputs,
                Map<String, Double> metrics, List<Artifact> inputs) {
            this(runId, taskId, attempt, status, startedAt, endedAt, exitCode, reason, error, counted, outputs, metrics,
                    inputs, null);
        }
    }

    /** Append text (whole lines, each ending in a newline) to an attempt's stored log. */
    record AppendLog(String runId, String taskId, int attempt, String text) implements Change {}

    /**
     * Record where a new run comes from (in the batch of its {@link CreateRun}): the run it reruns,
     * its code version and the model versions it pinned.
     */
    record SetRunProvenance(RunProvenance provenance) implements Change {}

    /** Remember that a successful attempt can serve the given cache key, replacing an earlier one. */
    record PutCache(String cacheKey, String runId, String taskId, int attempt) implements Change {}

    /**
     * The end of a run was handled: its alerts evaluated and the triggers on it fired. Compare-and-set on
     * the end being pending, so two servers (or a retry after a crash) never handle one end twice.
     */
    record EndHandled(String runId) implements Change {}

    /**
     * Move the cursor of an event source (e.g. {@code model_alias_moves}) from {@code expected} (null: it
     * has none yet) to {@code next}; compare-and-set, so an event is handled once.
     */
    record MoveCursor(String name, Long expected, long next) implements Change {}

    /** Store a fired alert with one delivery per channel, pending and due at once. */
    record FireAlert(AlertRecord alert, List<String> channels) implements Change {
        public FireAlert {
            channels = List.copyOf(channels);
        }
    }

    /**
     * Add a line to a run's events (task_id NULL, status the run's own): why an alert was not evaluated,
     * why a trigger was cut.
     */
    record NoteRun(String runId, Instant at, RunState status, String reason) implements Change {}
}
