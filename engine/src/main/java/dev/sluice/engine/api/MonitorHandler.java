package dev.sluice.engine.api;

import dev.sluice.engine.pipeline.AlertRule;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.report.Experiments;
import dev.sluice.engine.store.AlertRecord;
import dev.sluice.engine.store.MonitorStore;
import dev.sluice.engine.store.Store;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/pipelines/{name}/experiments}, {@code GET /api/metrics} (one metric over time, with the
 * thresholds of the pipeline's alerts) and {@code GET /api/alerts}. Names and messages are returned
 * verbatim: the pages escape them.
 */
public final class MonitorHandler {

    static final int MAX_LIMIT = 500;
    private static final Pattern THRESHOLD = Pattern.compile(
            "steps\\.([a-z0-9][a-z0-9_-]*)\\.metrics\\.([A-Za-z_][A-Za-z0-9_]*)\\s*(>=|<=|>|<|==)\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");

    private final Store store;
    private final Path baseDir;

    public MonitorHandler(ApiContext api) {
        this.store = api.store();
        this.baseDir = api.baseDir();
    }

    /** {@code ?metrics=auc,evaluate.accuracy&params=l2&sort=-evaluate.auc&filter=evaluate.auc>0.85,l2=0.1&limit=50&offset=0}. */
    public void experiments(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        List<String> metrics = list(ctx, "metrics");
        List<String> params = list(ctx, "params");
        List<Experiments.Filter> filters = new ArrayList<>();
        try {
            for (String f : list(ctx, "filter")) filters.add(Experiments.parseFilter(f));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad-query", e.getMessage());
        }
        String sort = ctx.request().getParam("sort");
        int limit = number(ctx, "limit", 50, 1, MAX_LIMIT);
        int offset = number(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Http.blocking(ctx, () -> {
            if (store.pipelineState(name).isEmpty()) throw ApiException.notFound("no pipeline " + name);
            Set<String> names = new LinkedHashSet<>();
            for (String m : metrics) names.add(m.contains(".") ? m.substring(m.lastIndexOf('.') + 1) : m);
            for (Experiments.Filter f : filters) names.add(f.column().contains(".") ? f.column().substring(f.column().lastIndexOf('.') + 1) : f.column());
            if (sort != null && !sort.isBlank()) {
                String col = sort.replaceFirst("^[-+]", "");
                names.add(col.contains(".") ? col.substring(col.lastIndexOf('.') + 1) : col);
            }
            Experiments.Table t = Experiments.build(store.monitor().experiments(name, metrics.isEmpty() ? Set.of() : names),
                    metrics, params, filters, sort, limit, offset);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pipeline", name);
            out.put("params", t.params());
            out.put("metrics", t.metrics());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Experiments.Row r : t.rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("run_id", r.runId());
                m.put("task_id", r.taskId());
                m.put("status", r.status());
                m.put("created_at", r.createdAt());
                m.put("params", dev.sluice.engine.report.RunReport.masked(r.params()));
                m.put("matrix", r.matrix());
                m.put("metrics", r.metrics());
                rows.add(m);
            }
            out.put("rows", rows);
            out.put("total", t.total());
            out.put("limit", limit);
            out.put("offset", offset);
            return Reply.ok(out);
        });
    }

    /** {@code GET /api/metrics?pipeline=&step=&name=&since=&limit=}. */
    public void history(RoutingContext ctx) {
        String pipeline = required(ctx, "pipeline");
        String step = required(ctx, "step");
        String name = required(ctx, "name");
        Instant since = instant(ctx, "since");
        int limit = number(ctx, "limit", 1000, 1, 10_000);
        Http.blocking(ctx, () -> {
            List<Map<String, Object>> points = new ArrayList<>();
            for (MonitorStore.HistoryPoint p : store.monitor().history(pipeline, step, name, since, limit)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("run_id", p.runId());
                m.put("task_id", p.taskId());
                m.put("at", p.at());
                m.put("value", p.value());
                points.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pipeline", pipeline);
            out.put("step", step);
            out.put("name", name);
            out.put("points", points);
            out.put("thresholds", thresholds(pipeline, step, name));
            return Reply.ok(out);
        });
    }

    /** The alerts of the pipeline's latest version comparing this metric with a number. */
    private List<Map<String, Object>> thresholds(String pipeline, String step, String name) {
        List<Map<String, Object>> out = new ArrayList<>();
        var version = store.latestPipeline(pipeline);
        if (version.isEmpty()) return out;
        ParseResult parsed = PipelineLoader.parse(pipeline + ".yaml", version.get().text(), baseDir);
        if (!parsed.ok()) return out;
        for (AlertRule rule : parsed.pipeline().alerts()) {
            if (!rule.isExpression()) continue;
            Matcher m = THRESHOLD.matcher(rule.when());
            while (m.find()) {
                if (!m.group(1).equals(step) || !m.group(2).equals(name)) continue;
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("alert", rule.message() != null ? rule.message() : rule.when());
                t.put("op", m.group(3));
                t.put("value", Double.parseDouble(m.group(4)));
                t.put("severity", rule.severity());
                out.add(t);
            }
        }
        return out;
    }

    /** {@code GET /api/alerts?pipeline=&severity=&since=&limit=}: newest first, with each channel's delivery. */
    public void alerts(RoutingContext ctx) {
        String pipeline = blankToNull(ctx.request().getParam("pipeline"));
        String severity = blankToNull(ctx.request().getParam("severity"));
        if (severity != null && !AlertRule.SEVERITIES.contains(severity)) {
            throw ApiException.badRequest("bad-query", "severity must be one of " + AlertRule.SEVERITIES);
        }
        Instant since = instant(ctx, "since");
        int limit = number(ctx, "limit", 100, 1, MAX_LIMIT);
        Http.blocking(ctx, () -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (AlertRecord a : store.monitor().alerts(new MonitorStore.AlertQuery(pipeline, severity, since, limit))) list.add(alertJson(a));
            return Reply.ok(Map.of("alerts", list));
        });
    }

    /**
     * {@code POST /api/channels/{name}/enable}: an operator re-enables a channel its receiver disabled
     * (410); the deliveries it holds are sent again at once.
     */
    public void enableChannel(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Http.blocking(ctx, () -> {
            boolean was = store.monitor().disabledChannels().contains(name);
            int again = store.monitor().enableChannel(name, Instant.now());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("channel", name);
            out.put("was_disabled", was);
            out.put("pending_again", again);
            return Reply.ok(out);
        });
    }

    static Map<String, Object> alertJson(AlertRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("pipeline", a.pipeline());
        m.put("run_id", a.runId());
        m.put("severity", a.severity());
        m.put("message", a.message());
        m.put("fired_at", a.firedAt());
        m.put("triggered_run_id", a.triggeredRunId());
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (AlertRecord.Delivery d : a.deliveries()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("channel", d.channel());
            dm.put("state", d.state());
            dm.put("attempts", d.attempts());
            dm.put("last_error", d.lastError());
            dm.put("next_at", d.nextAt());
            dm.put("delivered_at", d.deliveredAt());
            deliveries.add(dm);
        }
        m.put("deliveries", deliveries);
        return m;
    }

    private static List<String> list(RoutingContext ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String v : ctx.request().params().getAll(name)) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String required(RoutingContext ctx, String name) {
        String v = blankToNull(ctx.request().getParam(name));
        if (v == null) throw ApiException.badRequest("bad-query", name + " is required");
        return v;
    }

    private static Instant instant(RoutingContext ctx, String name) {
        String v = blankToNull(ctx.request().getParam(name));
        if (v == null) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad-query", name + " must be an ISO-8601 instant such as 2026-12-07T18:00:00Z");
        }
    }

    private static int number(RoutingContext ctx, String name, int dflt, int min, int max) {
        String v = blankToNull(ctx.request().getParam(name));
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("bad-query", name + " must be a number from " + min + " to " + max);
    }
}
