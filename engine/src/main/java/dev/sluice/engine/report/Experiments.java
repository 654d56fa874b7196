package dev.sluice.engine.report;

import dev.sluice.engine.store.MonitorStore.ExperimentData;
import dev.sluice.engine.store.MonitorStore.MetricRow;
import dev.sluice.engine.store.MonitorStore.RunRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The experiments table of a pipeline (pure): one row per run, and one per matrix variant for runs
 * with matrix steps; params and final metrics as columns ({@code STEP.NAME}; a bare {@code NAME} selects
 * that name in every step), filtered, sorted and paged.
 */
public final class Experiments {

    /** A filter {@code column op value}, op one of {@code > >= < <= = !=}. */
    public record Filter(String column, String op, String value) {}

    public record Row(String runId, String taskId, String status, java.time.Instant createdAt, Map<String, Object> params,
            Map<String, Object> matrix, Map<String, Double> metrics) {}

    public record Table(List<String> params, List<String> metrics, List<Row> rows, int total) {}

    private static final Pattern FILTER = Pattern.compile("\\s*([A-Za-z0-9_.\\[\\]=-]+?)\\s*(>=|<=|!=|>|<|=)\\s*(.+?)\\s*");

    private Experiments() {}

    public static Filter parseFilter(String text) {
        Matcher m = FILTER.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("bad filter '" + text + "': use NAME>VALUE, NAME=VALUE, ...");
        return new Filter(m.group(1), m.group(2), m.group(3));
    }

    /**
     * @param wantedMetrics columns asked for (empty: every metric found)
     * @param wantedParams  params asked for (empty: every param found)
     * @param sort          a column, {@code -} first for descending; null: newest run first
     */
    public static Table build(ExperimentData data, List<String> wantedMetrics, List<String> wantedParams, List<Filter> filters,
            String sort, int limit, int offset) {
        Map<String, List<MetricRow>> byRun = new HashMap<>();
        for (MetricRow m : data.metrics()) byRun.computeIfAbsent(m.runId(), k -> new ArrayList<>()).add(m);
        Map<String, Map<String, Map<String, Object>>> variantsByRun = new HashMap<>();
        for (var v : data.variants()) variantsByRun.computeIfAbsent(v.runId(), k -> new LinkedHashMap<>()).put(v.taskId(), v.matrix());
        List<Row> rows = new ArrayList<>();
        Set<String> metricColumns = new LinkedHashSet<>();
        Set<String> paramColumns = new LinkedHashSet<>();
        for (RunRow run : data.runs()) {
            List<MetricRow> ms = byRun.getOrDefault(run.id(), List.of());
            paramColumns.addAll(run.params().keySet());
            // variants: tasks of matrix steps; the run's other metrics are shared by its variant rows
            Map<String, Map<String, Object>> variants = new LinkedHashMap<>(variantsByRun.getOrDefault(run.id(), Map.of()));
            Map<String, Double> shared = new LinkedHashMap<>();
            for (MetricRow m : ms) {
                if (!m.matrix().isEmpty()) variants.putIfAbsent(m.taskId(), m.matrix());
                else put(shared, m, wantedMetrics, metricColumns);
            }
            if (variants.isEmpty()) {
                rows.add(new Row(run.id(), null, run.status(), run.createdAt(), run.params(), Map.of(), shared));
            } else {
                for (var v : variants.entrySet()) {
                    Map<String, Double> metrics = new LinkedHashMap<>(shared);
                    for (MetricRow m : ms) if (m.taskId().equals(v.getKey())) put(metrics, m, wantedMetrics, metricColumns);
                    rows.add(new Row(run.id(), v.getKey(), run.status(), run.createdAt(), run.params(), v.getValue(), metrics));
                }
            }
        }
        List<Row> kept = rows.stream().filter(r -> filters.stream().allMatch(f -> matches(r, f))).toList();
        List<Row> sorted = new ArrayList<>(kept);
        if (sort != null && !sort.isBlank()) {
            boolean desc = sort.startsWith("-");
            String col = desc || sort.startsWith("+") ? sort.substring(1) : sort;
            Comparator<Row> byValue = Comparator.comparing(r -> value(r, col), Experiments::compare);
            sorted.sort(desc ? (a, b) -> nullsLast(value(a, col), value(b, col), byValue.reversed().compare(a, b))
                    : (a, b) -> nullsLast(value(a, col), value(b, col), byValue.compare(a, b)));
        }
        int from = Math.min(offset, sorted.size());
        int to = Math.min(from + limit, sorted.size());
        List<String> metrics = wantedMetrics.isEmpty() ? List.copyOf(metricColumns) : wantedMetrics;
        List<String> params = wantedParams.isEmpty() ? List.copyOf(paramColumns) : wantedParams;
        // every param served filters and sorts; the page shows the ones asked for
        List<Row> page = new ArrayList<>(to - from);
        for (Row r : sorted.subList(from, to)) {
            page.add(new Row(r.runId(), r.taskId(), r.status(), r.createdAt(), params(r.params(), wantedParams), r.matrix(), r.metrics()));
        }
        return new Table(params, metrics, page, sorted.size());
    }

    private static void put(Map<String, Double> out, MetricRow m, List<String> wanted, Set<String> columns) {
        String full = m.stepId() + "." + m.name();
        if (wanted.isEmpty() || wanted.contains(full)) {
            out.put(full, m.value());
            columns.add(full);
        }
        if (wanted.contains(m.name())) out.put(m.name(), m.value());
    }

    private static Map<String, Object> params(Map<String, Object> all, List<String> wanted) {
        if (wanted.isEmpty()) return all;
        Map<String, Object> out = new LinkedHashMap<>();
        for (String p : wanted) if (all.containsKey(p)) out.put(p, all.get(p));
        return out;
    }

    private static Object value(Row r, String col) {
        if (r.metrics().containsKey(col)) return r.metrics().get(col);
        for (var e : r.metrics().entrySet()) if (e.getKey().endsWith("." + col)) return e.getValue();
        if (r.params().containsKey(col)) return r.params().get(col);
        if (r.matrix().containsKey(col)) return r.matrix().get(col);
        return switch (col) {
            case "created_at" -> r.createdAt();
            case "status" -> r.status();
            default -> null;
        };
    }

    private static int nullsLast(Object a, Object b, int otherwise) {
        if (a == null && b == null) return 0;
        if (a == null) return 1;
        if (b == null) return -1;
        return otherwise;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) return 0;
        if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
        if (a instanceof Comparable c && a.getClass() == b.getClass()) return c.compareTo(b);
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static boolean matches(Row r, Filter f) {
        Object v = value(r, f.column());
        if (v == null) return false;
        int c;
        if (v instanceof Number n) {
            double want;
            try {
                want = Double.parseDouble(f.value());
            } catch (NumberFormatException e) {
                return false;
            }
            c = Double.compare(n.doubleValue(), want);
        } else {
            c = String.valueOf(v).compareTo(f.value());
        }
        return switch (f.op()) {
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case "=" -> c == 0;
            default -> c != 0;
        };
    }
}
