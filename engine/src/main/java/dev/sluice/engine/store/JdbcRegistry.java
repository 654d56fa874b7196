package dev.sluice.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.engine.registry.Actor;
import dev.sluice.engine.registry.AliasConflict;
import dev.sluice.engine.registry.AliasMove;
import dev.sluice.engine.registry.Expected;
import dev.sluice.engine.registry.ModelFile;
import dev.sluice.engine.registry.ModelRef;
import dev.sluice.engine.registry.ModelSummary;
import dev.sluice.engine.registry.ModelVersion;
import dev.sluice.engine.registry.MoveResult;
import dev.sluice.engine.registry.Names;
import dev.sluice.engine.registry.NewVersion;
import dev.sluice.engine.registry.Registry;
import dev.sluice.engine.registry.RegistryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link Registry} over the store's JDBC pool (tables of V6). A write locks the model's row
 * ({@code SELECT ... FOR UPDATE}) first, so version numbers and alias moves of one model are
 * serialised on H2 and PostgreSQL alike: of two moves expecting the same version, the second sees
 * the first's result and fails with {@link AliasConflict}.
 */
final class JdbcRegistry implements Registry {

    private static final String VERSION_COLUMNS = "model, version, sha256, kind, size, run_id, task_id, attempt,"
            + " pipeline, pipeline_version, params, matrix, metrics, code, description, tags, created_at";
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    private final DataSource dataSource;
    private final Clock clock;
    private final Fence fence;

    /** @param fence a server's leader fence, checked by the writes a run makes (null: unfenced) */
    JdbcRegistry(DataSource dataSource, Clock clock, Fence fence) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.fence = fence;
    }

    /**
     * Writes made by a run's register step are the scheduler's: on a fenced store they happen only
     * while this server holds the leader lease (as its commits do). Moves by a person (API, CLI) are
     * user edits any server may make.
     */
    private void checkFence(Connection c, boolean byRun) throws SQLException {
        if (fence == null || !byRun) return;
        Fence.Token token = fence.token().orElseThrow(() -> new FencedException(
                "not the leader: this server holds no leader lease, so it may not register models; nothing was written"));
        LeaderLease.check(c, token);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public ModelVersion register(NewVersion v) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Jdbc.transaction(dataSource, "cannot register a version of model " + v.model(), c -> register(c, v));
            } catch (StoreException e) {
                if (attempt < 3 && e.getCause() instanceof SQLException sql && Jdbc.isUniqueViolation(sql)) continue;
                throw e;
            }
        }
    }

    private ModelVersion register(Connection c, NewVersion v) throws SQLException {
        checkFence(c, v.runId() != null);
        Instant now = now();
        lockOrCreateModel(c, v.model(), now);
        if (v.runId() != null && v.taskId() != null) {
            Optional<ModelVersion> made = one(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions"
                    + " WHERE model = ? AND run_id = ? AND task_id = ?", v.model(), v.runId(), v.taskId());
            if (made.isPresent()) return withFiles(c, made.get());
        }
        int next = 1;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(version) FROM model_versions WHERE model = ?")) {
            ps.setString(1, v.model());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) next = rs.getInt(1) + 1;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_versions (" + VERSION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.model());
            ps.setInt(2, next);
            ps.setString(3, v.content().sha256());
            ps.setString(4, v.content().kind());
            ps.setLong(5, v.content().size());
            ps.setString(6, v.runId());
            ps.setString(7, v.taskId());
            Jdbc.setInteger(ps, 8, v.attempt());
            ps.setString(9, v.pipeline());
            Jdbc.setInteger(ps, 10, v.pipelineVersion());
            ps.setString(11, write(v.params()));
            ps.setString(12, write(v.matrix()));
            ps.setString(13, write(v.metrics()));
            ps.setString(14, v.code().isEmpty() ? null : write(v.code()));
            ps.setString(15, v.description());
            ps.setString(16, write(v.tags()));
            Jdbc.setInstant(ps, 17, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO model_version_files (model, version, path, sha256, size) VALUES (?, ?, ?, ?, ?)")) {
            for (ModelFile f : v.files()) {
                ps.setString(1, v.model());
                ps.setInt(2, next);
                ps.setString(3, f.path());
                ps.setString(4, f.sha256());
                ps.setLong(5, f.size());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        update(c, "UPDATE models SET updated_at = ? WHERE name = ?", now, v.model());
        return new ModelVersion(v.model(), next, v.content().sha256(), v.content().kind(), v.content().size(), now,
                v.runId(), v.taskId(), v.attempt(), v.pipeline(), v.pipelineVersion(), v.params(), v.matrix(),
                v.metrics(), v.code(), v.description(), v.tags(), v.files());
    }

    private void lockOrCreateModel(Connection c, String model, Instant now) throws SQLException {
        if (!lockModel(c, model)) {
            update(c, "INSERT INTO models (name, description, created_at, updated_at) VALUES (?, NULL, ?, ?)", model, now, now);
            lockModel(c, model);
        }
    }

    private static boolean lockModel(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM models WHERE name = ? FOR UPDATE")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public MoveResult moveAlias(String model, String alias, Integer version, Expected expected, Actor by, String note) {
        String problem = Names.modelProblem(model);
        if (problem == null) problem = Names.aliasProblem(alias);
        if (problem != null) throw RegistryException.badRequest(problem);
        return Jdbc.transaction(dataSource, "cannot move alias " + alias + " of model " + model, c -> {
            checkFence(c, by.type().equals("run"));
            if (!lockModel(c, model)) throw RegistryException.notFound("no model " + model);
            if (version != null && one(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE model = ? AND version = ?",
                    model, version).isEmpty()) {
                throw RegistryException.notFound("model " + model + " has no version " + version);
            }
            Integer current = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM model_aliases WHERE model = ? AND alias = ?")) {
                ps.setString(1, model);
                ps.setString(2, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) current = rs.getInt(1);
                }
            }
            if (!expected.matches(current)) throw new AliasConflict(model, alias, current, expected);
            if (version == null && current == null) {
                throw RegistryException.notFound("model " + model + " has no alias " + alias);
            }
            Instant now = now();
            if (version == null) {
                update(c, "DELETE FROM model_aliases WHERE model = ? AND alias = ?", model, alias);
            } else if (current == null) {
                update(c, "INSERT INTO model_aliases (model, alias, version, updated_at) VALUES (?, ?, ?, ?)", model, alias, version, now);
            } else {
                update(c, "UPDATE model_aliases SET version = ?, updated_at = ? WHERE model = ? AND alias = ?", version, now, model, alias);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_alias_moves (model, alias, from_version,"
                    + " to_version, at, by_type, by_run_id, by_task_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, model);
                ps.setString(2, alias);
                Jdbc.setInteger(ps, 3, current);
                Jdbc.setInteger(ps, 4, version);
                Jdbc.setInstant(ps, 5, now);
                ps.setString(6, by.type());
                ps.setString(7, by.runId());
                ps.setString(8, by.taskId());
                ps.setString(9, note);
                ps.executeUpdate();
            }
            update(c, "UPDATE models SET updated_at = ? WHERE name = ?", now, model);
            return new MoveResult(model, alias, version, current);
        });
    }

    @Override
    public List<ModelSummary> models() {
        return read(c -> {
            List<ModelSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT m.name, m.description, m.created_at, m.updated_at,"
                    + " (SELECT MAX(v.version) FROM model_versions v WHERE v.model = m.name) AS latest FROM models m ORDER BY m.name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(summary(rs, Map.of()));
            }
            Map<String, Map<String, Integer>> aliases = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT model, alias, version FROM model_aliases ORDER BY model, alias");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) aliases.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getInt(3));
            }
            out.replaceAll(s -> new ModelSummary(s.name(), s.description(), s.latestVersion(),
                    aliases.getOrDefault(s.name(), Map.of()), s.createdAt(), s.updatedAt()));
            return out;
        });
    }

    @Override
    public Optional<ModelSummary> model(String name) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT m.name, m.description, m.created_at, m.updated_at,"
                    + " (SELECT MAX(v.version) FROM model_versions v WHERE v.model = m.name) AS latest FROM models m WHERE m.name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(summary(rs, aliases(c, name)));
                }
            }
        });
    }

    private static ModelSummary summary(ResultSet rs, Map<String, Integer> aliases) throws SQLException {
        return new ModelSummary(rs.getString("name"), rs.getString("description"), Jdbc.getInteger(rs, "latest"), aliases,
                Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at"));
    }

    @Override
    public List<ModelVersion> versions(String model, int limit) {
        return read(c -> withFiles(c, many(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE model = ?"
                + " ORDER BY version DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", model)));
    }

    @Override
    public Optional<ModelVersion> version(String model, int version) {
        return read(c -> {
            Optional<ModelVersion> v = one(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE model = ? AND version = ?",
                    model, version);
            return v.isEmpty() ? v : Optional.of(withFiles(c, v.get()));
        });
    }

    @Override
    public Map<String, Integer> aliases(String model) {
        return read(c -> aliases(c, model));
    }

    private static Map<String, Integer> aliases(Connection c, String model) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alias, version FROM model_aliases WHERE model = ? ORDER BY alias")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    @Override
    public List<AliasMove> history(String model, int limit) {
        return moves("WHERE model = ? ORDER BY id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", model);
    }

    @Override
    public List<AliasMove> movesAfter(long afterId, int limit) {
        return moves("WHERE id > ? ORDER BY id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", afterId);
    }

    private List<AliasMove> moves(String where, Object arg) {
        return read(c -> {
            List<AliasMove> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, model, alias, from_version, to_version, at, by_type,"
                    + " by_run_id, by_task_id, note FROM model_alias_moves " + where)) {
                ps.setObject(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AliasMove(rs.getLong("id"), rs.getString("model"), rs.getString("alias"),
                                Jdbc.getInteger(rs, "from_version"), Jdbc.getInteger(rs, "to_version"), Jdbc.getInstant(rs, "at"),
                                new Actor(rs.getString("by_type"), rs.getString("by_run_id"), rs.getString("by_task_id")),
                                rs.getString("note")));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<ModelVersion> resolve(ModelRef ref) {
        if (ref.version() != null) return version(ref.model(), ref.version());
        Integer at = aliases(ref.model()).get(ref.alias());
        return at == null ? Optional.empty() : version(ref.model(), at);
    }

    @Override
    public List<ModelVersion> registeredBy(String runId) {
        return read(c -> withFiles(c, many(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE run_id = ?"
                + " ORDER BY created_at, model, version", runId)));
    }

    @Override
    public List<ModelVersion> holding(String sha256) {
        return read(c -> withFiles(c, many(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions v WHERE v.sha256 = ?"
                + " OR EXISTS (SELECT 1 FROM model_version_files f WHERE f.model = v.model AND f.version = v.version"
                + " AND f.sha256 = ?) ORDER BY model, version FETCH FIRST 100 ROWS ONLY", sha256, sha256)));
    }

    // ---- plumbing

    private <T> T read(Jdbc.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the model registry: " + Jdbc.message(e), e);
        }
    }

    private ModelVersion withFiles(Connection c, ModelVersion v) throws SQLException {
        return withFiles(c, List.of(v)).get(0);
    }

    private List<ModelVersion> withFiles(Connection c, List<ModelVersion> versions) throws SQLException {
        List<ModelVersion> out = new ArrayList<>(versions.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT path, sha256, size FROM model_version_files"
                + " WHERE model = ? AND version = ? ORDER BY path")) {
            for (ModelVersion v : versions) {
                ps.setString(1, v.model());
                ps.setInt(2, v.version());
                List<ModelFile> files = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) files.add(new ModelFile(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
                out.add(new ModelVersion(v.model(), v.version(), v.sha256(), v.kind(), v.size(), v.createdAt(), v.runId(),
                        v.taskId(), v.attempt(), v.pipeline(), v.pipelineVersion(), v.params(), v.matrix(), v.metrics(),
                        v.code(), v.description(), v.tags(), files));
            }
        }
        return out;
    }

    private Optional<ModelVersion> one(Connection c, String sql, Object... args) throws SQLException {
        List<ModelVersion> found = many(c, sql, args);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<ModelVersion> many(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<ModelVersion> out = new ArrayList<>();
                while (rs.next()) out.add(version(rs));
                return out;
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ModelVersion version(ResultSet rs) throws SQLException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        read(rs.getString("metrics")).forEach((k, v) -> {
            if (v instanceof Number n) metrics.put(k, n.doubleValue());
        });
        Map<String, String> tags = new LinkedHashMap<>();
        read(rs.getString("tags")).forEach((k, v) -> tags.put(k, String.valueOf(v)));
        return new ModelVersion(rs.getString("model"), rs.getInt("version"), rs.getString("sha256"), rs.getString("kind"),
                rs.getLong("size"), Jdbc.getInstant(rs, "created_at"), rs.getString("run_id"), rs.getString("task_id"),
                Jdbc.getInteger(rs, "attempt"), rs.getString("pipeline"), Jdbc.getInteger(rs, "pipeline_version"),
                read(rs.getString("params")), read(rs.getString("matrix")), metrics, read(rs.getString("code")),
                rs.getString("description"), tags, List.of());
    }

    static String write(Map<String, ?> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> read(String json) {
        if (json == null || json.isEmpty()) return Map.of();
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Instant instant) Jdbc.setInstant(ps, i + 1, instant);
                else ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
