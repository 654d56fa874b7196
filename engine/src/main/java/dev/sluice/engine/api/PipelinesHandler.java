package dev.sluice.engine.api;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.Param;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.Schedule;
import dev.sluice.engine.schedule.CronTrigger;
import dev.sluice.engine.schedule.ScheduleDescription;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.store.PipelineState;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import dev.sluice.worker.protocol.Secrets;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/pipelines}: saved pipelines, their versions, saving a new text, pausing, deleting.
 * A deleted pipeline answers 404 everywhere here; its runs stay readable under {@code /api/runs}.
 */
public final class PipelinesHandler {

    private final Store store;
    private final Path baseDir;
    private final ParsedVersions parsedVersions;
    private final java.time.Clock clock;
    private final Runnable pipelinesChanged;
    private final PipelineFiles files;

    public PipelinesHandler(ApiContext api) {
        this.files = new PipelineFiles(api.baseDir());
        this.store = api.store();
        this.baseDir = api.baseDir();
        this.parsedVersions = new ParsedVersions(api.baseDir());
        this.clock = api.clock();
        this.pipelinesChanged = api.pipelinesChanged();
    }

    /** {@code GET /api/pipelines}: each pipeline's latest version. */
    public void list(RoutingContext ctx) {
        Http.blocking(ctx, () -> {
            Map<String, RunRecord> lastRuns = store.latestRuns();
            List<Map<String, Object>> out = new ArrayList<>();
            for (PipelineState state : store.pipelineStates()) {
                store.pipelineVersion(state.name(), state.latestVersion())
                        .ifPresent(v -> out.add(summary(v, state, lastRuns.get(state.name()), 1)));
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
            out.put("file", files.of(name).map(f -> files.shown(f.path())).orElse(null));
            return Reply.ok(out);
        });
    }

    /** {@code POST /api/pipelines/{name}/pause}: its schedule fires nothing until unpaused. */
    public void pause(RoutingContext ctx) {
        setPaused(ctx, true);
    }

    /** {@code POST /api/pipelines/{name}/unpause}: its schedule fires again, from now on (no catch-up). */
    public void unpause(RoutingContext ctx) {
        setPaused(ctx, false);
    }

    private void setPaused(RoutingContext ctx, boolean paused) {
        String name = ctx.pathParam("name");
        Http.blocking(ctx, () -> {
            store.setPaused(name, paused).orElseThrow(() -> noPipeline(name));
            pipelinesChanged.run();
            return Reply.ok(summary(latest(name), 1));
        });
    }

    /**
     * {@code DELETE /api/pipelines/{name}}: gone from the lists and its schedule stops; its
     * versions and runs stay, active runs go on. Saving the name again brings it back.
     */
    public void delete(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Http.blocking(ctx, () -> {
            if (!store.deletePipeline(name)) throw noPipeline(name);
            pipelinesChanged.run();
            return new Reply(204, "text/plain; charset=utf-8", "");
        });
    }

    /** {@code GET /api/pipelines/{name}/versions}. */
    public void versions(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Http.blocking(ctx, () -> {
            if (store.pipelineState(name).filter(s -> !s.deleted()).isEmpty()) throw noPipeline(name);
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

    /** {@code GET /api/pipelines/{name}/versions/{n}}: one version with its text. */
    public void version(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        int n;
        try {
            n = Integer.parseInt(ctx.pathParam("n"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad-version", "a version is a number: " + ctx.pathParam("n"));
        }
        Http.blocking(ctx, () -> {
            if (store.pipelineState(name).filter(s -> !s.deleted()).isEmpty()) throw noPipeline(name);
            PipelineVersion v = store.pipelineVersion(name, n)
                    .orElseThrow(() -> ApiException.notFound("pipeline " + name + " has no version " + n));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", v.name());
            out.put("version", v.version());
            out.put("sha256", v.sha256());
            out.put("createdAt", v.createdAt());
            out.put("text", v.text());
            return Reply.ok(out);
        });
    }

    /**
     * {@code PUT /api/pipelines/{name}} with the YAML text: saved as a new version when valid and
     * different from the latest (201), or left as is when equal to it (200). A pipeline declared by
     * a file of the pipelines folder is written back to that file (atomic replace), unless the file
     * changed since the text was read: {@code ?base_sha256=} (the sha256 of the text the client
     * started from; else the latest version's) differs from the file's. That answers 409
     * {@code file-changed} with both texts, and writes nothing; {@code ?force=true} overwrites.
     */
    public void put(RoutingContext ctx) {
        Http.requireYaml(ctx);
        String name = ctx.pathParam("name");
        String text = Http.bodyText(ctx);
        String base = ctx.queryParams().get("base_sha256");
        boolean force = "true".equals(ctx.queryParams().get("force"));
        Http.blocking(ctx, () -> {
            ParseResult parsed = PipelineLoader.parse(name + ".yaml", text, baseDir);
            if (!parsed.ok()) throw ProblemsJson.invalid(parsed.problems());
            String declared = parsed.pipeline().name();
            if (!declared.equals(name)) {
                throw ApiException.badRequest("name-mismatch",
                        "the text says name: " + declared + " but was sent to /api/pipelines/" + name);
            }
            Optional<PipelineVersion> before = store.latestPipeline(name);
            Optional<PipelineFiles.File> file = files.of(name);
            if (file.isPresent()) {
                PipelineFiles.File f = file.get();
                String expected = base != null && !base.isBlank() ? base : before.map(PipelineVersion::sha256).orElse(null);
                if (!force && expected != null && !f.sha256().equals(expected) && !f.text().equals(text)) {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("file", files.shown(f.path()));
                    extra.put("file_sha256", f.sha256());
                    extra.put("file_text", f.text());
                    extra.put("text", text);
                    throw new ApiException(409, "file-changed", files.shown(f.path())
                            + " changed on disk since this text was read; nothing was saved", extra);
                }
                if (!f.text().equals(text)) files.write(f.path(), text);
            }
            PipelineVersion saved = store.savePipeline(name, text);
            pipelinesChanged.run();
            boolean created = before.map(b -> b.version() != saved.version()).orElse(true);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", saved.name());
            out.put("version", saved.version());
            out.put("sha256", saved.sha256());
            out.put("file", file.map(f -> files.shown(f.path())).orElse(null));
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

    private Map<String, Object> summary(PipelineVersion v, int fireTimes) {
        PipelineState state = store.pipelineState(v.name()).orElseThrow(() -> noPipeline(v.name()));
        List<RunRecord> last = store.runs(new RunQuery(v.name(), null, null, 1));
        return summary(v, state, last.isEmpty() ? null : last.get(0), fireTimes);
    }

    /**
     * A pipeline's latest version; its schedule in words with the next {@code fireTimes} ticks
     * (when it would fire: a paused one does not), whether it is paused, its newest run.
     */
    private Map<String, Object> summary(PipelineVersion v, PipelineState state, RunRecord lastRun, int fireTimes) {
        Pipeline p = parsedVersions.of(v).result().pipeline();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("description", p == null ? "" : p.description());
        m.put("version", v.version());
        m.put("sha256", v.sha256());
        m.put("paused", state.paused());
        // what a run form needs: each param with its type and default, in file order
        List<Map<String, Object>> params = new ArrayList<>();
        if (p != null) {
            for (Param param : p.params().values()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("name", param.name());
                one.put("type", param.type().name().toLowerCase(Locale.ROOT));
                // a param named like a secret (SECRET, TOKEN, PASSWORD, KEY) never shows its default
                boolean secret = Secrets.secretName(param.name());
                one.put("default", secret && param.defaultValue() != null ? "***" : param.defaultValue());
                if (secret) one.put("secret", true);
                params.add(one);
            }
        }
        m.put("params", params);
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
        if (lastRun == null) {
            m.put("lastRun", null);
        } else {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("id", lastRun.id());
            run.put("status", lastRun.status().name());
            run.put("createdAt", lastRun.createdAt());
            m.put("lastRun", run);
        }
        return m;
    }
}
