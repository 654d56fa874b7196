package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.worker.protocol.Artifact;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Maps result rows to the store's records; the column lists match the mappers. */
final class Rows {

    static final String RUN_COLUMNS = "id, pipeline, version, status, params, logical_date, triggered_by,"
            + " created_at, started_at, ended_at, owner, heartbeat_at, reason, trigger, trigger_key";
    static final String TASK_COLUMNS = "run_id, task_id, step_id, position, matrix, status, reason, attempts,"
            + " retries_used, cached, not_before, started_at, ended_at, exit_code";
    static final String ATTEMPT_COLUMNS = "a.run_id, a.task_id, a.attempt, a.status, a.worker, a.started_at,"
            + " a.ended_at, a.exit_code, a.reason, a.error, a.cached, a.counted";

    /** Reads one row. */
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final JsonValues json;

    Rows(JsonValues json) {
        this.json = json;
    }

    PipelineVersion version(ResultSet rs) throws SQLException {
        return new PipelineVersion(rs.getString("name"), rs.getInt("version"), rs.getString("sha256"),
                rs.getString("content"), Jdbc.getInstant(rs, "created_at"));
    }

    RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(
                rs.getString("id"),
                rs.getString("pipeline"),
                rs.getInt("version"),
                RunState.valueOf(rs.getString("status")),
                json.read(rs.getString("params")),
                Jdbc.getInstant(rs, "logical_date"),
                rs.getString("triggered_by"),
                Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "started_at"),
                Jdbc.getInstant(rs, "ended_at"),
                rs.getString("owner"),
                Jdbc.getInstant(rs, "heartbeat_at"),
                rs.getString("reason"),
                triggerInfo(rs.getString("trigger")),
                rs.getString("trigger_key"));
    }

    private Map<String, Object> triggerInfo(String text) {
        return text == null ? Map.of() : json.read(text);
    }

    TaskRecord task(ResultSet rs) throws SQLException {
        return new TaskRecord(
                rs.getString("run_id"),
                rs.getString("task_id"),
                rs.getString("step_id"),
                rs.getInt("position"),
                json.read(rs.getString("matrix")),
                StepState.valueOf(rs.getString("status")),
                rs.getString("reason"),
                rs.getInt("attempts"),
                rs.getInt("retries_used"),
                rs.getBoolean("cached"),
                Jdbc.getInstant(rs, "not_before"),
                Jdbc.getInstant(rs, "started_at"),
                Jdbc.getInstant(rs, "ended_at"),
                Jdbc.getInteger(rs, "exit_code"));
    }

    AttemptRecord attempt(ResultSet rs) throws SQLException {
        return new AttemptRecord(
                rs.getString("run_id"),
                rs.getString("task_id"),
                rs.getInt("attempt"),
                rs.getString("status"),
                rs.getString("worker"),
                Jdbc.getInstant(rs, "started_at"),
                Jdbc.getInstant(rs, "ended_at"),
                Jdbc.getInteger(rs, "exit_code"),
                rs.getString("reason"),
                rs.getString("error"),
                rs.getBoolean("cached"),
                rs.getBoolean("counted"));
    }

    /** Columns 1 to 4: the task it comes from (producer or upstream), path, sha256, size. */
    Artifact artifact(ResultSet rs) throws SQLException {
        return new Artifact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
    }
}
