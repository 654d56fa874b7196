package dev.sluice.engine.pipeline;

import dev.sluice.engine.pipeline.Drafts.ExprSite;
import dev.sluice.engine.pipeline.YamlNode.YamlList;
import dev.sluice.engine.pipeline.YamlNode.YamlMap;
import dev.sluice.engine.pipeline.YamlNode.YamlScalar;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The bind pass of {@code triggers:} and {@code alerts:} (v1.1), every problem reported with its place. */
final class EventsBinder {

    static final List<String> TRIGGER_KEYS = List.of("pipeline", "status", "model");
    static final List<String> ALERT_KEYS = List.of("when", "severity", "message", "notify", "trigger");
    static final List<String> RUN_STATES = List.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Pattern MODEL_REF = Pattern.compile("([a-z0-9][a-z0-9_-]{0,62})@([a-z0-9][a-z0-9_-]{0,62})");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Binding b;
    private final Problems problems;

    EventsBinder(Binding b, Problems problems) {
        this.b = b;
        this.problems = problems;
    }

    List<EventTrigger> triggers(MapReader r, String self) {
        YamlList list = list(r, "triggers", "a list of triggers");
        if (list == null) return List.of();
        List<EventTrigger> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.items().size(); i++) {
            String path = Paths.item("triggers", i);
            YamlNode item = list.items().get(i);
            if (!(item instanceof YamlMap m)) {
                problems.add(item.location(), path, "wrong-type", "each trigger must be a mapping with pipeline or model, not " + item.kind());
                continue;
            }
            MapReader t = new MapReader(m, path, problems, TRIGGER_KEYS);
            EventTrigger trigger = null;
            if (t.has("pipeline") == t.has("model")) {
                problems.add(m.location(), path, "bad-trigger", "a trigger names either a pipeline or a model",
                        "write `- pipeline: NAME` or `- model: NAME@ALIAS`");
                continue;
            }
            if (t.has("pipeline")) {
                String name = t.text("pipeline");
                List<String> statuses = statuses(t);
                if (name == null) continue;
                if (!b.checkId(name, "pipeline name", t.valueAt("pipeline"), () -> t.path("pipeline"))) continue;
                if (name.equals(self)) {
                    problems.add(t.valueAt("pipeline"), t.path("pipeline"), "trigger-cycle",
                            "a pipeline cannot trigger itself: " + name + " -> " + name);
                    continue;
                }
                if (statuses != null) trigger = EventTrigger.onPipeline(name, statuses, t.valueAt("pipeline"));
            } else {
                if (t.has("status")) {
                    problems.add(t.keyAt("status"), t.path("status"), "unknown-key", "'status' belongs to a pipeline trigger, not a model trigger");
                }
                String ref = t.text("model");
                if (ref == null) continue;
                var matcher = MODEL_REF.matcher(ref.strip());
                if (!matcher.matches()) {
                    problems.add(t.valueAt("model"), t.path("model"), "bad-model-ref", "bad model reference '" + ref
                            + "': a model trigger follows an alias, NAME@ALIAS", "e.g. heart-disease@champion");
                    continue;
                }
                trigger = EventTrigger.onModel(matcher.group(1), matcher.group(2), t.valueAt("model"));
            }
            if (trigger == null) continue;
            String key = trigger.isPipeline() ? "pipeline " + trigger.pipeline() : "model " + trigger.modelRef();
            if (!seen.add(key)) {
                problems.add(m.location(), path, "duplicate-trigger", "duplicate trigger on " + key);
                continue;
            }
            out.add(trigger);
        }
        return out;
    }

    private List<String> statuses(MapReader t) {
        List<YamlScalar> items = t.scalars("status", "run state");
        if (items == null) return t.has("status") ? null : List.of();
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (YamlScalar s : items) {
            String v = s.text().strip().toUpperCase(Locale.ROOT);
            if (!RUN_STATES.contains(v)) {
                problems.add(s.location(), t.path("status"), "bad-status", "unknown run state '" + s.text()
                        + "': a run ends SUCCEEDED, FAILED or CANCELLED", Hints.didYouMean(v, RUN_STATES));
                ok = false;
            } else if (!out.contains(v)) {
                out.add(v);
            }
        }
        return ok ? out : null;
    }

    List<AlertRule> alerts(MapReader r, List<ExprSite> sites) {
        YamlList list = list(r, "alerts", "a list of alerts");
        if (list == null) return List.of();
        List<AlertRule> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            String path = Paths.item("alerts", i);
            YamlNode item = list.items().get(i);
            if (!(item instanceof YamlMap m)) {
                problems.add(item.location(), path, "wrong-type", "each alert must be a mapping with when, not " + item.kind());
                continue;
            }
            MapReader a = new MapReader(m, path, problems, ALERT_KEYS);
            boolean ok = true;
            String when = null;
            if (a.require("when")) {
                YamlScalar s = a.scalar("when", "failed, succeeded, finished or an expression");
                if (s != null) {
                    String text = s.text().strip();
                    if (AlertRule.KEYWORDS.contains(text)) {
                        when = text;
                    } else if (text.contains("${{")) {
                        when = b.conditionForAlert(s, a.path("when"), sites);
                    } else {
                        problems.add(s.location(), a.path("when"), "bad-when", "'when' must be failed, succeeded, finished or an"
                                + " expression in ${{ }}, not '" + text + "'", Hints.didYouMean(text, AlertRule.KEYWORDS));
                    }
                }
            }
            ok &= when != null;
            String severity = a.text("severity");
            if (severity != null && !AlertRule.SEVERITIES.contains(severity)) {
                problems.add(a.valueAt("severity"), a.path("severity"), "bad-severity", "unknown severity '" + severity
                        + "': info, warning or critical", Hints.didYouMean(severity, AlertRule.SEVERITIES));
                ok = false;
            }
            String message = null;
            if (a.has("message")) {
                YamlScalar s = a.scalar("message", "a text");
                if (s != null) {
                    message = s.text();
                    b.templates(s, a.path("message"), null, sites);
                }
            }
            List<String> notify = new ArrayList<>();
            List<YamlScalar> channels = a.scalars("notify", "channel name");
            if (channels != null) {
                for (YamlScalar c : channels) {
                    if (!CHANNEL.matcher(c.text()).matches()) {
                        problems.add(c.location(), a.path("notify"), "bad-channel", "bad channel name '" + c.text() + "'");
                        ok = false;
                    } else if (!notify.contains(c.text())) {
                        notify.add(c.text());
                    }
                }
            }
            String trigger = a.text("trigger");
            if (trigger != null && !b.checkId(trigger, "pipeline name", a.valueAt("trigger"), () -> a.path("trigger"))) ok = false;
            if (ok) out.add(new AlertRule(i, when, severity, message, notify, trigger, trigger == null ? null : a.valueAt("trigger")));
        }
        return out;
    }

    private YamlList list(MapReader r, String key, String expected) {
        YamlNode n = r.node(key);
        if (n == null || (n instanceof YamlScalar s && s.isNull())) return null;
        if (!(n instanceof YamlList list)) {
            r.wrongType(key, expected, n);
            return null;
        }
        return list;
    }
}
