package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import dev.sluice.engine.store.Change.AppendLog;
import dev.sluice.engine.store.Change.CreateRun;
import dev.sluice.engine.store.Change.FinishAttempt;
import dev.sluice.engine.store.Change.PutCache;
import dev.sluice.engine.store.Change.SetRunOwner;
import dev.sluice.engine.store.Change.SetRunState;
import dev.sluice.engine.store.Change.SetTaskState;
import dev.sluice.engine.store.Change.StartAttempt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Writes one {@link Store#commit} batch inside an open transaction, in few JDBC batches whatever its
 * size. A scheduler turn's changes (attempts started and finished, logs, cache entries, task moves,
 * run owners) touch rows that do not depend on each other's order across kinds, so each run of them
 * between two other changes is written kind by kind: one batch per kind, each kind's changes in their
 * order, a task's consecutive moves as one row update ({@link TaskMoves}) with one event per move.
 * Other changes (runs created or moved, monitor changes) keep their place, consecutive ones of a kind
 * sharing a batch. Runs and tasks are written here, attempts by {@link AttemptWriter}. A
 * compare-and-set that matched no row raises {@link ConflictException}; the caller rolls back.
 */
final class ChangeWriter {

    private static final String INSERT_RUN = "INSERT INTO runs (id, pipeline, version, status, params,"
            + " logical_date, schedule_tick, triggered_by, created_at, started_at, ended_at, owner, heartbeat_at,"
            + " reason, trigger, trigger_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TASK = "INSERT INTO tasks (run_id, task_id, step_id, position, matrix,"
            + " status, reason, attempts, retries_used, cached, not_before, started_at, ended_at, exit_code)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    // a run's end is pending (its alerts and triggers to handle) from the commit that ends it
    private static final String SET_RUN_STATE = "UPDATE runs SET status = ?, reason = ?,"
            + " started_at = COALESCE(started_at, ?), ended_at = ?, end_pending = ? WHERE id = ? AND status = ?";
    private static final String SET_RUN_OWNER = "UPDATE runs SET owner = ?, heartbeat_at = ? WHERE id = ?";
    private static final String SET_TASK_STATE = "UPDATE tasks SET status = ?, reason = ?, not_before = ?,"
            + " started_at = COALESCE(?, started_at), ended_at = ?, attempts = COALESCE(?, attempts),"
            + " retries_used = COALESCE(?, retries_used), cached = COALESCE(?, cached),"
            + " exit_code = COALESCE(?, exit_code) WHERE run_id = ? AND task_id = ? AND status = ?";
    private static final String RUN_EVENT = "INSERT INTO run_events (run_id, at, task_id, status, attempt, reason)"
            + " VALUES (?, ?, NULL, ?, NULL, ?)";
    // written before the moves' row updates: the state and reason are the move's own (a turn may move
    // one task twice, e.g. a register step RUNNING then SUCCEEDED: one event per move, each with its own
    // state); the attempt count is the one the move or an earlier move of the batch set, else the row's
    private static final String TASK_EVENT = "INSERT INTO run_events (run_id, at, task_id, status, attempt, reason)"
            + " SELECT run_id, ?, task_id, CAST(? AS VARCHAR(16)), COALESCE(?, attempts), CAST(? AS TEXT) FROM tasks"
            + " WHERE run_id = ? AND task_id = ?";

    private final Connection connection;
    private final JsonValues json;
    private final AttemptWriter attempts;
    private final Instant now;

    ChangeWriter(Connection connection, Dialect dialect, JsonValues json, Instant now) {
        this.connection = connection;
        this.json = json;
        this.now = now;
        this.attempts = new AttemptWriter(connection, dialect, now);
    }

    void write(List<Change> changes) throws SQLException {
        int start = 0;
        while (start < changes.size()) {
            Class<?> kind = kindOf(changes.get(start));
            boolean turn = TURN_KINDS.contains(kind);
            int end = start + 1;
            for (; end < changes.size(); end++) {
                Class<?> next = kindOf(changes.get(end));
                if (turn ? !TURN_KINDS.contains(next) : next != kind) break;
            }
            if (turn) writeTurn(changes.subList(start, end));
            else writeGroup(kind, changes.subList(start, end));
            start = end;
        }
    }

    /**
     * Changes that may be written kind by kind: attempt rows exist before they finish or get log and
     * cache rows (started first), task and run rows exist before any of them, and nothing here reads
     * what another kind writes. Run moves and creations are not among them: their events must stay
     * in order with the tasks' (a run's end after its last step's).
     */
    private static final Set<Class<?>> TURN_KINDS = Set.of(StartAttempt.class, FinishAttempt.class, AppendLog.class,
            PutCache.class, SetTaskState.class, SetRunOwner.class);

    private void writeTurn(List<Change> changes) throws SQLException {
        List<StartAttempt> starts = only(changes, StartAttempt.class);
        if (!starts.isEmpty()) attempts.startAttempts(starts);
        List<FinishAttempt> finishes = only(changes, FinishAttempt.class);
        if (!finishes.isEmpty()) attempts.finishAttempts(finishes);
        List<AppendLog> logs = only(changes, AppendLog.class);
        if (!logs.isEmpty()) attempts.appendLogs(logs);
        List<PutCache> caches = only(changes, PutCache.class);
        if (!caches.isEmpty()) attempts.putCaches(caches);
        List<SetTaskState> moves = only(changes, SetTaskState.class);
        if (!moves.isEmpty()) setTaskStates(moves);
        List<SetRunOwner> owners = only(changes, SetRunOwner.class);
        if (!owners.isEmpty()) setRunOwners(owners);
    }

    private static Class<?> kindOf(Change change) {
        return Objects.requireNonNull(change, "change").getClass();
    }

    private static <T extends Change> List<T> only(List<Change> changes, Class<T> type) {
        List<T> of = new ArrayList<>();
        for (Change c : changes) {
            if (c.getClass() == type) of.add(type.cast(c));
        }
        return of;
    }

    /** Consecutive changes of one kind outside {@link #TURN_KINDS} (those go to {@link #writeTurn}). */
    private void writeGroup(Class<?> kind, List<Change> group) throws SQLException {
        if (kind == CreateRun.class) {
            createRuns(cast(group, CreateRun.class));
        } else if (kind == SetRunState.class) {
            setRunStates(cast(group, SetRunState.class));
        } else if (MonitorWriter.handles(kind)) {
            new MonitorWriter(connection, now).write(kind, group);
        } else if (kind == Change.SetRunProvenance.class) {
            for (Change.SetRunProvenance p : cast(group, Change.SetRunProvenance.class)) ProvenanceRows.write(connection, p.provenance());
        } else {
            throw new IllegalArgumentException("unknown change " + kind.getName());
        }
    }

    private static <T extends Change> List<T> cast(List<Change> group, Class<T> type) {
        return group.stream().map(type::cast).toList();
    }

    private void createRuns(List<CreateRun> group) throws SQLException {
        for (CreateRun create : group) {
            checkTasks(create);
        }
        try (PreparedStatement ps = connection.prepareStatement(INSERT_RUN)) {
            for (CreateRun create : group) {
                RunRecord run = create.run();
                ps.setString(1, run.id());
                ps.setString(2, run.pipeline());
                ps.setInt(3, run.version());
                ps.setString(4, run.status().name());
                ps.setString(5, json.write(run.params(), "params of run " + run.id()));
                Jdbc.setInstant(ps, 6, run.logicalDate());
                Jdbc.setInstant(ps, 7, "schedule".equals(run.trigger()) ? run.logicalDate() : null);
                ps.setString(8, run.trigger());
                Jdbc.setInstant(ps, 9, run.createdAt());
                Jdbc.setInstant(ps, 10, run.startedAt());
                Jdbc.setInstant(ps, 11, run.endedAt());
                ps.setString(12, run.owner());
                Jdbc.setInstant(ps, 13, run.heartbeatAt());
                ps.setString(14, run.reason());
                ps.setString(15, run.triggerInfo().isEmpty() ? null : json.write(run.triggerInfo(), "trigger of run " + run.id()));
                ps.setString(16, run.triggerKey());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                throw runExists(group, e);
            }
            throw e;
        }
        try (PreparedStatement ps = connection.prepareStatement(INSERT_TASK)) {
            for (CreateRun create : group) {
                for (TaskRecord task : create.tasks()) {
                    ps.setString(1, create.run().id());
                    ps.setString(2, task.taskId());
                    ps.setString(3, task.stepId());
                    ps.setInt(4, task.position());
                    ps.setString(5, json.write(task.matrix(), "matrix of task " + task.taskId()));
                    ps.setString(6, task.status().name());
                    ps.setString(7, task.reason());
                    ps.setInt(8, task.attempts());
                    ps.setInt(9, task.retriesUsed());
                    ps.setBoolean(10, task.cached());
                    Jdbc.setInstant(ps, 11, task.notBefore());
                    Jdbc.setInstant(ps, 12, task.startedAt());
                    Jdbc.setInstant(ps, 13, task.endedAt());
                    Jdbc.setInteger(ps, 14, task.exitCode());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        Batches.insertRows(connection, RUN_EVENT, group, c -> true, (ps, create) -> {
            RunRecord run = create.run();
            bindRunEvent(ps, run.id(), run.createdAt(), run.status(), run.reason());
        });
    }

    private void bindRunEvent(PreparedStatement ps, String runId, Instant at, RunState status, String reason)
            throws SQLException {
        ps.setString(1, runId);
        Jdbc.setInstant(ps, 2, at != null ? at : now);
        ps.setString(3, status.name());
        ps.setString(4, reason);
        ps.addBatch();
    }

    private static void checkTasks(CreateRun create) {
        String runId = Objects.requireNonNull(create.run(), "run").id();
        Set<String> seen = new HashSet<>();
        for (TaskRecord task : create.tasks()) {
            if (task.runId() != null && !task.runId().equals(runId)) {
                throw new IllegalArgumentException("task " + task.taskId() + " names run " + task.runId()
                        + " but is created with run " + runId);
            }
            if (!seen.add(task.taskId())) {
                throw new IllegalArgumentException("run " + runId + " has task " + task.taskId() + " twice");
            }
        }
    }

    private ConflictException runExists(List<CreateRun> group, SQLException e) {
        boolean tick = Jdbc.message(e).toLowerCase(Locale.ROOT).contains("runs_schedule_tick_uk");
        if (Jdbc.message(e).toLowerCase(Locale.ROOT).contains("runs_trigger_key_uk")) {
            return new ConflictException("an event already started its run: one of "
                    + group.stream().map(c -> c.run().pipeline() + " " + c.run().triggerKey()).toList());
        }
        if (group.size() == 1) {
            RunRecord run = group.get(0).run();
            return new ConflictException(tick
                    ? "pipeline " + run.pipeline() + " already has a scheduled run for " + run.logicalDate()
                    : "run " + run.id() + " already exists");
        }
        List<String> ids = group.stream().map(c -> c.run().id()).toList();
        return new ConflictException(tick
                ? "one of runs " + ids + " repeats a schedule tick that already has a run"
                : "one of runs " + ids + " already exists");
    }

    private void setRunStates(List<SetRunState> group) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SET_RUN_STATE)) {
            for (SetRunState change : group) {
                RunState next = change.next();
                ps.setString(1, next.name());
                ps.setString(2, change.reason());
                Jdbc.setInstant(ps, 3, next == RunState.RUNNING ? change.at() : null);
                Jdbc.setInstant(ps, 4, next.terminal() ? change.at() : null);
                ps.setBoolean(5, next.terminal());
                ps.setString(6, change.runId());
                ps.setString(7, change.expected().name());
                ps.addBatch();
            }
            Batches.checkEachMatched(ps.executeBatch(), group, change -> new ConflictException(
                    Batches.describe(connection, "run " + change.runId(), change.expected().name(), change.next().name(),
                            "SELECT status FROM runs WHERE id = ?", change.runId())));
        }
        Batches.insertRows(connection, RUN_EVENT, group, c -> true,
                (ps, change) -> bindRunEvent(ps, change.runId(), change.at(), change.next(), change.reason()));
    }

    private void setRunOwners(List<SetRunOwner> group) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SET_RUN_OWNER)) {
            for (SetRunOwner change : group) {
                ps.setString(1, change.owner());
                Jdbc.setInstant(ps, 2, change.heartbeatAt());
                ps.setString(3, change.runId());
                ps.addBatch();
            }
            Batches.checkEachMatched(ps.executeBatch(), group,
                    change -> new ConflictException("run " + change.runId() + " does not exist"));
        }
    }

    private void setTaskStates(List<SetTaskState> group) throws SQLException {
        List<Integer> eventAttempts = TaskMoves.eventAttempts(group);
        try (PreparedStatement ps = connection.prepareStatement(TASK_EVENT)) {
            for (int i = 0; i < group.size(); i++) {
                SetTaskState change = group.get(i);
                Jdbc.setInstant(ps, 1, change.at() != null ? change.at() : now);
                ps.setString(2, change.next().name());
                Jdbc.setInteger(ps, 3, eventAttempts.get(i));
                ps.setString(4, change.reason());
                ps.setString(5, change.runId());
                ps.setString(6, change.taskId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<TaskMoves.Write> writes = TaskMoves.writes(group);
        try (PreparedStatement ps = connection.prepareStatement(SET_TASK_STATE)) {
            for (TaskMoves.Write w : writes) {
                ps.setString(1, w.next().name());
                ps.setString(2, w.reason());
                Jdbc.setInstant(ps, 3, w.notBefore());
                Jdbc.setInstant(ps, 4, w.startedAt());
                Jdbc.setInstant(ps, 5, w.endedAt());
                Jdbc.setInteger(ps, 6, w.attempts());
                Jdbc.setInteger(ps, 7, w.retriesUsed());
                Jdbc.setBoolean(ps, 8, w.cached());
                Jdbc.setInteger(ps, 9, w.exitCode());
                ps.setString(10, w.runId());
                ps.setString(11, w.taskId());
                ps.setString(12, w.expected().name());
                ps.addBatch();
            }
            Batches.checkEachMatched(ps.executeBatch(), writes, w -> new ConflictException(
                    Batches.describe(connection, "task " + w.runId() + "/" + w.taskId(), w.expected().name(),
                            w.next().name(), "SELECT status FROM tasks WHERE run_id = ? AND task_id = ?",
                            w.runId(), w.taskId())));
        }
    }
}
