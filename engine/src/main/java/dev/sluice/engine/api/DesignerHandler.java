package dev.sluice.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.designer.Designer;
import dev.sluice.engine.designer.Designer.Edited;
import dev.sluice.engine.designer.EditOp;
import dev.sluice.engine.designer.EditOps;
import dev.sluice.engine.designer.EditRefused;
import dev.sluice.engine.layout.Layouts;
import dev.sluice.engine.pipeline.Crons;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.Schedule;
import dev.sluice.engine.schedule.CronTrigger;
import dev.sluice.engine.schedule.ScheduleDescription;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/designer}: what the browser designer asks of the server. {@code POST edit} applies
 * edits to a pipeline text (the server owns YAML) and answers the new text, the document as
 * written, its problems and, when valid, its graph; {@code POST schedule} says a cron in words
 * with its next fire times. Nothing is saved.
 */
public final class DesignerHandler {

    /** Fire times {@code POST /api/designer/schedule} lists. */
    static final int FIRE_TIMES = 5;
    private static final String DEFAULT_FILE = "pipeline.yaml";

    private final Path baseDir;
    private final Clock clock;
    private final GraphJson graphs;

    public DesignerHandler(ApiContext api) {
        this.baseDir = api.baseDir();
        this.clock = api.clock();
        this.graphs = new GraphJson(new Layouts());
    }

    /** {@code POST /api/designer/edit} with {@code {"text", "file", "edits": [...]}}. */
    public void edit(RoutingContext ctx) {
        JsonNode body = jsonObject(ctx, Set.of("text", "file", "edits"));
        String text = optionalText(body, "text", "");
        String file = fileName(optionalText(body, "file", DEFAULT_FILE));
        if (text.getBytes(StandardCharsets.UTF_8).length > PipelineLoader.MAX_BYTES) {
            throw new ApiException(413, "too-large", "the pipeline text is over the limit of 1 MiB");
        }
        List<EditOp> edits;
        try {
            edits = EditOps.read(body.get("edits"));
        } catch (EditRefused e) {
            throw refused(e);
        }
        Http.blocking(ctx, () -> {
            Edited edited;
            try {
                edited = Designer.edit(text, file, edits, baseDir);
            } catch (EditRefused e) {
                throw refused(e);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("text", edited.text());
            out.put("changed", edited.changed());
            out.put("model", edited.model());
            List<Map<String, Object>> problems = new ArrayList<>();
            List<Map<String, Object>> plain = ProblemsJson.of(edited.problems());
            for (int i = 0; i < plain.size(); i++) {
                Map<String, Object> p = new LinkedHashMap<>(plain.get(i));
                p.put("step", edited.problemSteps().get(i));
                problems.add(p);
            }
            out.put("problems", problems);
            out.put("graph", edited.parsed().ok() ? graphs.of(Planner.plan(edited.parsed().pipeline())) : null);
            return Reply.ok(out);
        });
    }

    /** {@code POST /api/designer/schedule} with {@code {"cron", "timezone"}}: the cron in words and its next fire times. */
    public void schedule(RoutingContext ctx) {
        JsonNode body = jsonObject(ctx, Set.of("cron", "timezone"));
        String cron = optionalText(body, "cron", null);
        String zone = optionalText(body, "timezone", "UTC");
        List<Map<String, Object>> errors = new ArrayList<>();
        if (cron == null) {
            errors.add(error("cron", "a cron is required, e.g. \"0 3 * * *\" or \"@daily\""));
        } else {
            try {
                Crons.parse(cron);
            } catch (IllegalArgumentException e) {
                errors.add(error("cron", "bad cron '" + cron + "': " + e.getMessage()));
            }
        }
        ZoneId timezone = null;
        try {
            timezone = ZoneId.of(zone);
        } catch (DateTimeException e) {
            errors.add(error("timezone", "unknown timezone '" + zone + "'; use an IANA zone id such as Europe/Paris"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(400, "invalid-schedule", (String) errors.get(0).get("message"), Map.of("errors", errors));
        }
        Schedule schedule = new Schedule(cron, timezone, false);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", ScheduleDescription.describe(schedule));
        out.put("nextFireTimes", new CronTrigger(schedule).next(clock.instant(), FIRE_TIMES).stream().map(Object::toString).toList());
        Http.send(ctx, Reply.ok(out));
    }

    private static ApiException refused(EditRefused e) {
        return new ApiException(e.status(), e.code(), e.getMessage(), e.op() < 0 ? Map.of() : Map.of("op", e.op()));
    }

    private static Map<String, Object> error(String field, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message);
        return m;
    }

    /** @throws ApiException 415 for a body that is not JSON, 400 for one that is not an object of these fields */
    static JsonNode jsonObject(RoutingContext ctx, Set<String> fields) {
        String type = Http.mediaType(ctx);
        if (type != null && !type.equals("application/json")) {
            throw ApiException.unsupportedType("send a JSON object as Content-Type: application/json (got " + type + ")");
        }
        JsonNode node = Json.read(Http.bodyText(ctx));
        if (!node.isObject()) throw ApiException.badRequest("bad-json", "the body must be a JSON object");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                throw ApiException.badRequest("bad-json", "unknown field '" + name + "'; expected " + String.join(", ", fields.stream().sorted().toList()));
            }
        }
        return node;
    }

    private static String optionalText(JsonNode body, String name, String otherwise) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) return otherwise;
        if (!v.isTextual()) throw ApiException.badRequest("bad-json", "'" + name + "' must be a string");
        return v.asText();
    }

    /** Only a short file name, for problem locations (never used as a path). */
    private static String fileName(String file) {
        String name = file.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).strip();
        if (name.isEmpty()) return DEFAULT_FILE;
        return name.length() > 255 ? name.substring(0, 255) : name;
    }
}
