package dev.sluice.engine.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tables whose rows go with a run, read from the database's own foreign keys: every table that
 * references {@code runs}, directly or through another such table ({@code tasks}, {@code attempts},
 * {@code log_chunks}, {@code artifacts}, ... and whatever later migrations add), in an order that
 * deletes referencing rows first. Tables that pin runs ({@link RetentionRoots#RUNS}) are left out:
 * their runs are never deleted. A table found only through a table without a run column is reached
 * with nested {@code EXISTS}.
 */
final class Cascade {

    /** How rows of {@code table} that belong to the runs being deleted are found. */
    record Table(String name, String runColumn, Table parent, List<String> columns, List<String> parentColumns) {

        /** A condition on {@code alias}'s rows; one {@code ?} per run id, taken once. */
        String where(String alias, String marks, int depth) {
            if (runColumn != null) return alias + "." + runColumn + " IN (" + marks + ")";
            String p = "p" + depth;
            StringBuilder join = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                join.append(i == 0 ? "" : " AND ").append(p).append('.').append(parentColumns.get(i))
                        .append(" = ").append(alias).append('.').append(columns.get(i));
            }
            return "EXISTS (SELECT 1 FROM " + parent.name + " " + p + " WHERE " + join + " AND "
                    + parent.where(p, marks, depth + 1) + ")";
        }
    }

    private record ForeignKey(String child, List<String> columns, String parent, List<String> parentColumns) {}

    /** Children first; {@code runs} last. */
    final List<Table> order;
    /** Nullable columns of {@code runs} that name another run ({@code rerun_of}): set to null when that run goes. */
    final List<String> runSelfReferences;

    private Cascade(List<Table> order, List<String> runSelfReferences) {
        this.order = List.copyOf(order);
        this.runSelfReferences = List.copyOf(runSelfReferences);
    }

    Table table(String name) {
        return order.stream().filter(t -> t.name.equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    static Cascade discover(Connection c, Set<String> pinningTables) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(c.getCatalog(), schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
        }
        List<ForeignKey> keys = new ArrayList<>();
        for (String t : tables) keys.addAll(importedKeys(meta, c.getCatalog(), schema, t));
        String runs = tables.stream().filter(t -> t.equalsIgnoreCase("runs")).findFirst()
                .orElseThrow(() -> new SQLException("no runs table"));

        Map<String, Table> found = new LinkedHashMap<>();
        found.put(runs.toLowerCase(Locale.ROOT), new Table(runs, idColumn(meta, c, schema, runs), null, List.of(), List.of()));
        List<String> selfReferences = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(runs));
        while (!todo.isEmpty()) {
            String parentName = todo.poll();
            Table parent = found.get(parentName.toLowerCase(Locale.ROOT));
            for (ForeignKey k : keys) {
                if (!k.parent.equalsIgnoreCase(parentName)) continue;
                if (k.child.equalsIgnoreCase(parentName)) {
                    if (parentName.equalsIgnoreCase(runs) && k.columns.size() == 1) selfReferences.add(k.columns.get(0));
                    continue;
                }
                if (pinningTables.stream().anyMatch(k.child::equalsIgnoreCase)) continue;
                String runColumn = null;
                if (parent.runColumn != null) {
                    int i = indexOfIgnoreCase(k.parentColumns, parent.runColumn);
                    if (i >= 0) runColumn = k.columns.get(i);
                }
                Table candidate = new Table(k.child, runColumn, parent, k.columns, k.parentColumns);
                Table known = found.get(k.child.toLowerCase(Locale.ROOT));
                if (known == null) {
                    found.put(k.child.toLowerCase(Locale.ROOT), candidate);
                    todo.add(k.child);
                } else if (known.runColumn == null && runColumn != null) {
                    found.put(k.child.toLowerCase(Locale.ROOT), candidate); // a direct run column is cheaper
                }
            }
        }
        return new Cascade(childrenFirst(found, keys), selfReferences);
    }

    /** Kahn's order over the foreign keys between the found tables: a table comes after every table referencing it. */
    private static List<Table> childrenFirst(Map<String, Table> found, List<ForeignKey> keys) throws SQLException {
        Map<String, Set<String>> referencedBy = new TreeMap<>();
        for (String t : found.keySet()) referencedBy.put(t, new LinkedHashSet<>());
        for (ForeignKey k : keys) {
            String child = k.child.toLowerCase(Locale.ROOT), parent = k.parent.toLowerCase(Locale.ROOT);
            if (!child.equals(parent) && found.containsKey(child) && found.containsKey(parent)) referencedBy.get(parent).add(child);
        }
        List<Table> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (done.size() < found.size()) {
            boolean progress = false;
            for (Map.Entry<String, Set<String>> e : referencedBy.entrySet()) {
                if (done.contains(e.getKey()) || !done.containsAll(e.getValue())) continue;
                done.add(e.getKey());
                order.add(found.get(e.getKey()));
                progress = true;
            }
            if (!progress) throw new SQLException("the foreign keys between " + found.keySet() + " form a cycle: retention cannot order its deletes");
        }
        return order;
    }

    private static List<ForeignKey> importedKeys(DatabaseMetaData meta, String catalog, String schema, String table) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        try (ResultSet rs = meta.getImportedKeys(catalog, schema, table)) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME") + "/" + rs.getString("PKTABLE_NAME");
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(new String[] {
                        rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME"), rs.getString("FKCOLUMN_NAME"),
                        String.valueOf(rs.getInt("KEY_SEQ"))});
            }
        }
        List<ForeignKey> keys = new ArrayList<>();
        for (List<String[]> columns : byName.values()) {
            columns.sort((a, b) -> Integer.compare(Integer.parseInt(a[3]), Integer.parseInt(b[3])));
            keys.add(new ForeignKey(table, columns.stream().map(x -> x[2]).toList(), columns.get(0)[0],
                    columns.stream().map(x -> x[1]).toList()));
        }
        return keys;
    }

    private static String idColumn(DatabaseMetaData meta, Connection c, String schema, String runs) throws SQLException {
        try (ResultSet rs = meta.getPrimaryKeys(c.getCatalog(), schema, runs)) {
            if (rs.next()) return rs.getString("COLUMN_NAME");
        }
        throw new SQLException("runs has no primary key");
    }

    private static int indexOfIgnoreCase(List<String> list, String s) {
        for (int i = 0; i < list.size(); i++) if (list.get(i).equalsIgnoreCase(s)) return i;
        return -1;
    }

    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
