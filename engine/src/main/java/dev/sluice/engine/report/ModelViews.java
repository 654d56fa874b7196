package dev.sluice.engine.report;

import dev.sluice.engine.registry.AliasMove;
import dev.sluice.engine.registry.ModelSummary;
import dev.sluice.engine.registry.ModelVersion;
import dev.sluice.engine.registry.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry as the API and {@code sluice models --json} show it (the shapes of the wave-2
 * contract): snake_case keys, versions newest first, the alias history newest first.
 */
public final class ModelViews {

    /** Most versions and history entries a model's page lists. */
    public static final int MAX_LISTED = 500;

    private ModelViews() {}

    /** {@code {"models":[{name, description, latest_version, aliases, created_at, updated_at}]}} */
    public static Map<String, Object> list(Registry registry) {
        List<Object> models = new ArrayList<>();
        for (ModelSummary m : registry.models()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", m.name());
            o.put("description", m.description());
            o.put("latest_version", m.latestVersion());
            o.put("aliases", m.aliases());
            o.put("created_at", m.createdAt());
            o.put("updated_at", m.updatedAt());
            models.add(o);
        }
        return Map.of("models", models);
    }

    /** A model with its aliases, versions and alias history; empty for an unknown model. */
    public static Optional<Map<String, Object>> detail(Registry registry, String name) {
        Optional<ModelSummary> found = registry.model(name);
        if (found.isEmpty()) return Optional.empty();
        ModelSummary m = found.get();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", m.name());
        o.put("description", m.description());
        o.put("aliases", m.aliases());
        List<Object> versions = new ArrayList<>();
        for (ModelVersion v : registry.versions(name, MAX_LISTED)) versions.add(version(v, m.aliases()));
        o.put("versions", versions);
        List<Object> history = new ArrayList<>();
        for (AliasMove move : registry.history(name, MAX_LISTED)) history.add(move(move));
        o.put("history", history);
        o.put("created_at", m.createdAt());
        o.put("updated_at", m.updatedAt());
        return Optional.of(o);
    }

    /** One version, with the aliases pointing at it. */
    public static Map<String, Object> version(ModelVersion v, Map<String, Integer> aliases) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", v.model());
        o.put("version", v.version());
        o.put("sha256", v.sha256());
        o.put("kind", v.kind());
        o.put("size", v.size());
        o.put("created_at", v.createdAt());
        o.put("run_id", v.runId());
        o.put("task_id", v.taskId());
        o.put("attempt", v.attempt());
        o.put("pipeline", v.pipeline());
        o.put("pipeline_version", v.pipelineVersion());
        o.put("params", RunReport.masked(v.params()));
        o.put("matrix", v.matrix());
        o.put("metrics", v.metrics());
        o.put("code", v.code().isEmpty() ? null : v.code());
        o.put("description", v.description());
        o.put("tags", v.tags());
        List<String> names = new ArrayList<>();
        aliases.forEach((alias, at) -> {
            if (at == v.version()) names.add(alias);
        });
        o.put("aliases", names);
        List<Object> files = new ArrayList<>();
        v.files().forEach(f -> files.add(Map.of("path", f.path(), "sha256", f.sha256(), "size", f.size())));
        o.put("files", files);
        return o;
    }

    public static Map<String, Object> move(AliasMove move) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", move.id());
        o.put("alias", move.alias());
        o.put("from_version", move.fromVersion());
        o.put("to_version", move.toVersion());
        o.put("at", move.at());
        Map<String, Object> by = new LinkedHashMap<>();
        by.put("type", move.by().type());
        by.put("run_id", move.by().runId());
        by.put("task_id", move.by().taskId());
        o.put("by", by);
        o.put("note", move.note());
        return o;
    }
}
