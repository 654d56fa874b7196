package dev.sluice.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.engine.run.RunState;
import dev.sluice.worker.protocol.Artifact;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link Store} over JDBC, for H2 and PostgreSQL, on a HikariCP pool it owns. Thread-safe: it
 * holds no state but the pool (and, for {@link #withFence}, a fence), and every call borrows its own connection.
 */
public final class JdbcStore implements Store {

    private static final String VERSION_COLUMNS = "name, version, sha256, content, created_at";
    private static final String STATE_COLUMNS = "name, latest_version, paused, schedule_since, deleted_at";

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Clock clock;
    private final Fence fence;
    /** The leases' own pool ({@link #leasePool}), shared by the fenced views of this store. */
    private final HikariDataSource[] leasePool;
    private final JsonValues json = new JsonValues();
    private final Rows rows = new Rows(json);
    private final JdbcMonitorStore monitor;
    /** Compacts an embedded H2 file while it is open; null for PostgreSQL and in-memory H2. */
    private final H2Housekeeping housekeeping;

    /**
     * Takes ownership of the pool (closed by {@link #close}) and brings its schema up to date; most
     * callers want {@link Stores#open} instead.
     *
     * @param dataSource a pool on a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
     * @param clock      stamps pipeline versions, artifacts and cache entries
     * @throws StoreException when the schema cannot be migrated (the pool is then closed)
     */
    public JdbcStore(HikariDataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fence = null;
        this.monitor = new JdbcMonitorStore(dataSource, json, rows);
        this.leasePool = new HikariDataSource[1];
        try {
            this.dialect = Dialect.fromJdbcUrl(dataSource.getJdbcUrl());
            Migrations.migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        this.housekeeping = dataSource.getJdbcUrl().startsWith("jdbc:h2:file:") ? H2Housekeeping.start(dataSource) : null;
    }

    /** A view of a migrated store: the same pool, with a fence ({@link #withFence}). */
    private JdbcStore(JdbcStore store, Fence fence) {
        this.dataSource = store.dataSource;
        this.clock = store.clock;
        this.dialect = store.dialect;
        this.fence = fence;
        this.monitor = store.monitor;
        this.leasePool = store.leasePool;
        this.housekeeping = store.housekeeping;
    }

    @Override
    public PipelineVersion savePipeline(String name, String text) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        String sha = sha256(text);
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    PipelineVersion saved = savePipeline(c, name, text, sha);
                    c.commit();
                    return saved;
                } catch (SQLException e) {
                    Jdbc.rollbackQuietly(c);
                    if (attempt < 3 && Jdbc.isUniqueViolation(e)) {
                        continue; // another process saved the same pipeline at the same time
                    }
                    throw e;
                } catch (RuntimeException e) {
                    Jdbc.rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException("cannot save pipeline " + name + ": " + Jdbc.message(e), e);
            }
        }
    }

    private PipelineVersion savePipeline(Connection c, String name, String text, String sha) throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<Object[]> row = queryOne(c, "SELECT latest_version, deleted_at FROM pipelines WHERE name = ? FOR UPDATE",
                rs -> new Object[] {rs.getInt(1), Jdbc.getInstant(rs, "deleted_at")}, name);
        if (row.isEmpty()) {
            execute(c, "INSERT INTO pipelines (name, latest_version, created_at, updated_at, schedule_since)"
                    + " VALUES (?, 1, ?, ?, ?)", name, now, now, now);
            return insertVersion(c, name, 1, sha, text, now);
        }
        int latest = (Integer) row.get()[0];
        if (row.get()[1] != null) {
            execute(c, "UPDATE pipelines SET deleted_at = NULL, paused = FALSE, schedule_since = ?, updated_at = ?"
                    + " WHERE name = ?", now, now, name);
        }
        Optional<PipelineVersion> current = queryOne(c, "SELECT " + VERSION_COLUMNS
                + " FROM pipeline_versions WHERE name = ? AND version = ?", rows::version, name, latest);
        if (current.isPresent() && current.get().sha256().equals(sha)) {
            return current.get();
        }
        execute(c, "UPDATE pipelines SET latest_version = ?, updated_at = ? WHERE name = ?", latest + 1, now, name);
        return insertVersion(c, name, latest + 1, sha, text, now);
    }

    private static PipelineVersion insertVersion(Connection c, String name, int version, String sha, String text,
            Instant now) throws SQLException {
        execute(c, "INSERT INTO pipeline_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                name, version, sha, text, now);
        return new PipelineVersion(name, version, sha, text, now);
    }

    @Override
    public Optional<PipelineVersion> pipelineVersion(String name, int version) {
        return read(c -> queryOne(c, "SELECT " + VERSION_COLUMNS
                + " FROM pipeline_versions WHERE name = ? AND version = ?", rows::version, name, version));
    }

    @Override
    public Optional<PipelineVersion> latestPipeline(String name) {
        return read(c -> queryOne(c, "SELECT v.name, v.version, v.sha256, v.content, v.created_at"
                + " FROM pipelines p JOIN pipeline_versions v ON v.name = p.name AND v.version = p.latest_version"
                + " WHERE p.name = ? AND p.deleted_at IS NULL", rows::version, name));
    }

    @Override
    public List<PipelineVersion> pipelineVersions(String name) {
        return read(c -> query(c, "SELECT " + VERSION_COLUMNS
                + " FROM pipeline_versions WHERE name = ? ORDER BY version", rows::version, name));
    }

    @Override
    public List<String> pipelineNames() {
        return read(c -> query(c, "SELECT name FROM pipelines WHERE deleted_at IS NULL ORDER BY name",
                rs -> rs.getString(1)));
    }

    @Override
    public Optional<PipelineState> pipelineState(String name) {
        return read(c -> queryOne(c, "SELECT " + STATE_COLUMNS + " FROM pipelines WHERE name = ?", JdbcStore::state, name));
    }

    @Override
    public List<PipelineState> pipelineStates() {
        return read(c -> query(c, "SELECT " + STATE_COLUMNS + " FROM pipelines WHERE deleted_at IS NULL ORDER BY name",
                JdbcStore::state));
    }

    @Override
    public Optional<PipelineState> setPaused(String name, boolean paused) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return write("cannot " + (paused ? "pause" : "unpause") + " pipeline " + name, c -> {
            if (paused) {
                execute(c, "UPDATE pipelines SET paused = TRUE, updated_at = ?"
                        + " WHERE name = ? AND deleted_at IS NULL AND paused = FALSE", now, name);
            } else {
                execute(c, "UPDATE pipelines SET paused = FALSE, schedule_since = ?, updated_at = ?"
                        + " WHERE name = ? AND deleted_at IS NULL AND paused = TRUE", now, now, name);
            }
            return queryOne(c, "SELECT " + STATE_COLUMNS + " FROM pipelines WHERE name = ? AND deleted_at IS NULL",
                    JdbcStore::state, name);
        });
    }

    @Override
    public boolean deletePipeline(String name) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return write("cannot delete pipeline " + name, c -> execute(c,
                "UPDATE pipelines SET deleted_at = ?, updated_at = ? WHERE name = ? AND deleted_at IS NULL",
                now, now, name) == 1);
    }

    @Override
    public Map<String, Position> positions(String pipeline) {
        List<Object[]> rows = read(c -> query(c, "SELECT step_id, x, y FROM designer_positions WHERE pipeline = ?"
                + " ORDER BY step_id", rs -> new Object[] {rs.getString(1), new Position(rs.getDouble(2), rs.getDouble(3))},
                pipeline));
        Map<String, Position> out = new LinkedHashMap<>();
        for (Object[] r : rows) out.put((String) r[0], (Position) r[1]);
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean savePositions(String pipeline, Map<String, Position> positions) {
        return write("cannot save the positions of pipeline " + pipeline, c -> {
            if (queryOne(c, "SELECT name FROM pipelines WHERE name = ? FOR UPDATE", rs -> rs.getString(1), pipeline).isEmpty()) {
                return false;
            }
            execute(c, "DELETE FROM designer_positions WHERE pipeline = ?", pipeline);
            if (positions.isEmpty()) return true;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO designer_positions (pipeline, step_id, x, y) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<String, Position> p : positions.entrySet()) {
                    ps.setString(1, pipeline);
                    ps.setString(2, p.getKey());
                    ps.setDouble(3, p.getValue().x());
                    ps.setDouble(4, p.getValue().y());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    @Override
    public Optional<Instant> latestScheduleTick(String name) {
        return read(c -> query(c, "SELECT MAX(schedule_tick) AS tick FROM runs WHERE pipeline = ?",
                rs -> Optional.ofNullable(Jdbc.getInstant(rs, "tick")), name).get(0));
    }

    @Override
    public Map<String, RunRecord> latestRuns() {
        List<RunRecord> newest = read(c -> query(c, "SELECT " + Rows.RUN_COLUMNS + " FROM runs r WHERE r.created_at ="
                + " (SELECT MAX(n.created_at) FROM runs n WHERE n.pipeline = r.pipeline) ORDER BY r.pipeline, r.id",
                rows::run));
        Map<String, RunRecord> byPipeline = new LinkedHashMap<>();
        for (RunRecord run : newest) {
            byPipeline.put(run.pipeline(), run); // runs created in the same microsecond: the greatest id
        }
        return Collections.unmodifiableMap(byPipeline);
    }

    private static PipelineState state(ResultSet rs) throws SQLException {
        return new PipelineState(rs.getString("name"), rs.getInt("latest_version"), rs.getBoolean("paused"),
                Jdbc.getInstant(rs, "schedule_since"), Jdbc.getInstant(rs, "deleted_at"));
    }

    @Override
    public void commit(List<Change> changes) {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) {
            return;
        }
        Fence.Token token = fenceToken();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                new ChangeWriter(c, dialect, json, clock.instant()).write(changes);
                // last, so the lease row is locked from here to the commit only: a large batch (20,000
                // outputs) written before it never holds up the lease's renewal (issue 10)
                if (token != null) {
                    LeaderLease.check(c, token);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c);
                if (token != null && !(e instanceof FencedException)) {
                    // a deposed leader's batch may clash with its successor's changes first: say which it is
                    try {
                        LeaderLease.check(c, token);
                    } finally {
                        Jdbc.rollbackQuietly(c);
                    }
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("commit failed: " + Jdbc.message(e), e);
        }
    }

    /** The token to check, null for an unfenced store; refuses at once when the fence has none. */
    private Fence.Token fenceToken() {
        if (fence == null) {
            return null;
        }
        return fence.token().orElseThrow(() -> new FencedException(
                "not the leader: this server holds no leader lease, so it may not change runs; nothing was written"));
    }

    @Override
    public Store withFence(Fence fence) {
        return new JdbcStore(this, Objects.requireNonNull(fence, "fence"));
    }

    @Override
    public MetricSeries series(String runId, String taskId, int attempt) {
        return read(c -> {
            Map<String, List<MetricSeries.Point>> byName = new LinkedHashMap<>();
            for (Object[] row : query(c, "SELECT name, step, metric_value, at FROM metric_points"
                    + " WHERE run_id = ? AND task_id = ? AND attempt = ? ORDER BY seq",
                    rs -> new Object[] {rs.getString(1), new MetricSeries.Point(rs.getLong(2), rs.getDouble(3),
                            Jdbc.getInstant(rs, "at"))}, runId, taskId, attempt)) {
                byName.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((MetricSeries.Point) row[1]);
            }
            return new MetricSeries(runId, taskId, attempt, byName);
        });
    }

    @Override
    public MonitorStore monitor() {
        return monitor;
    }

    @Override
    public LeaderLease lease(String name) {
        return new LeaderLease(leasePool(), dialect, name);
    }

    /**
     * Leases renew on a pool of their own: when every connection of the main pool is busy (a burst
     * of API reads, a long commit), a renewal does not queue behind them and the leader keeps its
     * lease. One pool for every view of this store, made on first use, closed with it.
     */
    private DataSource leasePool() {
        synchronized (leasePool) {
            if (leasePool[0] == null) {
                HikariConfig config = new HikariConfig();
                config.setPoolName("sluice-lease");
                config.setJdbcUrl(dataSource.getJdbcUrl());
                if (dataSource.getDataSource() != null) config.setDataSource(dataSource.getDataSource()); // H2FileDataSource
                config.setUsername(dataSource.getUsername());
                config.setPassword(dataSource.getPassword());
                config.setMaximumPoolSize(2);
                config.setMinimumIdle(1);
                config.setConnectionTimeout(dataSource.getConnectionTimeout());
                config.setMaxLifetime(dataSource.getMaxLifetime());
                config.setExceptionOverride(new ClosedDatabaseEviction());
                leasePool[0] = new HikariDataSource(config);
            }
            return leasePool[0];
        }
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        return read(c -> queryOne(c, "SELECT " + Rows.RUN_COLUMNS + " FROM runs WHERE id = ?", rows::run, runId));
    }

    @Override
    public List<RunRecord> runs(RunQuery query) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (query.pipeline() != null) {
            where.add("pipeline = ?");
            args.add(query.pipeline());
        }
        if (query.status() != null) {
            where.add("status = ?");
            args.add(query.status().name());
        }
        if (query.before() != null) {
            where.add("created_at < ?");
            args.add(query.before());
        }
        StringBuilder sql = new StringBuilder("SELECT " + Rows.RUN_COLUMNS + " FROM runs");
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        sql.append(" ORDER BY created_at DESC, id DESC");
        if (query.limit() > 0) {
            sql.append(" FETCH FIRST ? ROWS ONLY");
            args.add(query.limit());
        }
        return read(c -> query(c, sql.toString(), rows::run, args.toArray()));
    }

    @Override
    public List<RunRecord> runsIn(RunState... states) {
        if (states.length == 0) {
            return List.of();
        }
        String marks = String.join(", ", Collections.nCopies(states.length, "?"));
        Object[] names = Arrays.stream(states).map(RunState::name).toArray();
        return read(c -> query(c, "SELECT " + Rows.RUN_COLUMNS + " FROM runs WHERE status IN (" + marks
                + ") ORDER BY created_at, id", rows::run, names));
    }

    @Override
    public List<TaskRecord> tasks(String runId) {
        return read(c -> query(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE run_id = ?"
                + " ORDER BY position, task_id", rows::task, runId));
    }

    @Override
    public Optional<TaskRecord> task(String runId, String taskId) {
        return read(c -> queryOne(c, "SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE run_id = ? AND task_id = ?",
                rows::task, runId, taskId));
    }

    @Override
    public List<AttemptRecord> attempts(String runId) {
        return read(c -> query(c, "SELECT " + Rows.ATTEMPT_COLUMNS + " FROM attempts a JOIN tasks t"
                + " ON t.run_id = a.run_id AND t.task_id = a.task_id WHERE a.run_id = ?"
                + " ORDER BY t.position, a.task_id, a.attempt", rows::attempt, runId));
    }

    @Override
    public Map<String, List<Artifact>> outputs(String runId) {
        List<Artifact> all = read(c -> query(c, "SELECT o.task_id, o.path, o.sha256, o.size FROM outputs o"
                + " JOIN attempts a ON a.run_id = o.run_id AND a.task_id = o.task_id AND a.attempt = o.attempt"
                + " JOIN tasks t ON t.run_id = o.run_id AND t.task_id = o.task_id"
                + " WHERE o.run_id = ? AND a.status = 'SUCCEEDED' ORDER BY t.position, o.task_id, o.path",
                rows::artifact, runId));
        Map<String, List<Artifact>> byTask = new LinkedHashMap<>();
        for (Artifact output : all) {
            byTask.computeIfAbsent(output.from(), k -> new ArrayList<>()).add(output);
        }
        byTask.replaceAll((task, list) -> List.copyOf(list));
        return Collections.unmodifiableMap(byTask);
    }

    @Override
    public Map<String, Map<String, Double>> metrics(String runId) {
        return read(c -> {
            Map<String, Map<String, Double>> byTask = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT m.task_id, m.name, m.metric_value"
                    + " FROM metrics m"
                    + " JOIN attempts a ON a.run_id = m.run_id AND a.task_id = m.task_id AND a.attempt = m.attempt"
                    + " JOIN tasks t ON t.run_id = m.run_id AND t.task_id = m.task_id"
                    + " WHERE m.run_id = ? AND a.status = 'SUCCEEDED' ORDER BY t.position, m.task_id, m.name")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byTask.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                                .put(rs.getString(2), rs.getDouble(3));
                    }
                }
            }
            byTask.replaceAll((task, metrics) -> Collections.unmodifiableMap(metrics));
            return Collections.unmodifiableMap(byTask);
        });
    }

    @Override
    public List<Artifact> inputs(String runId, String taskId, int attempt) {
        return read(c -> query(c, "SELECT from_task, path, sha256, size FROM inputs"
                + " WHERE run_id = ? AND task_id = ? AND attempt = ? ORDER BY from_task, path",
                rows::artifact, runId, taskId, attempt));
    }

    @Override
    public String log(String runId, String taskId, int attempt) {
        return read(c -> {
            StringBuilder log = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("SELECT content FROM log_chunks"
                    + " WHERE run_id = ? AND task_id = ? AND attempt = ? ORDER BY id")) {
                bind(ps, runId, taskId, attempt);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        log.append(rs.getString(1));
                    }
                }
            }
            return log.toString();
        });
    }

    @Override
    public Optional<AttemptRecord> attempt(String runId, String taskId, int attempt) {
        return read(c -> queryOne(c, "SELECT " + Rows.ATTEMPT_COLUMNS + " FROM attempts a"
                + " WHERE a.run_id = ? AND a.task_id = ? AND a.attempt = ?", rows::attempt, runId, taskId, attempt));
    }

    @Override
    public List<LogChunk> logChunks(String runId, String taskId, int attempt, long afterId, int limit) {
        return read(c -> query(c, "SELECT id, content FROM log_chunks WHERE run_id = ? AND task_id = ? AND attempt = ?"
                + " AND id > ? ORDER BY id FETCH FIRST " + positive(limit) + " ROWS ONLY",
                rs -> new LogChunk(rs.getLong(1), rs.getString(2)), runId, taskId, attempt, afterId));
    }

    @Override
    public List<RunEventRecord> events(String runId, long afterId, int limit) {
        return read(c -> query(c, "SELECT id, run_id, at, task_id, status, attempt, reason FROM run_events"
                + " WHERE run_id = ? AND id > ? ORDER BY id FETCH FIRST " + positive(limit) + " ROWS ONLY",
                rs -> new RunEventRecord(rs.getLong(1), rs.getString(2), Jdbc.getInstant(rs, "at"), rs.getString(4),
                        rs.getString(5), Jdbc.getInteger(rs, "attempt"), rs.getString(7)), runId, afterId));
    }

    private static int positive(int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        return limit;
    }

    @Override
    public RunCollector collector() {
        return new RunCollector(dataSource);
    }

    @Override
    public Optional<CacheHit> cacheHit(String cacheKey) {
        return read(c -> {
            Optional<Object[]> hit = queryOne(c, "SELECT k.run_id, k.task_id, k.attempt FROM step_cache k"
                    + " JOIN attempts a ON a.run_id = k.run_id AND a.task_id = k.task_id AND a.attempt = k.attempt"
                    + " WHERE k.cache_key = ? AND a.status = 'SUCCEEDED'",
                    rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)}, cacheKey);
            if (hit.isEmpty()) {
                return Optional.empty();
            }
            Object[] key = hit.get();
            List<Artifact> outputs = query(c, "SELECT task_id, path, sha256, size FROM outputs"
                    + " WHERE run_id = ? AND task_id = ? AND attempt = ? ORDER BY path", rows::artifact, key);
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Object[] metric : query(c, "SELECT name, metric_value FROM metrics"
                    + " WHERE run_id = ? AND task_id = ? AND attempt = ? ORDER BY name",
                    rs -> new Object[] {rs.getString(1), rs.getDouble(2)}, key)) {
                metrics.put((String) metric[0], (Double) metric[1]);
            }
            return Optional.of(new CacheHit((String) key[0], (String) key[1], (Integer) key[2], List.copyOf(outputs),
                    Collections.unmodifiableMap(metrics)));
        });
    }

    @Override
    public List<String> runIdsStartingWith(String prefix) {
        String pattern = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return read(c -> query(c, "SELECT id FROM runs WHERE id LIKE ? ESCAPE '!' ORDER BY id",
                rs -> rs.getString(1), pattern));
    }

    @Override
    public dev.sluice.engine.registry.Registry registry() {
        return new JdbcRegistry(dataSource, clock, fence);
    }

    @Override
    public Optional<RunProvenance> provenance(String runId) {
        return read(c -> ProvenanceRows.read(c, runId));
    }

    @Override
    public List<ArtifactUse> artifactUses(String sha256, int limit) {
        int n = positive(limit);
        return read(c -> {
            List<ArtifactUse> uses = new ArrayList<>(query(c, "SELECT o.run_id, o.task_id, o.attempt, o.path FROM outputs o"
                    + " JOIN attempts a ON a.run_id = o.run_id AND a.task_id = o.task_id AND a.attempt = o.attempt"
                    + " WHERE o.sha256 = ? AND a.status = 'SUCCEEDED' ORDER BY o.run_id, o.task_id FETCH FIRST " + n + " ROWS ONLY",
                    rs -> new ArtifactUse(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), false), sha256));
            uses.addAll(query(c, "SELECT run_id, task_id, attempt, from_task, path FROM inputs WHERE sha256 = ?"
                    + " ORDER BY run_id, task_id FETCH FIRST " + n + " ROWS ONLY",
                    rs -> new ArtifactUse(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4) + "/" + rs.getString(5), true),
                    sha256));
            return List.copyOf(uses);
        });
    }

    @Override
    public void close() {
        if (housekeeping != null) housekeeping.close();
        synchronized (leasePool) {
            if (leasePool[0] != null) leasePool[0].close();
        }
        dataSource.close();
    }

    @Override
    public Optional<String> problem() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            // the pool's "not available" says little: its cause is the last failure to open a connection
            Throwable cause = e.getCause();
            return Optional.of("the database does not answer: " + Jdbc.message(e)
                    + (cause != null && cause != e ? " (" + Jdbc.message(cause) + ")" : ""));
        }
    }

    // ---- plumbing

    /**
     * A read runs again on another connection when its connection's database was closed under it (H2
     * after a full disk): the pool evicts such a connection as it fails, but may still hold idle ones
     * to the closed database, one per slot; the next new one opens the database anew. Reads only: a
     * write is never repeated behind the caller's back.
     */
    private <T> T read(Jdbc.Work<T> work) {
        for (int tries = 1; ; tries++) {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                if (!ClosedDatabaseEviction.closed(e) || tries > dataSource.getMaximumPoolSize()) {
                    throw new StoreException("cannot read from the store: " + Jdbc.message(e), e);
                }
            }
        }
    }

    static <T> List<T> query(Connection c, String sql, Rows.Mapper<T> mapper, Object... args)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(mapper.map(rs));
                }
                return result;
            }
        }
    }

    static <T> Optional<T> queryOne(Connection c, String sql, Rows.Mapper<T> mapper, Object... args)
            throws SQLException {
        List<T> found = query(c, sql, mapper, args);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Runs the work in one transaction. */
    private <T> T write(String what, Jdbc.Work<T> work) {
        return Jdbc.transaction(dataSource, what, work);
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Instant instant) {
                Jdbc.setInstant(ps, i + 1, instant);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
