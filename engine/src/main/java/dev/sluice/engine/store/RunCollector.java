package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Retention's database side: which ended runs a {@link RetentionPolicy} deletes ({@link #plan}),
 * deleting them with every row that hangs on them ({@link #delete}), and which artifacts the store
 * still references ({@link #referenced}). The artifact files themselves are the caller's.
 *
 * <p>Safe beside a running scheduler: only runs in an ended state are deleted, each batch locks its
 * runs and checks their state again in the deleting transaction (a run retried meanwhile stays), and
 * an {@code artifacts} row whose first producer goes is pointed at a kept attempt that also produced
 * it (a later run, a cache hit) instead of being deleted. A commit that reuses an artifact whose row
 * was just deleted inserts the row again (artifacts are inserted unless present with every output).
 */
public final class RunCollector {

    private static final int BATCH = 200;
    private static final List<String> ENDED = List.of(RunState.SUCCEEDED.name(), RunState.FAILED.name(), RunState.CANCELLED.name());

    private final DataSource dataSource;

    RunCollector(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What {@link #delete} would do now; reads only. */
    public RetentionPlan plan(RetentionPolicy policy, Instant now) {
        return Jdbc.transaction(dataSource, "cannot plan retention", c -> plan(c, policy, now));
    }

    private RetentionPlan plan(Connection c, RetentionPolicy policy, Instant now) throws SQLException {
        Set<String> tables = tables(c);
        List<String> candidates = new ArrayList<>();
        Map<String, String> pipelineOf = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, pipeline, status, created_at, ended_at FROM runs ORDER BY pipeline, created_at DESC, id DESC");
                ResultSet rs = ps.executeQuery()) {
            String pipeline = null;
            int index = 0;
            while (rs.next()) {
                String p = rs.getString("pipeline");
                if (!p.equals(pipeline)) {
                    pipeline = p;
                    index = 0;
                }
                // a run's age is the time since it ended: one that ran for days and just ended is not old
                Instant ended = Jdbc.getInstant(rs, "ended_at");
                if (ended == null) ended = Jdbc.getInstant(rs, "created_at");
                if (ENDED.contains(rs.getString("status")) && policy.expired(Duration.between(ended, now), index)) {
                    candidates.add(rs.getString("id"));
                    pipelineOf.put(rs.getString("id"), p);
                }
                index++;
            }
        }
        Set<String> going = new HashSet<>(candidates);
        going.removeAll(column(c, tables, RetentionRoots.RUNS));
        Set<String> roots = column(c, tables, RetentionRoots.ARTIFACTS);
        List<String[]> outputs = pairs(c, "SELECT run_id, sha256 FROM outputs");
        List<String[]> inputs = pairs(c, "SELECT run_id, sha256 FROM inputs");
        List<String[]> artifacts = pairs(c, "SELECT run_id, sha256 FROM artifacts");

        // an artifact a kept run or a root needs, whose only producer goes: that producer stays
        Set<String> keptOutputs;
        Set<String> keep;
        while (true) {
            keptOutputs = kept(outputs, going);
            keep = new HashSet<>(keptOutputs);
            keep.addAll(kept(inputs, going));
            keep.addAll(roots);
            boolean changed = false;
            for (String[] a : artifacts) {
                if (going.contains(a[0]) && !keptOutputs.contains(a[1]) && keep.contains(a[1])) changed |= going.remove(a[0]);
            }
            if (!changed) break;
        }
        List<String> runs = new ArrayList<>(candidates);
        runs.retainAll(going);
        java.util.Collections.reverse(runs); // oldest first, within each pipeline

        Map<String, Long> rows = new TreeMap<>();
        long logBytes = 0;
        Cascade cascade = Cascade.discover(c, pinningTables());
        for (List<String> batch : batches(runs)) {
            String marks = Cascade.marks(batch.size());
            for (Cascade.Table t : cascade.order) {
                long n = count(c, "SELECT COUNT(*) FROM " + t.name() + " x WHERE " + t.where("x", marks, 0), batch);
                rows.merge(t.name().toLowerCase(Locale.ROOT), n, Long::sum);
            }
            Cascade.Table logs = cascade.table("log_chunks");
            if (logs != null) {
                logBytes += count(c, "SELECT COALESCE(SUM(LENGTH(content)), 0) FROM " + logs.name() + " x WHERE "
                        + logs.where("x", marks, 0), batch);
            }
        }
        if (cascade.table("artifacts") != null) { // the rows of artifacts a kept run also produced are moved, not deleted
            Set<String> finalKeptOutputs = keptOutputs;
            rows.put("artifacts", artifacts.stream().filter(a -> going.contains(a[0]) && !finalKeptOutputs.contains(a[1])).count());
        }
        Map<String, Integer> byPipeline = runs.stream().collect(Collectors.groupingBy(pipelineOf::get, TreeMap::new,
                Collectors.summingInt(r -> 1)));
        return new RetentionPlan(now, policy, runs, byPipeline, rows, logBytes, candidates.size() - runs.size(), keep);
    }

    /**
     * Deletes the plan's runs, in batches of one transaction each; a run that is no longer ended
     * (retried meanwhile) stays.
     *
     * @return rows deleted per table (lower case), {@code runs} included
     */
    public Map<String, Long> delete(RetentionPlan plan) {
        Map<String, Long> deleted = new TreeMap<>();
        Cascade cascade = Jdbc.transaction(dataSource, "cannot read the schema", c -> Cascade.discover(c, pinningTables()));
        for (List<String> batch : batches(plan.runs())) {
            Map<String, Long> rows = Jdbc.transaction(dataSource, "cannot delete old runs", c -> deleteBatch(c, cascade, batch));
            rows.forEach((t, n) -> deleted.merge(t, n, Long::sum));
        }
        return deleted;
    }

    private Map<String, Long> deleteBatch(Connection c, Cascade cascade, List<String> batch) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        List<Object> args = new ArrayList<>(batch);
        args.addAll(ENDED);
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE id IN (" + Cascade.marks(batch.size())
                + ") AND status IN (" + Cascade.marks(ENDED.size()) + ") FOR UPDATE")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        if (ids.isEmpty()) return rows;
        String marks = Cascade.marks(ids.size());
        if (cascade.table("artifacts") != null) repointArtifacts(c, ids, marks);
        for (String column : cascade.runSelfReferences) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET " + column + " = NULL WHERE " + column + " IN (" + marks + ")")) {
                bind(ps, ids);
                ps.executeUpdate();
            }
        }
        for (Cascade.Table t : cascade.order) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.name() + " x WHERE " + t.where("x", marks, 0))) {
                bind(ps, ids);
                rows.put(t.name().toLowerCase(Locale.ROOT), (long) ps.executeUpdate());
            }
        }
        return rows;
    }

    /** The rows of artifacts first produced by these runs that a kept run's outputs name too: that run becomes their producer. */
    private static void repointArtifacts(Connection c, List<String> ids, String marks) throws SQLException {
        Map<String, Object[]> to = new LinkedHashMap<>();
        List<Object> args = new ArrayList<>(ids);
        args.addAll(ids);
        try (PreparedStatement ps = c.prepareStatement("SELECT a.sha256, o.run_id, o.task_id, o.attempt FROM artifacts a"
                + " JOIN outputs o ON o.sha256 = a.sha256 WHERE a.run_id IN (" + marks + ") AND o.run_id NOT IN (" + marks + ")"
                + " ORDER BY a.sha256, o.run_id, o.task_id, o.attempt")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) to.putIfAbsent(rs.getString(1), new Object[] {rs.getString(2), rs.getString(3), rs.getInt(4)});
            }
        }
        if (to.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE artifacts SET run_id = ?, task_id = ?, attempt = ? WHERE sha256 = ?")) {
            for (Map.Entry<String, Object[]> e : to.entrySet()) {
                ps.setString(1, (String) e.getValue()[0]);
                ps.setString(2, (String) e.getValue()[1]);
                ps.setInt(3, (Integer) e.getValue()[2]);
                ps.setString(4, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** sha256 of every artifact the store references now: outputs and inputs of every run, and the {@link RetentionRoots roots}. */
    public Set<String> referenced() {
        return Jdbc.transaction(dataSource, "cannot read the referenced artifacts", c -> {
            Set<String> shas = new HashSet<>();
            for (String sql : List.of("SELECT DISTINCT sha256 FROM outputs", "SELECT DISTINCT sha256 FROM inputs")) {
                try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) shas.add(rs.getString(1));
                }
            }
            shas.addAll(column(c, tables(c), RetentionRoots.ARTIFACTS));
            return shas;
        });
    }

    private static Set<String> pinningTables() {
        Set<String> t = new HashSet<>();
        RetentionRoots.RUNS.forEach(r -> t.add(r.table()));
        RetentionRoots.ARTIFACTS.forEach(r -> t.add(r.table()));
        return t;
    }

    private static Set<String> kept(List<String[]> rows, Set<String> going) {
        Set<String> out = new HashSet<>();
        for (String[] r : rows) if (!going.contains(r[0])) out.add(r[1]);
        return out;
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static Set<String> column(Connection c, Set<String> tables, List<RetentionRoots.Root> roots) throws SQLException {
        Set<String> out = new HashSet<>();
        for (RetentionRoots.Root root : roots) {
            if (!tables.contains(root.table().toLowerCase(Locale.ROOT))) continue;
            try (PreparedStatement ps = c.prepareStatement(root.sql()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) if (rs.getString(1) != null) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String[]> pairs(Connection c, String sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        return out;
    }

    private static long count(Connection c, String sql, List<String> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void bind(PreparedStatement ps, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
    }

    private static List<List<String>> batches(List<String> runs) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i += BATCH) out.add(runs.subList(i, Math.min(runs.size(), i + BATCH)));
        return out;
    }
}
