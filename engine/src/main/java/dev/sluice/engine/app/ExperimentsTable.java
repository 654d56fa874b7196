package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.Json;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.report.Experiments;
import dev.sluice.engine.report.RunReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code sluice runs NAME --metrics auc,accuracy --params l2}: the experiments table, local or from a server. */
record ExperimentsTable(String pipeline, List<String> metrics, List<String> params, String sort, List<String> filters, int limit) {

    int local(StoreOptions storeOptions, PrintWriter out, boolean json) {
        List<Experiments.Filter> parsed = filters.stream().map(Experiments::parseFilter).toList();
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            Set<String> names = new LinkedHashSet<>();
            for (String m : metrics) names.add(bare(m));
            for (Experiments.Filter f : parsed) names.add(bare(f.column()));
            if (sort != null) names.add(bare(sort.replaceFirst("^[-+]", "")));
            Experiments.Table t = Experiments.build(engine.store.monitor().experiments(pipeline, metrics.isEmpty() ? Set.of() : names),
                    metrics, params, parsed, sort, limit, 0);
            if (json) {
                out.println(Json.writePretty(t));
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Experiments.Row r : t.rows()) {
                Map<String, Object> shown = new java.util.LinkedHashMap<>(r.matrix());
                shown.putAll(RunReport.masked(r.params()));
                rows.add(row(r.runId(), r.taskId(), r.status(), shown, r.metrics(), t.params(), t.metrics()));
            }
            print(t.params(), t.metrics(), rows, t.total(), out);
        }
        return 0;
    }

    int remote(ServerClient client, PrintWriter out, boolean json) {
        StringBuilder path = new StringBuilder("/api/pipelines/" + ServerClient.segment(pipeline) + "/experiments?limit=" + limit);
        if (!metrics.isEmpty()) path.append("&metrics=").append(ServerClient.query(String.join(",", metrics)));
        if (!params.isEmpty()) path.append("&params=").append(ServerClient.query(String.join(",", params)));
        if (sort != null) path.append("&sort=").append(ServerClient.query(sort));
        if (!filters.isEmpty()) path.append("&filter=").append(ServerClient.query(String.join(",", filters)));
        JsonNode t = client.getJson(path.toString());
        if (json) {
            out.println(Json.writePretty(t));
            return 0;
        }
        List<String> ps = new ArrayList<>();
        t.path("params").forEach(p -> ps.add(p.asText()));
        List<String> ms = new ArrayList<>();
        t.path("metrics").forEach(m -> ms.add(m.asText()));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : t.path("rows")) {
            List<String> row = new ArrayList<>(List.of(r.path("run_id").asText(), r.path("task_id").asText(""), r.path("status").asText()));
            for (String p : ps) {
                JsonNode v = r.path("params").has(p) ? r.path("params").get(p) : r.path("matrix").get(p);
                row.add(v == null ? "" : v.asText());
            }
            for (String m : ms) row.add(r.path("metrics").has(m) ? number(r.path("metrics").get(m).asDouble()) : "");
            rows.add(row);
        }
        print(ps, ms, rows, t.path("total").asInt(), out);
        return 0;
    }

    private static String bare(String column) {
        return column.contains(".") ? column.substring(column.lastIndexOf('.') + 1) : column;
    }

    private static List<String> row(String run, String task, String status, Map<String, Object> params, Map<String, Double> metrics,
            List<String> ps, List<String> ms) {
        List<String> row = new ArrayList<>(List.of(run, task == null ? "" : task, status));
        for (String p : ps) row.add(params.containsKey(p) ? String.valueOf(params.get(p)) : "");
        for (String m : ms) row.add(metrics.containsKey(m) ? number(metrics.get(m)) : "");
        return row;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    private static void print(List<String> ps, List<String> ms, List<List<String>> rows, int total, PrintWriter out) {
        List<String> header = new ArrayList<>(List.of("RUN", "TASK", "STATUS"));
        header.addAll(ps);
        header.addAll(ms);
        out.print(Format.table(header, rows));
        out.printf("%d of %d rows%n", rows.size(), total);
    }
}
