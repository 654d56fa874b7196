package dev.sluice.engine.store;

import dev.sluice.engine.store.Change.EndHandled;
import dev.sluice.engine.store.Change.FireAlert;
import dev.sluice.engine.store.Change.MoveCursor;
import dev.sluice.engine.store.Change.NoteRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The monitoring side of a commit: run ends handled, event cursors, fired alerts and their deliveries, notes. */
final class MonitorWriter {

    private final Connection connection;
    private final Instant now;

    MonitorWriter(Connection connection, Instant now) {
        this.connection = connection;
        this.now = now;
    }

    static boolean handles(Class<?> kind) {
        return kind == EndHandled.class || kind == MoveCursor.class || kind == FireAlert.class || kind == NoteRun.class;
    }

    void write(Class<?> kind, List<Change> group) throws SQLException {
        for (Change change : group) {
            if (change instanceof EndHandled e) endHandled(e);
            else if (change instanceof MoveCursor m) moveCursor(m);
            else if (change instanceof FireAlert f) fireAlert(f);
            else if (change instanceof NoteRun n) note(n);
        }
    }

    private void endHandled(EndHandled e) throws SQLException {
        int n = JdbcStore.execute(connection, "UPDATE runs SET end_pending = FALSE WHERE id = ? AND end_pending = TRUE", e.runId());
        if (n == 0) throw new ConflictException("the end of run " + e.runId() + " was already handled");
    }

    private void moveCursor(MoveCursor m) throws SQLException {
        int n;
        if (m.expected() == null) {
            try {
                n = JdbcStore.execute(connection, "INSERT INTO trigger_cursors (name, position) VALUES (?, ?)", m.name(), m.next());
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) n = 0;
                else throw e;
            }
        } else {
            n = JdbcStore.execute(connection, "UPDATE trigger_cursors SET position = ? WHERE name = ? AND position = ?",
                    m.next(), m.name(), m.expected());
        }
        if (n == 0) throw new ConflictException("cursor " + m.name() + " moved meanwhile (expected " + m.expected() + ")");
    }

    private void fireAlert(FireAlert f) throws SQLException {
        AlertRecord a = f.alert();
        try {
            JdbcStore.execute(connection, "INSERT INTO alerts (id, pipeline, run_id, end_event, alert_index, severity, message,"
                    + " fired_at, trigger_pipeline, triggered_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    a.id(), a.pipeline(), a.runId(), a.endEvent(), a.index(), a.severity(), a.message(), a.firedAt(),
                    a.triggerPipeline(), a.triggeredRunId());
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) throw new ConflictException("alert " + a.index() + " of run " + a.runId() + " already fired");
            throw e;
        }
        if (f.channels().isEmpty()) return;
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO alert_deliveries (alert_id, channel, state,"
                + " attempts, next_at) VALUES (?, ?, 'pending', 0, ?)")) {
            for (String channel : f.channels()) {
                ps.setString(1, a.id());
                ps.setString(2, channel);
                Jdbc.setInstant(ps, 3, a.firedAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void note(NoteRun n) throws SQLException {
        JdbcStore.execute(connection, "INSERT INTO run_events (run_id, at, task_id, status, attempt, reason)"
                + " VALUES (?, ?, NULL, ?, NULL, ?)", n.runId(), n.at() == null ? now : n.at(), n.status().name(), n.reason());
    }
}
