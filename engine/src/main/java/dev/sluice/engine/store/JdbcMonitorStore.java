package dev.sluice.engine.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;

/** {@link MonitorStore} over the {@link JdbcStore}'s pool. */
final class JdbcMonitorStore implements MonitorStore {

    private static final String ALERT_COLUMNS = "id, pipeline, run_id, end_event, alert_index, severity, message, fired_at,"
            + " trigger_pipeline, triggered_run_id";

    private final DataSource dataSource;
    private final JsonValues json;
    private final Rows rows;

    JdbcMonitorStore(DataSource dataSource, JsonValues json, Rows rows) {
        this.dataSource = dataSource;
        this.json = json;
        this.rows = rows;
    }

    @Override
    public List<RunEnd> pendingEnds(int limit) {
        return read(c -> JdbcStore.query(c, "SELECT " + Rows.RUN_COLUMNS + ", (SELECT MAX(e.id) FROM run_events e"
                + " WHERE e.run_id = runs.id AND e.task_id IS NULL) AS end_event FROM runs WHERE end_pending = TRUE"
                + " ORDER BY ended_at, id LIMIT ?", rs -> new RunEnd(rows.run(rs), rs.getLong("end_event")), limit));
    }

    @Override
    public OptionalLong cursor(String name) {
        return read(c -> JdbcStore.queryOne(c, "SELECT position FROM trigger_cursors WHERE name = ?", rs -> rs.getLong(1), name)
                .map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    @Override
    public List<AliasMove> aliasMoves(long afterId, int limit) {
        return read(c -> {
            if (!hasTable(c, "model_alias_moves")) return List.of();
            return JdbcStore.query(c, "SELECT id, model, alias, from_version, to_version, at FROM model_alias_moves"
                    + " WHERE id > ? ORDER BY id LIMIT ?", rs -> new AliasMove(rs.getLong(1), rs.getString(2), rs.getString(3),
                    Jdbc.getInteger(rs, "from_version"), Jdbc.getInteger(rs, "to_version"), Jdbc.getInstant(rs, "at")),
                    afterId, limit);
        });
    }

    @Override
    public long lastAliasMove() {
        return read(c -> {
            if (!hasTable(c, "model_alias_moves")) return 0L;
            return JdbcStore.queryOne(c, "SELECT COALESCE(MAX(id), 0) FROM model_alias_moves", rs -> rs.getLong(1)).orElse(0L);
        });
    }

    /** Once the registry's table was seen it stays (tables are never dropped): the metadata is not asked again. */
    private volatile boolean registrySeen;

    private boolean hasTable(Connection c, String table) throws SQLException {
        if (registrySeen) return true;
        DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, null, name, null)) {
                if (rs.next()) {
                    registrySeen = true;
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public Optional<RunRecord> runByTriggerKey(String pipeline, String triggerKey) {
        return read(c -> JdbcStore.queryOne(c, "SELECT " + Rows.RUN_COLUMNS + " FROM runs WHERE pipeline = ? AND trigger_key = ?",
                rows::run, pipeline, triggerKey));
    }

    @Override
    public List<AlertRecord> alerts(AlertQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.pipeline() != null) {
            sql.append(" AND pipeline = ?");
            args.add(q.pipeline());
        }
        if (q.severity() != null) {
            sql.append(" AND severity = ?");
            args.add(q.severity());
        }
        if (q.since() != null) {
            sql.append(" AND fired_at >= ?");
            args.add(q.since());
        }
        sql.append(" ORDER BY fired_at DESC, id DESC LIMIT ?");
        args.add(q.limit());
        return read(c -> withDeliveries(c, JdbcStore.query(c, sql.toString(), JdbcMonitorStore::alert, args.toArray())));
    }

    @Override
    public List<AlertRecord> alertsOfRun(String runId) {
        return read(c -> withDeliveries(c, JdbcStore.query(c, "SELECT " + ALERT_COLUMNS + " FROM alerts WHERE run_id = ?"
                + " ORDER BY fired_at, alert_index", JdbcMonitorStore::alert, runId)));
    }

    private static AlertRecord alert(ResultSet rs) throws SQLException {
        return new AlertRecord(rs.getString("id"), rs.getString("pipeline"), rs.getString("run_id"), rs.getLong("end_event"),
                rs.getInt("alert_index"), rs.getString("severity"), rs.getString("message"), Jdbc.getInstant(rs, "fired_at"),
                rs.getString("trigger_pipeline"), rs.getString("triggered_run_id"), List.of());
    }

    private static List<AlertRecord> withDeliveries(Connection c, List<AlertRecord> alerts) throws SQLException {
        if (alerts.isEmpty()) return alerts;
        Map<String, List<AlertRecord.Delivery>> byAlert = new HashMap<>();
        String marks = String.join(", ", java.util.Collections.nCopies(alerts.size(), "?"));
        for (Object[] row : JdbcStore.query(c, "SELECT alert_id, channel, state, attempts, last_error, next_at, delivered_at"
                + " FROM alert_deliveries WHERE alert_id IN (" + marks + ") ORDER BY alert_id, channel",
                rs -> new Object[] {rs.getString(1), new AlertRecord.Delivery(rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5), Jdbc.getInstant(rs, "next_at"), Jdbc.getInstant(rs, "delivered_at"))},
                alerts.stream().map(AlertRecord::id).toArray())) {
            byAlert.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((AlertRecord.Delivery) row[1]);
        }
        List<AlertRecord> out = new ArrayList<>(alerts.size());
        for (AlertRecord a : alerts) {
            out.add(new AlertRecord(a.id(), a.pipeline(), a.runId(), a.endEvent(), a.index(), a.severity(), a.message(),
                    a.firedAt(), a.triggerPipeline(), a.triggeredRunId(), byAlert.getOrDefault(a.id(), List.of())));
        }
        return out;
    }

    @Override
    public List<Due> claimDue(Instant now, Instant claimUntil, int limit) {
        return Jdbc.transaction(dataSource, "claim webhook deliveries", c -> {
            List<Object[]> candidates = JdbcStore.query(c, "SELECT d.alert_id, d.channel, d.attempts FROM alert_deliveries d"
                    + " WHERE d.state = 'pending' AND d.next_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until <= ?)"
                    + " AND NOT EXISTS (SELECT 1 FROM disabled_channels x WHERE x.channel = d.channel)"
                    + " ORDER BY d.next_at LIMIT ?", rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)},
                    now, now, limit);
            List<Due> claimed = new ArrayList<>();
            for (Object[] row : candidates) {
                int n = JdbcStore.execute(c, "UPDATE alert_deliveries SET claimed_until = ? WHERE alert_id = ? AND channel = ?"
                        + " AND state = 'pending' AND (claimed_until IS NULL OR claimed_until <= ?)", claimUntil, row[0], row[1], now);
                if (n == 0) continue;
                AlertRecord alert = JdbcStore.queryOne(c, "SELECT " + ALERT_COLUMNS + " FROM alerts WHERE id = ?",
                        JdbcMonitorStore::alert, row[0]).orElseThrow();
                claimed.add(new Due(alert, (String) row[1], (Integer) row[2]));
            }
            return claimed;
        });
    }

    @Override
    public Optional<Instant> nextDue() {
        // MIN of no rows is one row holding NULL
        return read(c -> JdbcStore.query(c, "SELECT MIN(COALESCE(claimed_until, next_at)) AS due FROM alert_deliveries"
                + " WHERE state = 'pending'", rs -> Optional.ofNullable(Jdbc.getInstant(rs, "due")))
                .stream().flatMap(Optional::stream).findFirst());
    }

    @Override
    public void recordTry(String alertId, String channel, String state, int attempts, String error, Instant nextAt,
            Instant deliveredAt) {
        Jdbc.transaction(dataSource, "record a webhook try", c -> JdbcStore.execute(c, "UPDATE alert_deliveries SET state = ?,"
                + " attempts = ?, last_error = ?, next_at = ?, delivered_at = ?, claimed_until = NULL"
                + " WHERE alert_id = ? AND channel = ?", state, attempts, error, nextAt, deliveredAt, alertId, channel));
    }

    @Override
    public void disableChannel(String channel, String reason, Instant at) {
        Jdbc.transaction(dataSource, "disable channel " + channel, c -> {
            if (JdbcStore.queryOne(c, "SELECT channel FROM disabled_channels WHERE channel = ?", rs -> rs.getString(1), channel).isEmpty()) {
                JdbcStore.execute(c, "INSERT INTO disabled_channels (channel, disabled_at, reason) VALUES (?, ?, ?)", channel, at, reason);
            }
            return JdbcStore.execute(c, "UPDATE alert_deliveries SET state = 'disabled', next_at = NULL, claimed_until = NULL"
                    + " WHERE channel = ? AND state = 'pending'", channel);
        });
    }

    @Override
    public int enableChannel(String channel, Instant at) {
        return Jdbc.transaction(dataSource, "enable channel " + channel, c -> {
            JdbcStore.execute(c, "DELETE FROM disabled_channels WHERE channel = ?", channel);
            return JdbcStore.execute(c, "UPDATE alert_deliveries SET state = 'pending', next_at = ? WHERE channel = ?"
                    + " AND state = 'disabled'", at, channel);
        });
    }

    @Override
    public Set<String> disabledChannels() {
        return read(c -> new LinkedHashSet<>(JdbcStore.query(c, "SELECT channel FROM disabled_channels ORDER BY channel",
                rs -> rs.getString(1))));
    }

    @Override
    public ExperimentData experiments(String pipeline, Set<String> names) {
        return read(c -> {
            // runs of a sweep share few distinct params texts: each is parsed once (the maps are read-only)
            Map<String, Map<String, Object>> paramsByText = new HashMap<>();
            List<RunRow> runs = JdbcStore.query(c, "SELECT id, status, created_at, params FROM runs WHERE pipeline = ?"
                    + " ORDER BY created_at DESC, id DESC", rs -> new RunRow(rs.getString(1), rs.getString(2),
                    Jdbc.getInstant(rs, "created_at"), paramsByText.computeIfAbsent(rs.getString(4),
                            t -> java.util.Collections.unmodifiableMap(json.read(t)))), pipeline);
            StringBuilder sql = new StringBuilder("SELECT m.run_id, m.task_id, t.step_id, t.matrix, m.name, m.metric_value"
                    + " FROM runs r JOIN tasks t ON t.run_id = r.id JOIN metrics m ON m.run_id = t.run_id"
                    + " AND m.task_id = t.task_id AND m.attempt = t.attempts WHERE r.pipeline = ? AND t.status = 'SUCCEEDED'");
            List<Object> args = new ArrayList<>();
            args.add(pipeline);
            if (!names.isEmpty()) {
                sql.append(" AND m.name IN (").append(String.join(", ", java.util.Collections.nCopies(names.size(), "?"))).append(")");
                args.addAll(names);
            }
            Map<String, Map<String, Object>> matrices = new HashMap<>();
            List<MetricRow> metrics = JdbcStore.query(c, sql.toString(), rs -> {
                String matrix = rs.getString(4);
                Map<String, Object> m = matrix.equals("{}") ? Map.of() : matrices.computeIfAbsent(matrix, json::read);
                return new MetricRow(rs.getString(1), rs.getString(2), rs.getString(3), m, rs.getString(5), rs.getDouble(6));
            }, args.toArray());
            List<VariantRow> variants = JdbcStore.query(c, "SELECT t.run_id, t.task_id, t.step_id, t.matrix FROM runs r"
                    + " JOIN tasks t ON t.run_id = r.id WHERE r.pipeline = ? AND t.matrix <> '{}' ORDER BY t.run_id, t.position",
                    rs -> new VariantRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            matrices.computeIfAbsent(rs.getString(4), json::read)), pipeline);
            return new ExperimentData(runs, metrics, variants);
        });
    }

    @Override
    public List<HistoryPoint> history(String pipeline, String step, String name, Instant since, int limit) {
        return read(c -> JdbcStore.query(c, "SELECT m.run_id, m.task_id, a.ended_at, m.metric_value FROM runs r"
                + " JOIN tasks t ON t.run_id = r.id JOIN metrics m ON m.run_id = t.run_id AND m.task_id = t.task_id"
                + " AND m.attempt = t.attempts JOIN attempts a ON a.run_id = m.run_id AND a.task_id = m.task_id"
                + " AND a.attempt = m.attempt WHERE r.pipeline = ? AND t.step_id = ? AND m.name = ? AND t.status = 'SUCCEEDED'"
                + " AND a.ended_at >= ? ORDER BY a.ended_at, m.run_id LIMIT ?",
                rs -> new HistoryPoint(rs.getString(1), rs.getString(2), Jdbc.getInstant(rs, "ended_at"), rs.getDouble(4)),
                pipeline, step, name, since == null ? Instant.EPOCH : since, limit));
    }

    private <T> T read(Jdbc.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read from the store: " + Jdbc.message(e), e);
        }
    }
}
