package dev.sluice.engine.api;

import dev.sluice.engine.store.MetricSeries;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/runs/{id}/steps/{task}/metrics}: every value an attempt wrote, as series. */
public final class SeriesHandler {

    private final Store store;

    public SeriesHandler(ApiContext api) {
        this.store = api.store();
    }

    /** {@code ?attempt=N}; by default the task's latest attempt (the successful one of a SUCCEEDED task). */
    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String task = ctx.pathParam("step");
        Integer wanted = RunsHandler.attemptParam(ctx);
        Http.blocking(ctx, () -> {
            store.run(id).orElseThrow(() -> ApiException.notFound("no run " + id));
            TaskRecord t = store.task(id, task).orElseThrow(() -> ApiException.notFound("run " + id + " has no step " + task));
            int attempt = wanted != null ? wanted : t.attempts();
            if (attempt < 0 || attempt > t.attempts()) {
                throw ApiException.notFound("step " + task + " of run " + id + " has no attempt " + attempt);
            }
            MetricSeries series = store.series(id, task, attempt);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("run_id", id);
            out.put("task_id", task);
            out.put("attempt", attempt);
            Map<String, Object> byName = new LinkedHashMap<>();
            series.series().forEach((name, points) -> {
                List<Map<String, Object>> list = new ArrayList<>(points.size());
                for (MetricSeries.Point p : points) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", p.step());
                    m.put("value", p.value());
                    m.put("at", p.at());
                    list.add(m);
                }
                byName.put(name, list);
            });
            out.put("series", byName);
            return Reply.ok(out);
        });
    }
}
