package dev.sluice.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.pipeline.ParamValues;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.report.RunReport;
import dev.sluice.engine.report.StepLog;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.scheduler.RunControl;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.scheduler.Takeover;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/runs} and {@code /api/pipelines/{name}/runs}: start, list, show, cancel runs; step logs. */
public final class RunsHandler {

    private static final Logger log = LoggerFactory.getLogger(RunsHandler.class);
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final Store store;
    private final RunControl scheduler;
    private final Path baseDir;
    private final Clock clock;
    private final String owner;
    private final ParsedVersions parsedVersions;
    private final GroupCommit creations;

    public RunsHandler(ApiContext api) {
        this.store = api.store();
        this.scheduler = api.scheduler();
        this.baseDir = api.baseDir();
        this.clock = api.clock();
        this.owner = api.owner();
        this.parsedVersions = new ParsedVersions(api.baseDir());
        this.creations = new GroupCommit(api.store());
    }

    /** {@code POST /api/pipelines/{name}/runs} with {@code {"params": {...}}} or no body: a manual run. */
    public void trigger(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String body = Http.bodyText(ctx);
        Map<String, Object> given = body.isBlank() ? Map.of() : params(ctx, body);
        Http.blocking(ctx, () -> {
            PipelineVersion version = store.latestPipeline(name).orElseThrow(() -> PipelinesHandler.noPipeline(name));
            ParsedVersions.Parsed cached = parsedVersions.of(version);
            ParseResult parsed = cached.result();
            if (!parsed.ok()) throw ProblemsJson.invalid(parsed.problems());
            Map<String, Object> values;
            try {
                values = ParamValues.resolveJson(parsed.pipeline().params(), given);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad-params", e.getMessage());
            }
            Plan plan = cached.plan();
            Instant now = clock.instant();
            Change.CreateRun create = NewRun.create(NewRun.newId(now), version, plan, values, "manual", now, now, owner);
            // with the runs other requests create meanwhile: one commit for many under load
            creations.commit(List.of(create, dev.sluice.engine.scheduler.Provenances.capture(store, parsed.pipeline(), version,
                    plan, create.run().id(), null)));
            String id = create.run().id();
            scheduler.start(plan, create.run(), create.tasks()).whenComplete((end, error) -> {
                if (error != null && !Scheduler.handedOver(error)) {
                    log.error("[pipeline {}] [run {}] the scheduler could not finish it: {}", name, id, error.toString());
                }
            });
            log.info("[pipeline {}] [run {}] created by a manual trigger (v{})", name, id, version.version());
            return Reply.json(201, Map.of("id", id)).withHeader("Location", "/api/runs/" + id);
        });
    }

    private static Map<String, Object> params(RoutingContext ctx, String body) {
        String type = Http.mediaType(ctx);
        if (type != null && !type.equals("application/json")) {
            throw ApiException.unsupportedType("send {\"params\": {...}} as Content-Type: application/json (got " + type + ")");
        }
        JsonNode node = Json.read(body);
        if (!node.isObject()) throw ApiException.badRequest("bad-json", "the body must be a JSON object: {\"params\": {...}}");
        Map<String, Object> out = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (!f.getKey().equals("params")) throw ApiException.badRequest("bad-json", "unknown field '" + f.getKey() + "' (only 'params')");
            if (f.getValue().isNull()) continue;
            if (!f.getValue().isObject()) throw ApiException.badRequest("bad-json", "'params' must be an object of name: value");
            f.getValue().fields().forEachRemaining(p -> out.put(p.getKey(), Json.toJava(p.getValue())));
        }
        return out;
    }

    /** {@code GET /api/runs?pipeline=&status=&limit=&before=}: newest first. */
    public void list(RoutingContext ctx) {
        RunQuery query = query(ctx);
        Http.blocking(ctx, () -> Reply.ok(store.runs(query).stream().map(RunsHandler::summary).toList()));
    }

    private static RunQuery query(RoutingContext ctx) {
        String pipeline = ctx.request().getParam("pipeline");
        String status = ctx.request().getParam("status");
        String limit = ctx.request().getParam("limit");
        String before = ctx.request().getParam("before");
        RunState state = null;
        if (status != null && !status.isEmpty()) {
            try {
                state = RunState.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad-query", "status must be one of " + List.of(RunState.values()));
            }
        }
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) throw ApiException.badRequest("bad-query", "limit must be a number from 1 to " + MAX_LIMIT);
        }
        Instant until = null;
        if (before != null && !before.isEmpty()) {
            try {
                until = Instant.parse(before);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("bad-query", "before must be an ISO-8601 instant such as 2026-11-23T18:00:00Z");
            }
        }
        return new RunQuery(pipeline == null || pipeline.isEmpty() ? null : pipeline, state, until, n);
    }

    /** A run as listed: the stored fields, secret-looking params masked as {@link RunReport} does. */
    private static Map<String, Object> summary(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("pipeline", r.pipeline());
        m.put("version", r.version());
        m.put("status", r.status().name());
        m.put("reason", r.reason());
        m.put("params", RunReport.masked(r.params()));
        m.put("logicalDate", r.logicalDate());
        m.put("trigger", r.triggerJson().get("type"));
        m.put("trigger_detail", r.triggerJson());
        m.put("createdAt", r.createdAt());
        m.put("startedAt", r.startedAt());
        m.put("endedAt", r.endedAt());
        m.put("owner", r.owner());
        m.put("heartbeatAt", r.heartbeatAt());
        return m;
    }

    /** {@code GET /api/runs/{id}}: the run report, as {@code sluice run --json} prints it. */
    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Http.blocking(ctx, () -> Reply.ok(RunReport.load(store, id).orElseThrow(() -> noRun(id))));
    }

    /** {@code POST /api/runs/{id}/cancel}: asks the scheduler to cancel; 409 when the run already ended. */
    public void cancel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Http.blocking(ctx, () -> {
            RunRecord run = store.run(id).orElseThrow(() -> noRun(id));
            if (run.status().terminal()) throw ApiException.conflict("run " + id + " already ended " + run.status());
            if (run.owner() != null && !run.owner().equals(owner) && !scheduler.reaches(run.owner())) {
                throw ApiException.conflict("run " + id + " is run by " + run.owner() + ", not by this server: cancel it there");
            }
            scheduler.cancel(id);
            log.info("[pipeline {}] [run {}] cancel requested over HTTP", run.pipeline(), id);
            return Reply.json(202, Map.of("id", id, "status", run.status().name()));
        });
    }

    /**
     * {@code POST /api/runs/{id}/retry}: a new attempt of the FAILED, SKIPPED and CANCELLED steps of a
     * FAILED or CANCELLED run, on the same run; 409 for a run in any other state.
     */
    public void retry(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Http.blocking(ctx, () -> {
            RunRecord run = store.run(id).orElseThrow(() -> noRun(id));
            if (run.status() != RunState.FAILED && run.status() != RunState.CANCELLED) {
                throw ApiException.conflict("run " + id + " is " + run.status() + "; only a FAILED or CANCELLED run can be retried");
            }
            Plan plan = Takeover.plan(store, run, baseDir).orElseThrow(() -> ApiException.conflict("run " + id
                    + " cannot be retried: its pipeline " + run.pipeline() + " v" + run.version() + " no longer validates"));
            scheduler.retry(plan, id).whenComplete((end, error) -> {
                if (error != null) log.warn("[pipeline {}] [run {}] retry: {}", run.pipeline(), id, error.getMessage());
            });
            log.info("[pipeline {}] [run {}] retry requested over HTTP", run.pipeline(), id);
            return Reply.json(202, Map.of("id", id, "status", RunState.RUNNING.name()));
        });
    }

    /**
     * {@code POST /api/runs/{id}/rerun}: a new run of the same pipeline version with the same params,
     * logical date and pinned model versions, marked {@code rerun_of}; 201 with its run JSON.
     */
    public void rerun(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Http.blocking(ctx, () -> {
            dev.sluice.engine.scheduler.Reruns.Rerun rerun;
            try {
                rerun = dev.sluice.engine.scheduler.Reruns.prepare(store, id, baseDir, false, "rerun", clock.instant(), owner);
            } catch (dev.sluice.engine.scheduler.Reruns.Refused e) {
                throw e.notFound() ? noRun(id) : ApiException.conflict(e.getMessage());
            }
            store.commit(rerun.changes());
            String newId = rerun.create().run().id();
            scheduler.start(rerun.plan(), rerun.create().run(), rerun.create().tasks()).whenComplete((end, error) -> {
                if (error != null && !Scheduler.handedOver(error)) log.error("[run {}] the scheduler could not finish the rerun: {}", newId, error.toString());
            });
            log.info("[pipeline {}] [run {}] created as a rerun of {}", rerun.create().run().pipeline(), newId, id);
            return Reply.json(201, RunReport.load(store, newId).orElseThrow()).withHeader("Location", "/api/runs/" + newId);
        });
    }

    /** {@code GET /api/runs/{a}/diff/{b}}: params, models, code, metrics and outputs that differ. */
    public void diff(RoutingContext ctx) {
        String a = ctx.pathParam("id");
        String b = ctx.pathParam("other");
        Http.blocking(ctx, () -> Reply.ok(dev.sluice.engine.report.RunDiff.of(store, a, b)
                .orElseThrow(() -> store.run(a).isEmpty() ? noRun(a) : noRun(b))));
    }

    /** {@code GET /api/runs/{id}/steps/{step}/logs[?attempt=N]}: the stored log of one attempt (default the latest). */
    public void logs(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String step = ctx.pathParam("step");
        Integer wanted = attemptParam(ctx);
        Http.blocking(ctx, () -> {
            store.run(id).orElseThrow(() -> noRun(id));
            try {
                return Reply.text(StepLog.read(store, id, step, wanted));
            } catch (StepLog.Missing e) {
                throw ApiException.notFound(e.getMessage());
            }
        });
    }

    /** {@code ?attempt=N}, or null when absent. */
    static Integer attemptParam(RoutingContext ctx) {
        String value = ctx.request().getParam("attempt");
        try {
            return value == null || value.isEmpty() ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad-query", "attempt must be a number");
        }
    }

    private static ApiException noRun(String id) {
        return ApiException.notFound("no run " + id);
    }
}
