package dev.sluice.engine.api;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.Schedule;
import dev.sluice.engine.schedule.CronTrigger;
import dev.sluice.engine.schedule.ScheduleDescription;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/pipelines}: saved pipelines, their versions, and saving a new text. */
public final class PipelinesHandler {

    private final Store store;
    private final Path baseDir;
    private final java.time.Clock clock;

    public PipelinesHandler(ApiContext api) {
        this.store = api.store();
        this.baseDir = api.baseDir();
        this.clock = api.clock();
    }

    /** {@code GET /api/pipelines}: each pipeline's latest version. */
    public void list(RoutingContext ctx) {
        Http.blocking(ctx, () -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String name : store.pipelineNames()) {
                store.latestPipeline(name).ifPresent(v -> out.add(summary(v, 1)));
            }
            return Reply.ok(out);
        });
    }

    /** {@code GET /api/pipelines/{name}}: the latest version with its text. */
    public void get(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Http.blocking(ctx, () -> {
            PipelineVersion v = latest(name);
            Map<String, Object> out = summary(v, 5);
            out.put("text", v.text());
            return Reply.ok(out);
        });
    }

    /** {@code GET /api/pipelines/{name}/versions}. */
    public void versions(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Http.blocking(ctx, () -> {
            List<PipelineVersion> versions = store.pipelineVersions(name);
            if (versions.isEmpty()) throw noPipeline(name);
            List<Map<String, Object>> out = new ArrayList<>();
            for (PipelineVersion v : versions) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", v.version());
                m.put("sha256", v.sha256());
                m.put("createdAt", v.createdAt());
                out.add(m);
            }
            return Reply.ok(out);
        });
    }

    /**
     * {@code PUT /api/pipelines/{name}} with the YAML text: saved as a new version when valid and
     * different from the latest (201), or left as is when equal to it (200).
     */
    public void put(RoutingContext ctx) {
        Http.requireYaml(ctx);
        String name = ctx.pathParam("name");
        String text = Http.bodyText(ctx);
        Http.blocking(ctx, () -> {
            ParseResult parsed = PipelineLoader.parse(name + ".yaml", text, baseDir);
            if (!parsed.ok()) throw ProblemsJson.invalid(parsed.problems());
            String declared = parsed.pipeline().name();
            if (!declared.equals(name)) {
                throw ApiException.badRequest("name-mismatch",
                        "the text says name: " + declared + " but was sent to /api/pipelines/" + name);
            }
            Optional<PipelineVersion> before = store.latestPipeline(name);
            PipelineVersion saved = store.savePipeline(name, text);
            boolean created = before.map(b -> b.version() != saved.version()).orElse(true);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", saved.name());
            out.put("version", saved.version());
            out.put("sha256", saved.sha256());
            Reply reply = Reply.json(created ? 201 : 200, out);
            return created ? reply.withHeader("Location", "/api/pipelines/" + name) : reply;
        });
    }

    private PipelineVersion latest(String name) {
        return store.latestPipeline(name).orElseThrow(() -> noPipeline(name));
    }

    static ApiException noPipeline(String name) {
        return ApiException.notFound("no pipeline " + name);
    }

    /** A pipeline's latest version; its schedule in words with the next {@code fireTimes} ticks. */
    private Map<String, Object> summary(PipelineVersion v, int fireTimes) {
        Pipeline p = PipelineLoader.parse(v.name() + ".yaml", v.text(), baseDir).pipeline();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("description", p == null ? "" : p.description());
        m.put("version", v.version());
        m.put("sha256", v.sha256());
        if (p != null && p.schedule() != null) {
            Schedule sc = p.schedule();
            Map<String, Object> schedule = new LinkedHashMap<>();
            schedule.put("cron", sc.cron());
            schedule.put("timezone", sc.timezone().getId());
            schedule.put("catchup", sc.catchup());
            schedule.put("description", ScheduleDescription.describe(sc));
            schedule.put("nextFireTimes", new CronTrigger(sc).next(clock.instant(), fireTimes).stream().map(Object::toString).toList());
            m.put("schedule", schedule);
        } else {
            m.put("schedule", null);
        }
        List<RunRecord> last = store.runs(new RunQuery(v.name(), null, null, 1));
        m.put("lastRun", last.isEmpty() ? null : Map.of("id", last.get(0).id(), "status", last.get(0).status().name()));
        return m;
    }
}
