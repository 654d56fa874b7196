package dev.sluice.engine.report;

import dev.sluice.engine.code.CodeVersion;
import dev.sluice.engine.registry.PinnedModel;
import dev.sluice.engine.store.RunProvenance;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.protocol.Artifact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What differs between two runs: params, pinned model versions, code versions, metrics, and every
 * output whose sha256 differs (present in one run only counts too). Only differences are listed:
 * a byte-identical rerun gives empty lists. The shape of {@code GET /api/runs/{a}/diff/{b}}.
 */
public final class RunDiff {

    private RunDiff() {}

    /** Empty when either run does not exist. */
    public static Optional<Map<String, Object>> of(Store store, String a, String b) {
        Optional<RunRecord> ra = store.run(a);
        Optional<RunRecord> rb = store.run(b);
        if (ra.isEmpty() || rb.isEmpty()) return Optional.empty();
        RunProvenance pa = store.provenance(a).orElseThrow();
        RunProvenance pb = store.provenance(b).orElseThrow();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("a", a);
        d.put("b", b);

        List<Object> params = new ArrayList<>();
        Map<String, Object> paramsA = RunReport.masked(ra.get().params());
        Map<String, Object> paramsB = RunReport.masked(rb.get().params());
        for (String name : union(paramsA.keySet(), paramsB.keySet())) {
            Object x = paramsA.get(name);
            Object y = paramsB.get(name);
            if (!Objects.equals(x, y)) params.add(row("name", name, x, y));
        }
        d.put("params", params);

        List<Object> models = new ArrayList<>();
        Map<String, PinnedModel> ma = byTaskKey(pa.models());
        Map<String, PinnedModel> mb = byTaskKey(pb.models());
        for (String k : union(ma.keySet(), mb.keySet())) {
            String x = shown(ma.get(k));
            String y = shown(mb.get(k));
            if (!Objects.equals(x, y)) {
                Map<String, Object> r = new LinkedHashMap<>();
                PinnedModel any = ma.getOrDefault(k, mb.get(k));
                r.put("task_id", any.taskId());
                r.put("key", any.key());
                r.put("a", x);
                r.put("b", y);
                models.add(r);
            }
        }
        d.put("models", models);

        List<Object> code = new ArrayList<>();
        CodeVersion ca = CodeVersion.fromJson(pa.code());
        CodeVersion cb = CodeVersion.fromJson(pb.code());
        Map<String, String> flatA = flatten(ca, ra.get());
        Map<String, String> flatB = flatten(cb, rb.get());
        for (String what : union(flatA.keySet(), flatB.keySet())) {
            if (!Objects.equals(flatA.get(what), flatB.get(what))) code.add(row("what", what, flatA.get(what), flatB.get(what)));
        }
        d.put("code", code);

        List<Object> metrics = new ArrayList<>();
        Map<String, Map<String, Double>> xa = store.metrics(a);
        Map<String, Map<String, Double>> xb = store.metrics(b);
        for (String task : union(xa.keySet(), xb.keySet())) {
            Map<String, Double> x = xa.getOrDefault(task, Map.of());
            Map<String, Double> y = xb.getOrDefault(task, Map.of());
            for (String name : union(x.keySet(), y.keySet())) {
                if (!Objects.equals(x.get(name), y.get(name))) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("task_id", task);
                    r.put("name", name);
                    r.put("a", x.get(name));
                    r.put("b", y.get(name));
                    metrics.add(r);
                }
            }
        }
        d.put("metrics", metrics);

        List<Object> outputs = new ArrayList<>();
        Map<String, Map<String, String>> oa = outputs(store.outputs(a));
        Map<String, Map<String, String>> ob = outputs(store.outputs(b));
        for (String task : union(oa.keySet(), ob.keySet())) {
            Map<String, String> x = oa.getOrDefault(task, Map.of());
            Map<String, String> y = ob.getOrDefault(task, Map.of());
            for (String path : new TreeSet<>(union(x.keySet(), y.keySet()))) {
                if (!Objects.equals(x.get(path), y.get(path))) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("task_id", task);
                    r.put("path", path);
                    r.put("a", x.get(path));
                    r.put("b", y.get(path));
                    outputs.add(r);
                }
            }
        }
        d.put("outputs", outputs);
        return Optional.of(d);
    }

    private static Map<String, Object> row(String keyName, String key, Object a, Object b) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(keyName, key);
        r.put("a", a);
        r.put("b", b);
        return r;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Map<String, PinnedModel> byTaskKey(List<PinnedModel> models) {
        Map<String, PinnedModel> m = new LinkedHashMap<>();
        for (PinnedModel p : models) m.put(p.taskId() + "\u0000" + p.key(), p);
        return m;
    }

    private static String shown(PinnedModel p) {
        if (p == null) return null;
        return p.version() == null ? p.ref() + " (none)" : p.model() + ":" + p.version();
    }

    /** The code version as {@code what -> value}: pipeline_version, pipeline_sha256, git.commit, git.dirty, file PATH. */
    private static Map<String, String> flatten(CodeVersion c, RunRecord run) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pipeline_version", Integer.toString(run.version()));
        if (c == null) return m;
        m.put("pipeline_sha256", c.pipelineSha256());
        m.put("git.commit", c.git() == null ? null : c.git().commit());
        m.put("git.dirty", c.git() == null ? null : Boolean.toString(c.git().dirty()));
        c.files().forEach((path, sha) -> m.put("file " + path, sha));
        return m;
    }

    private static Map<String, Map<String, String>> outputs(Map<String, List<Artifact>> byTask) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        byTask.forEach((task, list) -> {
            Map<String, String> paths = new LinkedHashMap<>();
            for (Artifact a : list) paths.put(a.path(), a.sha256());
            m.put(task, paths);
        });
        return m;
    }
}
