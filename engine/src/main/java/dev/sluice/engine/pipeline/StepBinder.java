package dev.sluice.engine.pipeline;

import dev.sluice.engine.expr.ValueType;
import dev.sluice.engine.expr.Values;
import dev.sluice.engine.pipeline.Drafts.Defaults;
import dev.sluice.engine.pipeline.Drafts.ExprSite;
import dev.sluice.engine.pipeline.Drafts.Ref;
import dev.sluice.engine.pipeline.Drafts.RegisterDraft;
import dev.sluice.engine.pipeline.Drafts.StepDraft;
import dev.sluice.engine.pipeline.YamlNode.Entry;
import dev.sluice.engine.pipeline.YamlNode.YamlList;
import dev.sluice.engine.pipeline.YamlNode.YamlMap;
import dev.sluice.engine.pipeline.YamlNode.YamlScalar;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binds one item of {@code steps}, with the pipeline's defaults applied. */
final class StepBinder {

    static final List<String> KEYS = List.of("id", "run", "needs", "workdir", "env", "outputs", "retries",
            "retry_delay", "timeout", "worker", "if", "matrix", "cache", "cache_files", "register", "models");
    static final List<String> REGISTER_KEYS = List.of("model", "from", "metrics", "aliases", "promote");
    static final List<String> PROMOTE_KEYS = List.of("alias", "if");
    static final List<String> WORKER_KEYS = List.of("labels");
    static final int MAX_RETRIES = 100;
    static final int MAX_MATRIX_COMBINATIONS = 1024;

    private final Binding b;
    private final Problems problems;
    private final Defaults defaults;

    StepBinder(Binding binding, Defaults defaults) {
        this.b = binding;
        this.problems = binding.problems;
        this.defaults = defaults;
    }

    /** Null when the item is not a mapping (reported). */
    StepDraft bind(YamlNode node, int index, String path) {
        if (!(node instanceof YamlMap map)) {
            problems.add(node.location(), path, "wrong-type", "a step must be a mapping with id and run, not " + node.kind());
            return null;
        }
        MapReader r = new MapReader(map, path, problems, KEYS);
        List<ExprSite> sites = new ArrayList<>();

        String id = null;
        Location idAt = map.location();
        if (r.require("id")) {
            String text = r.text("id");
            idAt = r.valueAt("id");
            if (text != null && b.checkId(text, "step id", idAt, () -> r.path("id"))) id = text;
        }
        String run = null;
        boolean registers = r.has("register");
        if (registers && r.has("run")) {
            problems.add(r.keyAt("register"), r.path("register"), "run-and-register",
                    "a step has either 'run' or 'register', not both");
        }
        if (!registers && r.require("run")) {
            YamlScalar s = r.scalar("run", "a shell command");
            if (s != null) {
                if (s.text().isBlank()) {
                    problems.add(s.location(), r.path("run"), "required", "'run' is empty");
                } else {
                    run = s.text();
                    b.templates(s, r, "run", id, sites);
                }
            }
        }
        List<Ref> needs = needs(r);
        String workdir = path(r, "workdir", true);
        Map<String, String> env = b.env(r, id, sites);
        List<String> outputs = paths(r, "outputs", "output");
        Long retries = r.integer("retries", 0, MAX_RETRIES);
        Duration retryDelay = r.duration("retry_delay", false);
        Duration timeout = r.duration("timeout", true);
        List<String> labels = labels(r);
        String condition = null;
        if (r.has("if") && r.require("if")) {
            YamlScalar s = r.scalar("if", "an expression");
            if (s != null) condition = b.condition(s, r.path("if"), id, sites);
        }
        Map<String, List<Object>> matrix = matrix(r);
        Map<String, ValueType> matrixTypes = new LinkedHashMap<>();
        matrix.forEach((k, v) -> matrixTypes.put(k, ValueType.common(v)));
        Boolean cache = r.bool("cache");
        List<String> cacheFiles = paths(r, "cache_files", "cache file");

        RegisterDraft register = registers ? register(r, id, sites) : null;
        Map<String, String> models = models(r);

        return new StepDraft(index, path, map.location(), id, idAt, run, needs, workdir, env, outputs,
                retries != null ? retries.intValue() : defaults.retries() != null ? defaults.retries() : 0,
                retryDelay != null ? retryDelay : defaults.retryDelay(),
                timeout != null ? timeout : defaults.timeout(),
                labels != null ? labels : defaults.labels(),
                condition, matrix, matrixTypes, cache != null && cache, cacheFiles, sites, register, models);
    }

    /** {@code register:}; null when it is not a mapping or misses what it needs (reported). */
    private RegisterDraft register(MapReader step, String id, List<ExprSite> sites) {
        YamlMap m = step.map("register");
        if (m == null) {
            if (step.node("register") instanceof YamlScalar s && s.isNull()) {
                problems.add(step.keyAt("register"), step.path("register"), "required", "'register' is empty");
            }
            return null;
        }
        MapReader r = new MapReader(m, step.path("register"), problems, REGISTER_KEYS);
        String model = null;
        if (r.require("model")) {
            YamlScalar s = r.scalar("model", "a model name");
            if (s != null) {
                String problem = dev.sluice.engine.registry.Names.modelProblem(s.text());
                if (problem != null) problems.add(s.location(), r.path("model"), "bad-name", problem);
                else model = s.text();
            }
        }
        String fromStep = null;
        String fromOutput = null;
        Location fromAt = m.location();
        if (r.require("from")) {
            YamlScalar s = r.scalar("from", "<step>/<output>");
            if (s != null) {
                fromAt = s.location();
                String text = s.text();
                int slash = text.indexOf('/');
                if (slash <= 0 || slash == text.length() - 1) {
                    problems.add(s.location(), r.path("from"), "bad-from", "bad from '"
                            + dev.sluice.engine.registry.Names.shown(text) + "'", "write <step in needs>/<one of its outputs>, e.g. evaluate/model.json");
                } else {
                    String why = Binding.pathProblem(text.substring(slash + 1), false);
                    if (why != null) {
                        problems.add(s.location(), r.path("from"), "bad-from", "from '"
                                + dev.sluice.engine.registry.Names.shown(text) + "': the output " + why);
                    } else {
                        fromStep = text.substring(0, slash);
                        fromOutput = text.substring(slash + 1);
                    }
                }
            }
        }
        List<String> metrics = null;
        if (r.has("metrics")) {
            List<YamlScalar> items = r.scalars("metrics", "metric name");
            metrics = new ArrayList<>();
            if (items != null) for (YamlScalar s : items) metrics.add(s.text());
        }
        List<String> aliases = new ArrayList<>();
        List<YamlScalar> aliasItems = r.has("aliases") ? r.scalars("aliases", "alias") : null;
        if (aliasItems != null) {
            for (YamlScalar s : aliasItems) {
                String problem = dev.sluice.engine.registry.Names.aliasProblem(s.text());
                if (problem != null) problems.add(s.location(), r.path("aliases"), "bad-name", problem);
                else if (!aliases.contains(s.text())) aliases.add(s.text());
            }
        }
        Register.Promote promote = null;
        YamlMap p = r.map("promote");
        if (p != null) {
            MapReader pr = new MapReader(p, r.path("promote"), problems, PROMOTE_KEYS);
            String alias = null;
            if (pr.require("alias")) {
                YamlScalar s = pr.scalar("alias", "an alias");
                if (s != null) {
                    String problem = dev.sluice.engine.registry.Names.aliasProblem(s.text());
                    if (problem != null) problems.add(s.location(), pr.path("alias"), "bad-name", problem);
                    else alias = s.text();
                }
            }
            String condition = null;
            boolean conditionOk = true;
            if (pr.has("if") && pr.require("if")) {
                YamlScalar s = pr.scalar("if", "an expression");
                if (s != null) {
                    int before = sites.size();
                    condition = b.condition(s, pr.path("if"), id, sites);
                    if (condition == null) conditionOk = false;
                    else if (sites.size() > before) {
                        ExprSite site = sites.remove(sites.size() - 1);
                        sites.add(new ExprSite(site.expression(), site.scalar(), site.offset(), site.path(), site.stepId(), true, true));
                    }
                }
            }
            if (alias != null && conditionOk) promote = new Register.Promote(alias, condition);
        }
        if (model == null || fromStep == null) return null;
        return new RegisterDraft(new Register(model, fromStep, fromOutput, metrics, aliases, promote), fromAt, r.path("from"));
    }

    /** {@code models:} key -> NAME@ALIAS or NAME:VERSION. */
    private Map<String, String> models(MapReader r) {
        YamlMap m = r.map("models");
        if (m == null) return Map.of();
        String path = r.path("models");
        Map<String, String> models = new LinkedHashMap<>();
        for (Entry e : m.entries().values()) {
            String p = Paths.child(path, e.key());
            if (!b.checkName(e.key(), "model key", e.keyLocation(), p)) continue;
            if (!(e.value() instanceof YamlScalar s) || s.isNull()) {
                problems.add(e.value().location(), p, "wrong-type", "model '" + e.key()
                        + "' must be a reference like NAME@ALIAS or NAME:VERSION, not " + e.value().kind());
                continue;
            }
            try {
                dev.sluice.engine.registry.ModelRef.parse(s.text());
                models.put(e.key(), s.text());
            } catch (IllegalArgumentException ex) {
                problems.add(s.location(), p, "bad-model-ref", ex.getMessage());
            }
        }
        return models;
    }

    private List<Ref> needs(MapReader r) {
        YamlNode node = r.node("needs");
        if (node == null) return List.of();
        List<YamlScalar> items = r.scalars("needs", "step id");
        if (items == null) return List.of();
        String path = r.path("needs");
        List<Ref> refs = new ArrayList<>(items.size());
        if (!(node instanceof YamlList list)) {
            for (YamlScalar s : items) refs.add(new Ref(s.text(), s.location(), path, -1));
            return refs;
        }
        for (int i = 0; i < list.items().size(); i++) {
            if (list.items().get(i) instanceof YamlScalar s && !s.isNull()) refs.add(new Ref(s.text(), s.location(), path, i));
        }
        return refs;
    }

    private String path(MapReader r, String key, boolean mayBeFolder) {
        YamlScalar s = r.scalar(key, "a relative path");
        if (s == null) return null;
        String why = Binding.pathProblem(s.text(), mayBeFolder);
        if (why != null) {
            problems.add(s.location(), r.path(key), "bad-path", key + " '" + s.text() + "' " + why);
            return null;
        }
        return s.text();
    }

    private List<String> paths(MapReader r, String key, String what) {
        if (!r.has(key)) return List.of();
        List<YamlScalar> items = r.scalars(key, "relative path");
        if (items == null) return List.of();
        List<String> out = new ArrayList<>();
        for (YamlScalar s : items) {
            String why = Binding.pathProblem(s.text(), false);
            if (why != null) {
                problems.add(s.location(), r.path(key), "bad-path", what + " '" + s.text() + "' " + why);
            } else {
                out.add(s.text());
            }
        }
        return out;
    }

    private List<String> labels(MapReader r) {
        YamlMap worker = r.map("worker");
        if (worker == null) return null;
        MapReader w = new MapReader(worker, r.path("worker"), problems, WORKER_KEYS);
        return labelList(w, problems);
    }

    /** {@code worker.labels}: null when not set. */
    static List<String> labelList(MapReader worker, Problems problems) {
        List<YamlScalar> items = worker.scalars("labels", "label");
        if (items == null) return null;
        List<String> labels = new ArrayList<>();
        for (YamlScalar s : items) {
            if (s.text().isBlank() || s.text().chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
                problems.add(s.location(), worker.path("labels"), "bad-value", "bad label '" + s.text() + "'",
                        "a label is one word without spaces or commas");
            } else if (!labels.contains(s.text())) {
                labels.add(s.text());
            }
        }
        return labels;
    }

    private Map<String, List<Object>> matrix(MapReader r) {
        YamlMap m = r.map("matrix");
        if (m == null) return Map.of();
        String path = r.path("matrix");
        Map<String, List<Object>> matrix = new LinkedHashMap<>();
        long combinations = 1;
        for (Entry e : m.entries().values()) {
            String p = Paths.child(path, e.key());
            if (!b.checkName(e.key(), "matrix", e.keyLocation(), p)) continue;
            if (!(e.value() instanceof YamlList list)) {
                problems.add(e.value().location(), p, "bad-matrix",
                        "matrix '" + e.key() + "' must be a list of values, not " + e.value().kind());
                continue;
            }
            if (list.items().isEmpty()) {
                problems.add(list.location(), p, "bad-matrix", "matrix '" + e.key() + "' needs at least one value");
                continue;
            }
            List<Object> values = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                Object v = matrixValue(list.items().get(i), e.key(), Paths.item(p, i));
                if (v == null) continue;
                if (!seen.add(Values.format(v))) {
                    problems.add(list.items().get(i).location(), Paths.item(p, i), "bad-matrix",
                            "matrix '" + e.key() + "' lists " + Values.format(v) + " twice");
                    continue;
                }
                values.add(v);
            }
            if (!values.isEmpty()) {
                matrix.put(e.key(), values);
                combinations *= values.size();
            }
        }
        if (combinations > MAX_MATRIX_COMBINATIONS) {
            problems.add(m.location(), path, "bad-matrix", "matrix gives " + combinations
                    + " combinations; the limit is " + MAX_MATRIX_COMBINATIONS);
        }
        return matrix;
    }

    private Object matrixValue(YamlNode node, String name, String path) {
        if (!(node instanceof YamlScalar s) || s.isNull() || s.value() instanceof BigInteger) {
            problems.add(node.location(), path, "bad-matrix",
                    "matrix '" + name + "' values must be strings, numbers or booleans, not " + node.kind());
            return null;
        }
        if (s.value() instanceof Double d && (d.isNaN() || d.isInfinite())) {
            problems.add(s.location(), path, "bad-matrix", "matrix value " + s.text() + " is not a finite number");
            return null;
        }
        if (s.value() instanceof String str && (str.isEmpty() || str.length() > 100
                || str.chars().anyMatch(c -> c == '[' || c == ']' || c == ',' || c == '=' || Character.isISOControl(c)))) {
            problems.add(s.location(), path, "bad-matrix", "bad matrix value '" + str + "'",
                    "a matrix string is 1 to 100 characters without [ ] , = or control characters");
            return null;
        }
        return s.value();
    }
}
