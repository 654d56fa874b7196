package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change.AppendLog;
import dev.sluice.engine.store.Change.CreateRun;
import dev.sluice.engine.store.Change.FinishAttempt;
import dev.sluice.engine.store.Change.PutCache;
import dev.sluice.engine.store.Change.SetRunOwner;
import dev.sluice.engine.store.Change.SetRunState;
import dev.sluice.engine.store.Change.SetTaskState;
import dev.sluice.engine.store.Change.StartAttempt;
import dev.sluice.worker.protocol.Artifact;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes one {@link Store#commit} batch inside an open transaction. Consecutive changes of the same
 * kind share JDBC batches, in order, so a scheduler step costs a few round trips whatever its size.
 * A compare-and-set that matched no row raises {@link ConflictException}; the caller rolls back.
 */
final class ChangeWriter {

    private static final String INSERT_RUN = "INSERT INTO runs (id, pipeline, version, status, params,"
            + " logical_date, schedule_tick, triggered_by, created_at, started_at, ended_at, owner, heartbeat_at,"
            + " reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TASK = "INSERT INTO tasks (run_id, task_id, step_id, position, matrix,"
            + " status, reason, attempts, retries_used, cached, not_before, started_at, ended_at, exit_code)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SET_RUN_STATE = "UPDATE runs SET status = ?, reason = ?,"
            + " started_at = COALESCE(started_at, ?), ended_at = ? WHERE id = ? AND status = ?";
    private static final String SET_RUN_OWNER = "UPDATE runs SET owner = ?, heartbeat_at = ? WHERE id = ?";
    private static final String SET_TASK_STATE = "UPDATE tasks SET status = ?, reason = ?, not_before = ?,"
            + " started_at = COALESCE(?, started_at), ended_at = ?, attempts = COALESCE(?, attempts),"
            + " retries_used = COALESCE(?, retries_used), cached = COALESCE(?, cached),"
            + " exit_code = COALESCE(?, exit_code) WHERE run_id = ? AND task_id = ? AND status = ?";
    private static final String INSERT_ATTEMPT = "INSERT INTO attempts (run_id, task_id, attempt, status, worker,"
            + " started_at, ended_at, exit_code, reason, error, cached, counted)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String FINISH_ATTEMPT = "UPDATE attempts SET status = ?, ended_at = ?, exit_code = ?,"
            + " reason = ?, error = ?, counted = ? WHERE run_id = ? AND task_id = ? AND attempt = ?"
            + " AND status = 'RUNNING'";
    private static final String INSERT_OUTPUT = "INSERT INTO outputs (run_id, task_id, attempt, path, sha256, size)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_INPUT = "INSERT INTO inputs (run_id, task_id, attempt, from_task, path,"
            + " sha256, size) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_METRIC = "INSERT INTO metrics (run_id, task_id, attempt, name, metric_value)"
            + " VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_LOG = "INSERT INTO log_chunks (run_id, task_id, attempt, content)"
            + " VALUES (?, ?, ?, ?)";

    private final Connection connection;
    private final Dialect dialect;
    private final JsonValues json;
    private final Instant now;

    ChangeWriter(Connection connection, Dialect dialect, JsonValues json, Instant now) {
        this.connection = connection;
        this.dialect = dialect;
        this.json = json;
        this.now = now;
    }

    void write(List<Change> changes) throws SQLException {
        int start = 0;
        while (start < changes.size()) {
            Class<?> kind = Objects.requireNonNull(changes.get(start), "change").getClass();
            int end = start + 1;
            while (end < changes.size() && Objects.requireNonNull(changes.get(end), "change").getClass() == kind) {
                end++;
            }
            writeGroup(kind, changes.subList(start, end));
            start = end;
        }
    }

    private void writeGroup(Class<?> kind, List<Change> group) throws SQLException {
        if (kind == CreateRun.class) {
            createRuns(cast(group, CreateRun.class));
        } else if (kind == SetRunState.class) {
            setRunStates(cast(group, SetRunState.class));
        } else if (kind == SetRunOwner.class) {
            setRunOwners(cast(group, SetRunOwner.class));
        } else if (kind == SetTaskState.class) {
            setTaskStates(cast(group, SetTaskState.class));
        } else if (kind == StartAttempt.class) {
            startAttempts(cast(group, StartAttempt.class));
        } else if (kind == FinishAttempt.class) {
            finishAttempts(cast(group, FinishAttempt.class));
        } else if (kind == AppendLog.class) {
            appendLogs(cast(group, AppendLog.class));
        } else if (kind == PutCache.class) {
            putCaches(cast(group, PutCache.class));
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
                ps.setString(5, change.runId());
                ps.setString(6, change.expected().name());
                ps.addBatch();
            }
            checkEachMatched(ps.executeBatch(), group, change -> new ConflictException(
                    describe("run " + change.runId(), change.expected().name(), change.next().name(),
                            "SELECT status FROM runs WHERE id = ?", change.runId())));
        }
    }

    private void setRunOwners(List<SetRunOwner> group) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SET_RUN_OWNER)) {
            for (SetRunOwner change : group) {
                ps.setString(1, change.owner());
                Jdbc.setInstant(ps, 2, change.heartbeatAt());
                ps.setString(3, change.runId());
                ps.addBatch();
            }
            checkEachMatched(ps.executeBatch(), group,
                    change -> new ConflictException("run " + change.runId() + " does not exist"));
        }
    }

    private void setTaskStates(List<SetTaskState> group) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SET_TASK_STATE)) {
            for (SetTaskState change : group) {
                StepState next = change.next();
                ps.setString(1, next.name());
                ps.setString(2, change.reason());
                Jdbc.setInstant(ps, 3, change.notBefore());
                Jdbc.setInstant(ps, 4, next == StepState.RUNNING ? change.at() : null);
                Jdbc.setInstant(ps, 5, next.terminal() ? change.at() : null);
                Jdbc.setInteger(ps, 6, change.attempts());
                Jdbc.setInteger(ps, 7, change.retriesUsed());
                Jdbc.setBoolean(ps, 8, change.cached());
                Jdbc.setInteger(ps, 9, change.exitCode());
                ps.setString(10, change.runId());
                ps.setString(11, change.taskId());
                ps.setString(12, change.expected().name());
                ps.addBatch();
            }
            checkEachMatched(ps.executeBatch(), group, change -> new ConflictException(
                    describe("task " + change.runId() + "/" + change.taskId(), change.expected().name(),
                            change.next().name(), "SELECT status FROM tasks WHERE run_id = ? AND task_id = ?",
                            change.runId(), change.taskId())));
        }
    }

    private void startAttempts(List<StartAttempt> group) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT_ATTEMPT)) {
            for (StartAttempt change : group) {
                AttemptRecord a = Objects.requireNonNull(change.attempt(), "attempt");
                ps.setString(1, a.runId());
                ps.setString(2, a.taskId());
                ps.setInt(3, a.attempt());
                ps.setString(4, a.status());
                ps.setString(5, a.worker());
                Jdbc.setInstant(ps, 6, a.startedAt());
                Jdbc.setInstant(ps, 7, a.endedAt());
                Jdbc.setInteger(ps, 8, a.exitCode());
                ps.setString(9, a.reason());
                ps.setString(10, a.error());
                ps.setBoolean(11, a.cached());
                ps.setBoolean(12, a.counted());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                List<String> keys = group.stream().map(c -> attemptKey(c.attempt())).toList();
                throw new ConflictException(keys.size() == 1
                        ? "attempt " + keys.get(0) + " already exists"
                        : "one of attempts " + keys + " already exists");
            }
            throw e;
        }
    }

    private void finishAttempts(List<FinishAttempt> group) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(FINISH_ATTEMPT)) {
            for (FinishAttempt change : group) {
                ps.setString(1, change.status());
                Jdbc.setInstant(ps, 2, change.endedAt());
                Jdbc.setInteger(ps, 3, change.exitCode());
                ps.setString(4, change.reason());
                ps.setString(5, change.error());
                ps.setBoolean(6, change.counted());
                ps.setString(7, change.runId());
                ps.setString(8, change.taskId());
                ps.setInt(9, change.attempt());
                ps.addBatch();
            }
            checkEachMatched(ps.executeBatch(), group, change -> new ConflictException(
                    describe("attempt " + change.runId() + "/" + change.taskId() + "#" + change.attempt(),
                            "RUNNING", change.status(),
                            "SELECT status FROM attempts WHERE run_id = ? AND task_id = ? AND attempt = ?",
                            change.runId(), change.taskId(), change.attempt())));
        }
        insertArtifacts(group);
        insertRows(INSERT_OUTPUT, group, c -> !c.outputs().isEmpty(), (ps, change) -> {
            for (Artifact output : change.outputs()) {
                bindAttempt(ps, change);
                ps.setString(4, output.path());
                ps.setString(5, output.sha256());
                ps.setLong(6, output.size());
                ps.addBatch();
            }
        });
        insertRows(INSERT_METRIC, group, c -> !c.metrics().isEmpty(), (ps, change) -> {
            for (Map.Entry<String, Double> metric : change.metrics().entrySet()) {
                bindAttempt(ps, change);
                ps.setString(4, metric.getKey());
                ps.setDouble(5, metric.getValue());
                ps.addBatch();
            }
        });
        insertRows(INSERT_INPUT, group, c -> !c.inputs().isEmpty(), (ps, change) -> {
            for (Artifact input : change.inputs()) {
                bindAttempt(ps, change);
                ps.setString(4, input.from());
                ps.setString(5, input.path());
                ps.setString(6, input.sha256());
                ps.setLong(7, input.size());
                ps.addBatch();
            }
        });
    }

    /** One row per distinct content, naming the first attempt that produced it. */
    private void insertArtifacts(List<FinishAttempt> group) throws SQLException {
        Map<String, FinishAttempt> producers = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (FinishAttempt change : group) {
            for (Artifact output : change.outputs()) {
                producers.putIfAbsent(output.sha256(), change);
                sizes.putIfAbsent(output.sha256(), output.size());
            }
        }
        if (producers.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(dialect.insertArtifact())) {
            for (Map.Entry<String, FinishAttempt> entry : producers.entrySet()) {
                String sha = entry.getKey();
                FinishAttempt producer = entry.getValue();
                ps.setString(1, sha);
                ps.setLong(2, sizes.get(sha));
                ps.setString(3, producer.runId());
                ps.setString(4, producer.taskId());
                ps.setInt(5, producer.attempt());
                Jdbc.setInstant(ps, 6, now);
                if (dialect.artifactShaTwice()) {
                    ps.setString(7, sha);
                }
                if (dialect.artifactRaceRaisesDuplicate()) {
                    insertIgnoringDuplicate(ps);
                } else {
                    ps.addBatch();
                }
            }
            if (!dialect.artifactRaceRaisesDuplicate()) {
                ps.executeBatch();
            }
        }
    }

    /** Another transaction inserted the same content between our check and our insert: fine. */
    private static void insertIgnoringDuplicate(PreparedStatement ps) throws SQLException {
        try {
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    private void appendLogs(List<AppendLog> group) throws SQLException {
        insertRows(INSERT_LOG, group, c -> c.text() != null && !c.text().isEmpty(), (ps, change) -> {
            if (change.text() != null && !change.text().isEmpty()) {
                ps.setString(1, change.runId());
                ps.setString(2, change.taskId());
                ps.setInt(3, change.attempt());
                ps.setString(4, change.text());
                ps.addBatch();
            }
        });
    }

    private void putCaches(List<PutCache> group) throws SQLException {
        insertRows(dialect.upsertCache(), group, c -> true, (ps, change) -> {
            ps.setString(1, Objects.requireNonNull(change.cacheKey(), "cacheKey"));
            ps.setString(2, change.runId());
            ps.setString(3, change.taskId());
            ps.setInt(4, change.attempt());
            Jdbc.setInstant(ps, 5, now);
            ps.addBatch();
        });
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T change) throws SQLException;
    }

    /** Binds the rows of every change and runs them as one batch; prepares nothing when none has rows. */
    private <T> void insertRows(String sql, List<T> group, Predicate<T> hasRows, Binder<T> binder)
            throws SQLException {
        if (group.stream().noneMatch(hasRows)) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (T change : group) {
                binder.bind(ps, change);
            }
            ps.executeBatch();
        }
    }

    private static void bindAttempt(PreparedStatement ps, FinishAttempt change) throws SQLException {
        ps.setString(1, change.runId());
        ps.setString(2, change.taskId());
        ps.setInt(3, change.attempt());
    }

    private static <T> void checkEachMatched(int[] counts, List<T> group, Function<T, ConflictException> conflict) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                throw conflict.apply(group.get(i));
            }
        }
    }

    /** Names what differed: the state found (or that the row is missing) against the one expected. */
    private String describe(String what, String expected, String next, String query, Object... key) {
        String found;
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            for (int i = 0; i < key.length; i++) {
                ps.setObject(i + 1, key[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                found = rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            return what + ": expected " + expected + " to move to " + next + ", but its state could not be read ("
                    + Jdbc.message(e) + ")";
        }
        return found == null
                ? what + " does not exist"
                : what + " is " + found + ", expected " + expected + " (to move to " + next + ")";
    }

    private static String attemptKey(AttemptRecord a) {
        return a.runId() + "/" + a.taskId() + "#" + a.attempt();
    }
}
