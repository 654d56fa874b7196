package dev.sluice.engine.pipeline;

import dev.sluice.engine.pipeline.Drafts.Defaults;
import dev.sluice.engine.pipeline.Drafts.ExprSite;
import dev.sluice.engine.pipeline.Drafts.PipelineDraft;
import dev.sluice.engine.pipeline.Drafts.StepDraft;
import dev.sluice.engine.pipeline.YamlNode.Entry;
import dev.sluice.engine.pipeline.YamlNode.YamlList;
import dev.sluice.engine.pipeline.YamlNode.YamlMap;
import dev.sluice.engine.pipeline.YamlNode.YamlScalar;
import java.math.BigInteger;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The bind pass: the YAML tree into a {@link PipelineDraft}, reporting every problem on the way. */
final class PipelineBinder {

    static final List<String> KEYS = List.of("name", "description", "params", "schedule", "concurrency",
            "defaults", "env", "steps", "triggers", "alerts");
    static final List<String> SCHEDULE_KEYS = List.of("cron", "timezone", "catchup");
    static final List<String> DEFAULTS_KEYS = List.of("retries", "retry_delay", "timeout", "worker");
    static final int MAX_CONCURRENCY = 10_000;

    private final Binding b;
    private final Problems problems;

    PipelineBinder(Problems problems, SourceText source) {
        this.b = new Binding(problems, source);
        this.problems = problems;
    }

    /** Null when the document is not a mapping (reported). */
    PipelineDraft bind(YamlNode root) {
        if (!(root instanceof YamlMap map)) {
            problems.add(root.location(), "", "wrong-type",
                    "a pipeline must be a mapping with name and steps, not " + root.kind());
            return null;
        }
        MapReader r = new MapReader(map, "", problems, KEYS);
        String name = null;
        if (r.require("name")) {
            String text = r.text("name");
            if (text != null && b.checkId(text, "pipeline name", r.valueAt("name"), () -> "name")) name = text;
        }
        String description = r.text("description");
        Map<String, Param> params = params(r);
        Schedule schedule = schedule(r);
        Long concurrency = r.integer("concurrency", 1, MAX_CONCURRENCY);
        Defaults defaults = defaults(r);
        List<ExprSite> sites = new ArrayList<>();
        Map<String, String> env = b.env(r, null, sites);
        List<StepDraft> steps = steps(r, defaults);
        EventsBinder events = new EventsBinder(b, problems);
        List<EventTrigger> triggers = events.triggers(r, name);
        List<ExprSite> alertSites = new ArrayList<>();
        List<AlertRule> alerts = events.alerts(r, alertSites);
        return new PipelineDraft(name, description, params, schedule,
                concurrency == null ? Pipeline.DEFAULT_CONCURRENCY : concurrency.intValue(), env, steps, sites,
                triggers, alerts, alertSites);
    }

    private Map<String, Param> params(MapReader r) {
        YamlMap m = r.map("params");
        if (m == null) return Map.of();
        Map<String, Param> params = new LinkedHashMap<>();
        Map<String, String> byUpper = new HashMap<>();
        for (Entry e : m.entries().values()) {
            String path = Paths.child("params", e.key());
            if (!b.checkName(e.key(), "param", e.keyLocation(), path)) continue;
            String other = byUpper.putIfAbsent(e.key().toUpperCase(Locale.ROOT), e.key());
            if (other != null) {
                problems.add(e.keyLocation(), path, "bad-name", "params '" + other + "' and '" + e.key()
                        + "' would both be SLUICE_PARAM_" + e.key().toUpperCase(Locale.ROOT));
                continue;
            }
            Param p = param(e, path);
            if (p != null) params.put(e.key(), p);
        }
        return params;
    }

    private Param param(Entry e, String path) {
        YamlNode n = e.value();
        if (n instanceof YamlScalar s && !s.isNull()) {
            Object v = s.value();
            if (v instanceof String str) return new Param(e.key(), ParamType.STRING, str);
            if (v instanceof Boolean bool) return new Param(e.key(), ParamType.BOOLEAN, bool);
            if (v instanceof Long l) return new Param(e.key(), ParamType.INTEGER, l);
            if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) return new Param(e.key(), ParamType.NUMBER, d);
            if (v instanceof BigInteger) {
                problems.add(n.location(), path, "bad-param", "param '" + e.key() + "' is too large for an integer");
                return null;
            }
            problems.add(n.location(), path, "bad-param", "param '" + e.key() + "' default " + s.text() + " is not a finite number");
            return null;
        }
        problems.add(n.location(), path, "bad-param", "param '" + e.key()
                + "' needs a default: a string, number or boolean, not " + n.kind());
        return null;
    }

    private Schedule schedule(MapReader r) {
        YamlMap m = r.map("schedule");
        if (m == null) return null;
        MapReader s = new MapReader(m, "schedule", problems, SCHEDULE_KEYS);
        String cron = null;
        if (s.require("cron")) {
            String text = s.text("cron");
            if (text != null) {
                try {
                    Crons.parse(text);
                    cron = text.strip();
                } catch (IllegalArgumentException e) {
                    problems.add(s.valueAt("cron"), "schedule.cron", "bad-cron", "bad cron '" + text + "': " + e.getMessage());
                }
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        boolean zoneOk = true;
        String tz = s.text("timezone");
        if (tz != null) {
            Set<String> zones = ZoneId.getAvailableZoneIds();
            if (zones.contains(tz)) {
                zone = ZoneId.of(tz);
            } else {
                zoneOk = false;
                problems.add(s.valueAt("timezone"), "schedule.timezone", "bad-timezone", "unknown timezone '" + tz + "'",
                        hintZone(tz, zones));
            }
        }
        Boolean catchup = s.bool("catchup");
        return cron == null || !zoneOk ? null : new Schedule(cron, zone, catchup != null && catchup);
    }

    private static String hintZone(String tz, Set<String> zones) {
        String h = Hints.didYouMean(tz, zones);
        return h != null ? h : "use an IANA zone id like Europe/Paris or UTC";
    }

    private Defaults defaults(MapReader r) {
        YamlMap m = r.map("defaults");
        if (m == null) return Defaults.NONE;
        MapReader d = new MapReader(m, "defaults", problems, DEFAULTS_KEYS);
        Long retries = d.integer("retries", 0, StepBinder.MAX_RETRIES);
        Duration retryDelay = d.duration("retry_delay", false);
        Duration timeout = d.duration("timeout", true);
        List<String> labels = null;
        YamlMap worker = d.map("worker");
        if (worker != null) {
            labels = StepBinder.labelList(new MapReader(worker, "defaults.worker", problems, StepBinder.WORKER_KEYS), problems);
        }
        return new Defaults(retries == null ? null : retries.intValue(), retryDelay, timeout, labels);
    }

    private List<StepDraft> steps(MapReader r, Defaults defaults) {
        YamlNode n = r.node("steps");
        if (n instanceof YamlScalar s && s.isNull()) {
            problems.add(r.keyAt("steps"), "steps", "empty-steps", "steps must hold at least one step");
            return List.of();
        }
        if (!r.require("steps")) return List.of();
        if (!(n instanceof YamlList list)) {
            r.wrongType("steps", "a list of steps", n);
            return List.of();
        }
        if (list.items().isEmpty()) {
            problems.add(list.location(), "steps", "empty-steps", "steps must hold at least one step");
            return List.of();
        }
        StepBinder binder = new StepBinder(b, defaults);
        List<StepDraft> steps = new ArrayList<>(list.items().size());
        for (int i = 0; i < list.items().size(); i++) {
            StepDraft s = binder.bind(list.items().get(i), i, Paths.item("steps", i));
            if (s != null) steps.add(s);
        }
        return steps;
    }
}
