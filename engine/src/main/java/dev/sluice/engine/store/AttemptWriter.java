package dev.sluice.engine.store;

import dev.sluice.engine.store.Change.AppendLog;
import dev.sluice.engine.store.Change.FinishAttempt;
import dev.sluice.engine.store.Change.PutCache;
import dev.sluice.engine.store.Change.StartAttempt;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.MetricPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The attempt side of a commit: attempts started and finished (with their outputs, artifacts,
 * metrics and inputs), log text and cache entries. Finishing is a compare-and-set on RUNNING.
 */
final class AttemptWriter {

    private static final String INSERT_ATTEMPT = "INSERT INTO attempts (run_id, task_id, attempt, status, worker,"
            + " started_at, ended_at, exit_code, reason, error, cached, counted)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String FINISH_ATTEMPT = "UPDATE attempts SET status = ?, ended_at = ?, exit_code = ?,"
            + " reason = ?, error = ?, counted = ?, started_at = COALESCE(?, started_at) WHERE run_id = ? AND task_id = ? AND attempt = ?"
            + " AND status = 'RUNNING'";
    private static final String INSERT_OUTPUT = "INSERT INTO outputs (run_id, task_id, attempt, path, sha256, size)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_INPUT = "INSERT INTO inputs (run_id, task_id, attempt, from_task, path,"
            + " sha256, size) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_METRIC = "INSERT INTO metrics (run_id, task_id, attempt, name, metric_value)"
            + " VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_POINT = "INSERT INTO metric_points (run_id, task_id, attempt, seq, name, step,"
            + " metric_value, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_LOG = "INSERT INTO log_chunks (run_id, task_id, attempt, content)"
            + " VALUES (?, ?, ?, ?)";

    private final Connection connection;
    private final Dialect dialect;
    private final Instant now;

    AttemptWriter(Connection connection, Dialect dialect, Instant now) {
        this.connection = connection;
        this.dialect = dialect;
        this.now = now;
    }

    void startAttempts(List<StartAttempt> group) throws SQLException {
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

    void finishAttempts(List<FinishAttempt> group) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(FINISH_ATTEMPT)) {
            for (FinishAttempt change : group) {
                ps.setString(1, change.status());
                Jdbc.setInstant(ps, 2, change.endedAt());
                Jdbc.setInteger(ps, 3, change.exitCode());
                ps.setString(4, change.reason());
                ps.setString(5, change.error());
                ps.setBoolean(6, change.counted());
                Jdbc.setInstant(ps, 7, change.startedAt());
                ps.setString(8, change.runId());
                ps.setString(9, change.taskId());
                ps.setInt(10, change.attempt());
                ps.addBatch();
            }
            Batches.checkEachMatched(ps.executeBatch(), group, change -> new ConflictException(
                    Batches.describe(connection, "attempt " + change.runId() + "/" + change.taskId() + "#" + change.attempt(),
                            "RUNNING", change.status(),
                            "SELECT status FROM attempts WHERE run_id = ? AND task_id = ? AND attempt = ?",
                            change.runId(), change.taskId(), change.attempt())));
        }
        insertArtifacts(group);
        Batches.Count outputRows = new Batches.Count();
        Batches.insertRows(connection, INSERT_OUTPUT, group, c -> !c.outputs().isEmpty(), (ps, change) -> {
            for (Artifact output : change.outputs()) {
                bindAttempt(ps, change);
                ps.setString(4, output.path());
                ps.setString(5, output.sha256());
                ps.setLong(6, output.size());
                Batches.addRow(ps, outputRows);
            }
        });
        Batches.insertRows(connection, INSERT_METRIC, group, c -> !c.metrics().isEmpty(), (ps, change) -> {
            for (Map.Entry<String, Double> metric : change.metrics().entrySet()) {
                bindAttempt(ps, change);
                ps.setString(4, metric.getKey());
                ps.setDouble(5, metric.getValue());
                ps.addBatch();
            }
        });
        Batches.insertRows(connection, INSERT_POINT, group, c -> !c.series().isEmpty(), (ps, change) -> {
            int seq = 0;
            for (MetricPoint point : change.series()) {
                bindAttempt(ps, change);
                ps.setInt(4, seq++);
                ps.setString(5, point.name());
                ps.setLong(6, point.step());
                ps.setDouble(7, point.value());
                Jdbc.setInstant(ps, 8, point.at());
                ps.addBatch();
            }
        });
        Batches.Count inputRows = new Batches.Count();
        Batches.insertRows(connection, INSERT_INPUT, group, c -> !c.inputs().isEmpty(), (ps, change) -> {
            for (Artifact input : change.inputs()) {
                bindAttempt(ps, change);
                ps.setString(4, input.from());
                ps.setString(5, input.path());
                ps.setString(6, input.sha256());
                ps.setLong(7, input.size());
                Batches.addRow(ps, inputRows);
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
            Batches.Count rows = new Batches.Count();
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
                    Batches.addRow(ps, rows);
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

    void appendLogs(List<AppendLog> group) throws SQLException {
        Batches.insertRows(connection, INSERT_LOG, group, c -> c.text() != null && !c.text().isEmpty(), (ps, change) -> {
            if (change.text() != null && !change.text().isEmpty()) {
                ps.setString(1, change.runId());
                ps.setString(2, change.taskId());
                ps.setInt(3, change.attempt());
                ps.setString(4, change.text());
                ps.addBatch();
            }
        });
    }

    void putCaches(List<PutCache> group) throws SQLException {
        Batches.insertRows(connection, dialect.upsertCache(), group, c -> true, (ps, change) -> {
            ps.setString(1, Objects.requireNonNull(change.cacheKey(), "cacheKey"));
            ps.setString(2, change.runId());
            ps.setString(3, change.taskId());
            ps.setInt(4, change.attempt());
            Jdbc.setInstant(ps, 5, now);
            ps.addBatch();
        });
    }

    private static void bindAttempt(PreparedStatement ps, FinishAttempt change) throws SQLException {
        ps.setString(1, change.runId());
        ps.setString(2, change.taskId());
        ps.setInt(3, change.attempt());
    }

    private static String attemptKey(AttemptRecord a) {
        return a.runId() + "/" + a.taskId() + "#" + a.attempt();
    }
}
