package dev.sluice.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.designer.Delta;
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
    /** Answers kept as bases (a few editors, each with its undo steps in flight). */
    static final int ANSWERS = 8;

    private final Path baseDir;
    private final Clock clock;
    private final GraphJson graphs;
    /** The last answers by the sha256 of their text: the bases a changes-only edit starts from. */
    private final Map<String, Map<String, Object>> answers = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
                    return size() > ANSWERS;
                }
            });

    public DesignerHandler(ApiContext api) {
        this.baseDir = api.baseDir();
        this.clock = api.clock();
        this.graphs = new GraphJson(new Layouts());
    }

    /**
     * {@code POST /api/designer/edit} with {@code {"text", "file", "edits": [...]}}, or, changes
     * only, {@code {"base", "patch", "file", "edits"}}: {@code base} the {@code sha256} of an earlier
     * answer (the text the editor holds), {@code patch} an optional {@code {"start", "end", "text"}}
     * change of it (typing). A changes-only request is answered with changes only: the text's one
     * changed range and what changed in the document and graph ({@link dev.sluice.engine.designer.Delta}),
     * and 409 {@code unknown-base} when the base is no longer known here (the editor sends its text).
     */
    public void edit(RoutingContext ctx) {
        JsonNode body = jsonObject(ctx, Set.of("text", "file", "edits", "base", "patch"));
        String base = optionalText(body, "base", null);
        String file = fileName(optionalText(body, "file", DEFAULT_FILE));
        List<EditOp> edits;
        try {
            edits = EditOps.read(body.get("edits"));
        } catch (EditRefused e) {
            throw refused(e);
        }
        Map<String, Object> patch = base == null ? null : textPatch(body.get("patch"));
        String sent = optionalText(body, "text", "");
        Http.blocking(ctx, () -> {
            Map<String, Object> before = null;
            String text = sent;
            if (base != null) {
                before = answers.get(base);
                if (before == null) throw new ApiException(409, "unknown-base", "the server no longer holds that text; send it whole");
                text = (String) before.get("text");
                if (patch != null) {
                    int start = (Integer) patch.get("start"), end = (Integer) patch.get("end");
                    if (start < 0 || end < start || end > text.length()) throw ApiException.badRequest("bad-json", "'patch' is outside the text");
                    text = Delta.applyText(text, patch);
                }
            }
            if (text.getBytes(StandardCharsets.UTF_8).length > PipelineLoader.MAX_BYTES) {
                throw new ApiException(413, "too-large", "the pipeline text is over the limit of 1 MiB");
            }
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
            String sha = PipelineFiles.sha256(edited.text());
            answers.put(sha, out);
            if (before == null) {
                Map<String, Object> whole = new LinkedHashMap<>(out);
                whole.put("sha256", sha);
                return Reply.ok(whole);
            }
            Map<String, Object> delta = new LinkedHashMap<>();
            delta.put("base", base);
            delta.put("sha256", sha);
            delta.put("changed", edited.changed());
            delta.put("textPatch", Delta.text((String) before.get("text"), edited.text()));
            delta.put("modelPatch", Delta.of(before.get("model"), out.get("model")));
            delta.put("problems", problems);
            delta.put("graphPatch", Delta.of(before.get("graph"), out.get("graph")));
            return Reply.ok(delta);
        });
    }

    private static Map<String, Object> textPatch(JsonNode p) {
        if (p == null || p.isNull()) return null;
        if (!p.isObject() || !p.path("start").isInt() || !p.path("end").isInt() || !p.path("text").isTextual()) {
            throw ApiException.badRequest("bad-json", "'patch' must be {\"start\": int, \"end\": int, \"text\": string}");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", p.get("start").asInt());
        m.put("end", p.get("end").asInt());
        m.put("text", p.get("text").asText());
        return m;
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
