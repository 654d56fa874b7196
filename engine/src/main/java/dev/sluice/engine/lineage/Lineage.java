package dev.sluice.engine.lineage;

import dev.sluice.engine.code.CodeVersion;
import dev.sluice.engine.registry.ModelRef;
import dev.sluice.engine.registry.ModelVersion;
import dev.sluice.engine.registry.PinnedModel;
import dev.sluice.engine.report.RunReport;
import dev.sluice.engine.store.ArtifactUse;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.RunProvenance;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.worker.protocol.Artifact;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Walks lineage upstream, breadth first, from one node: a model version to the artifacts it holds
 * and the step that registered it; an artifact to the attempts that produced it; an attempt to its
 * run and the artifacts and models it consumed; a run to its pipeline version, code version (git
 * commit, each cache file's hash) and params. At most {@code depth} levels and {@code limit} nodes;
 * nodes left unexpanded are listed in {@code cut}. Reads the store only.
 */
public final class Lineage {

    public static final int DEFAULT_DEPTH = 8;
    public static final int MAX_DEPTH = 32;
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 5000;
    /** producers of one artifact followed: the same content made by many runs (reruns, cache hits) */
    private static final int MAX_PRODUCERS = 5;

    private final Store store;
    private final Map<String, LineageGraph.Node> nodes = new LinkedHashMap<>();
    private final Set<LineageGraph.Edge> edges = new LinkedHashSet<>();
    private final List<String> cut = new ArrayList<>();
    private final Map<String, Optional<RunProvenance>> provenances = new LinkedHashMap<>();
    /** the run through which an artifact was reached: its producer in that run is the one that matters */
    private final Map<String, String> contextRun = new LinkedHashMap<>();
    private boolean truncated;
    private final int limit;

    private Lineage(Store store, int limit) {
        this.store = store;
        this.limit = limit;
    }

    /** Lineage of a model version by reference; empty when it resolves to nothing. */
    public static Optional<LineageGraph> ofModel(Store store, ModelRef ref, int depth, int limit) {
        Optional<ModelVersion> v = store.registry().resolve(ref);
        if (v.isEmpty()) return Optional.empty();
        Lineage l = new Lineage(store, limit);
        return Optional.of(l.walk(l.modelVersion(v.get()), depth));
    }

    /** Lineage of an artifact; empty when no attempt produced or consumed it and no model holds it. */
    public static Optional<LineageGraph> ofArtifact(Store store, String sha256, int depth, int limit) {
        Lineage l = new Lineage(store, limit);
        boolean known = !store.artifactUses(sha256, 1).isEmpty() || !store.registry().holding(sha256).isEmpty();
        if (!known) return Optional.empty();
        return Optional.of(l.walk(l.artifact(sha256, null, null), depth));
    }

    /** Lineage of a step's attempt (its last successful one, else its last); empty for an unknown run or step. */
    public static Optional<LineageGraph> ofStep(Store store, String runId, String taskId, int depth, int limit) {
        if (store.run(runId).isEmpty()) return Optional.empty();
        Optional<TaskRecord> task = store.task(runId, taskId);
        if (task.isEmpty() || task.get().attempts() == 0) return Optional.empty();
        List<AttemptRecord> attempts = store.attempts(runId).stream().filter(a -> a.taskId().equals(taskId)).toList();
        AttemptRecord chosen = attempts.stream().filter(a -> a.status().equals("SUCCEEDED")).reduce((x, y) -> y)
                .orElse(attempts.get(attempts.size() - 1));
        Lineage l = new Lineage(store, limit);
        return Optional.of(l.walk(l.attempt(chosen), depth));
    }

    private LineageGraph walk(String root, int depth) {
        Deque<String> level = new ArrayDeque<>(List.of(root));
        Set<String> expanded = new LinkedHashSet<>();
        for (int d = 0; d <= depth && !level.isEmpty(); d++) {
            Deque<String> next = new ArrayDeque<>();
            for (String id : level) {
                if (!expanded.add(id)) continue;
                if (d == depth || truncated) {
                    if (hasParents(id)) cut.add(id);
                    continue;
                }
                for (String parent : parents(id)) if (!expanded.contains(parent)) next.add(parent);
            }
            level = next;
        }
        for (String id : level) if (!expanded.contains(id) && hasParents(id) && !cut.contains(id)) cut.add(id);
        return new LineageGraph(root, List.copyOf(nodes.values()), List.copyOf(edges), truncated, cut);
    }

    private static boolean hasParents(String id) {
        return id.startsWith("model_version:") || id.startsWith("artifact:") || id.startsWith("attempt:")
                || id.startsWith("run:") || id.startsWith("code_version:");
    }

    // ---- parents of each kind of node

    private List<String> parents(String id) {
        LineageGraph.Node n = nodes.get(id);
        if (n == null) return List.of();
        Map<String, Object> data = n.data();
        List<String> out = new ArrayList<>();
        switch (n.type()) {
            case "model_version" -> {
                ModelVersion v = store.registry().version((String) data.get("model"), (Integer) data.get("version")).orElse(null);
                if (v == null) break;
                for (var f : v.files()) {
                    String a = artifact(f.sha256(), f.path(), f.size());
                    if (a != null && v.runId() != null) contextRun.putIfAbsent(a, v.runId());
                    add(out, a, id, "registered_as");
                }
                if (v.runId() != null && v.taskId() != null && v.attempt() != null) {
                    store.attempt(v.runId(), v.taskId(), v.attempt()).ifPresent(a -> add(out, attempt(a), id, "produced"));
                }
            }
            case "artifact" -> {
                // the producer in the run it was reached through; else the first one (the same bytes made
                // again by later runs or cache hits would only repeat the same history)
                List<ArtifactUse> producers = store.artifactUses((String) data.get("sha256"), MAX_PRODUCERS * 4).stream()
                        .filter(u -> !u.consumed()).toList();
                String context = contextRun.get(id);
                List<ArtifactUse> chosen = producers.stream().filter(u -> u.runId().equals(context)).toList();
                if (chosen.isEmpty() && !producers.isEmpty()) chosen = List.of(producers.get(0));
                for (ArtifactUse use : chosen) {
                    store.attempt(use.runId(), use.taskId(), use.attempt()).ifPresent(a -> add(out, attempt(a), id, "produced"));
                }
            }
            case "attempt" -> {
                String runId = (String) data.get("run_id");
                String taskId = (String) data.get("task_id");
                int attempt = (Integer) data.get("attempt");
                String run = run(runId);
                if (run != null) add(out, run, id, "ran");
                Map<String, PinnedModel> models = new LinkedHashMap<>();
                provenance(runId).ifPresent(p -> p.models().forEach(m -> {
                    if (m.taskId().equals(taskId)) models.put(m.key(), m);
                }));
                for (Artifact in : store.inputs(runId, taskId, attempt)) {
                    if (in.from().startsWith("models/")) {
                        PinnedModel m = models.get(in.from().substring("models/".length()));
                        if (m != null && m.version() != null) {
                            Optional<ModelVersion> v = store.registry().version(m.model(), m.version());
                            if (v.isPresent()) {
                                add(out, modelVersion(v.get()), id, "consumed");
                                continue;
                            }
                        }
                    }
                    String a = artifact(in.sha256(), in.from() + "/" + in.path(), in.size());
                    if (a != null) contextRun.putIfAbsent(a, runId);
                    add(out, a, id, "consumed");
                }
            }
            case "run" -> {
                String runId = (String) data.get("id");
                RunRecord r = store.run(runId).orElse(null);
                if (r == null) break;
                add(out, pipelineVersion(r.pipeline(), r.version()), id, "version_of");
                add(out, params(r), id, "read");
                Optional<RunProvenance> p = provenance(runId);
                CodeVersion code = p.map(x -> CodeVersion.fromJson(x.code())).orElse(null);
                if (code != null) add(out, codeVersion(runId, code), id, "read");
                if (p.isPresent() && p.get().rerunOf() != null) {
                    String original = run(p.get().rerunOf());
                    if (original != null) add(out, original, id, "version_of");
                }
            }
            case "code_version" -> {
                @SuppressWarnings("unchecked")
                Map<String, String> files = (Map<String, String>) data.getOrDefault("files", Map.of());
                files.forEach((path, sha) -> add(out, file(path, sha), id, "read"));
            }
            default -> {
            }
        }
        return out;
    }

    private void add(List<String> out, String parent, String child, String type) {
        if (parent == null) return;
        edges.add(new LineageGraph.Edge(parent, child, type));
        out.add(parent);
    }

    // ---- nodes (null when the limit is reached)

    private String put(String id, String type, String label, Map<String, Object> data, String href) {
        if (nodes.containsKey(id)) return id;
        if (nodes.size() >= limit) {
            truncated = true;
            return null;
        }
        nodes.put(id, new LineageGraph.Node(id, type, label, data, href));
        return id;
    }

    private String modelVersion(ModelVersion v) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", v.model());
        d.put("version", v.version());
        d.put("sha256", v.sha256());
        d.put("kind", v.kind());
        d.put("metrics", v.metrics());
        List<String> aliases = new ArrayList<>();
        store.registry().aliases(v.model()).forEach((alias, at) -> {
            if (at == v.version()) aliases.add(alias);
        });
        d.put("aliases", aliases);
        return put("model_version:" + v.model() + ":" + v.version(), "model_version",
                v.model() + " version " + v.version() + (aliases.isEmpty() ? "" : " (" + String.join(", ", aliases) + ")"),
                d, "#/models/" + v.model() + "/versions/" + v.version());
    }

    private String artifact(String sha, String path, Long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sha256", sha);
        if (path != null) d.put("path", path);
        if (size != null) d.put("size", size);
        String label = (path == null ? "artifact" : path) + " " + sha.substring(0, Math.min(12, sha.length()));
        return put("artifact:" + sha, "artifact", label, d, "/api/artifacts/" + sha);
    }

    private String attempt(AttemptRecord a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("run_id", a.runId());
        d.put("task_id", a.taskId());
        d.put("attempt", a.attempt());
        d.put("status", a.status());
        d.put("worker", a.worker());
        d.put("started_at", a.startedAt() == null ? null : a.startedAt().toString());
        return put("attempt:" + a.runId() + ":" + a.taskId() + ":" + a.attempt(), "attempt",
                a.taskId() + " #" + a.attempt() + " (run " + a.runId() + ")", d, "#/runs/" + a.runId() + "?step=" + a.taskId());
    }

    private String run(String runId) {
        RunRecord r = store.run(runId).orElse(null);
        if (r == null) return null;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", r.id());
        d.put("pipeline", r.pipeline());
        d.put("version", r.version());
        d.put("status", r.status().name());
        d.put("created_at", r.createdAt().toString());
        d.put("logical_date", r.logicalDate().toString());
        provenance(runId).ifPresent(p -> d.put("rerun_of", p.rerunOf()));
        return put("run:" + r.id(), "run", r.pipeline() + " run " + r.id(), d, "#/runs/" + r.id());
    }

    private String pipelineVersion(String name, int version) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pipeline", name);
        d.put("version", version);
        store.pipelineVersion(name, version).ifPresent(v -> d.put("sha256", v.sha256()));
        return put("pipeline_version:" + name + ":" + version, "pipeline_version", name + " v" + version, d,
                "#/pipelines/" + name + "/versions/" + version);
    }

    private String params(RunRecord r) {
        Map<String, Object> d = new LinkedHashMap<>(RunReport.masked(r.params()));
        List<String> parts = new ArrayList<>();
        d.forEach((k, v) -> parts.add(k + "=" + v));
        return put("params:" + r.id(), "params", "params " + String.join(" ", parts), d, "#/runs/" + r.id());
    }

    private String codeVersion(String runId, CodeVersion c) {
        Map<String, Object> d = c.toJson();
        String git = c.git() == null ? "no git" : "git " + c.git().commit().substring(0, Math.min(12, c.git().commit().length()))
                + (c.git().dirty() ? " (dirty)" : "");
        return put("code_version:" + runId, "code_version", "code: pipeline v" + c.pipelineVersion() + ", " + git, d,
                "#/runs/" + runId);
    }

    private String file(String path, String sha) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", path);
        d.put("sha256", sha);
        return put("file:" + path + ":" + sha, "file", path + " " + sha.substring(0, Math.min(12, sha.length())), d, null);
    }

    private Optional<RunProvenance> provenance(String runId) {
        return provenances.computeIfAbsent(runId, store::provenance);
    }
}
