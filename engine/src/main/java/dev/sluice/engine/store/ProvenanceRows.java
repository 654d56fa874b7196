package dev.sluice.engine.store;

import dev.sluice.engine.registry.PinnedModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes {@link RunProvenance}: {@code runs.rerun_of}, {@code runs.code} and {@code run_models}. */
final class ProvenanceRows {

    private ProvenanceRows() {}

    static void write(Connection c, RunProvenance p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET rerun_of = ?, code = ? WHERE id = ?")) {
            ps.setString(1, p.rerunOf());
            ps.setString(2, p.code().isEmpty() ? null : JdbcRegistry.write(p.code()));
            ps.setString(3, p.runId());
            if (ps.executeUpdate() != 1) throw new ConflictException("no run " + p.runId() + " to record the provenance of");
        }
        if (p.models().isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_models (run_id, task_id, model_key, ref, model,"
                + " version, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (PinnedModel m : p.models()) {
                ps.setString(1, p.runId());
                ps.setString(2, m.taskId());
                ps.setString(3, m.key());
                ps.setString(4, m.ref());
                ps.setString(5, m.model());
                Jdbc.setInteger(ps, 6, m.version());
                ps.setString(7, m.sha256());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static Optional<RunProvenance> read(Connection c, String runId) throws SQLException {
        String rerunOf;
        Map<String, Object> code;
        try (PreparedStatement ps = c.prepareStatement("SELECT rerun_of, code FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                rerunOf = rs.getString(1);
                code = JdbcRegistry.read(rs.getString(2));
            }
        }
        List<PinnedModel> models = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.task_id, m.model_key, m.ref, m.model, m.version, m.sha256"
                + " FROM run_models m JOIN tasks t ON t.run_id = m.run_id AND t.task_id = m.task_id"
                + " WHERE m.run_id = ? ORDER BY t.position, m.task_id, m.model_key")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    models.add(new PinnedModel(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Jdbc.getInteger(rs, "version"), rs.getString(6)));
                }
            }
        }
        return Optional.of(new RunProvenance(runId, rerunOf, code, models));
    }
}
