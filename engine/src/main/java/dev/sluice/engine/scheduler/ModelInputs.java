package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Task;
import dev.sluice.engine.registry.ModelFile;
import dev.sluice.engine.registry.ModelRef;
import dev.sluice.engine.registry.ModelVersion;
import dev.sluice.engine.registry.PinnedModel;
import dev.sluice.engine.store.RunProvenance;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.protocol.Artifact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models a task consumes: the versions its run pinned at its start, with their files, for the
 * worker ({@code $SLUICE_MODELS/KEY/}), the expression scope ({@code models.KEY}) and the cache key.
 * Runs on the scheduler thread; reads the store once per run and model version.
 */
final class ModelInputs {

    /** One model of a task: its key and the pinned version. */
    record Resolved(String key, ModelVersion version) {
        List<Artifact> artifacts() {
            List<Artifact> out = new ArrayList<>();
            for (ModelFile f : version.files()) out.add(new Artifact(key, f.path(), f.sha256(), f.size()));
            return out;
        }

        Map<String, Object> scope() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", version.model());
            m.put("version", (long) version.version());
            m.put("metrics", version.metrics());
            return m;
        }
    }

    private final Store store;
    private final ContentStore artifacts;
    private final Map<String, ModelVersion> versions = new HashMap<>();

    ModelInputs(Store store, ContentStore artifacts) {
        this.store = store;
        this.artifacts = artifacts;
    }

    /**
     * Resolves the task's models into {@code run.models}.
     *
     * @return null when every model is there, else why the task fails ({@code no model NAME@ALIAS})
     */
    String resolve(ActiveRun run, Task task) {
        Map<String, String> wanted = task.step().models();
        if (wanted.isEmpty()) return null;
        if (run.pinned == null) run.pinned = store.provenance(run.id()).map(RunProvenance::models).orElse(List.of());
        List<Resolved> resolved = new ArrayList<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            PinnedModel pin = run.pinned.stream().filter(p -> p.taskId().equals(task.id()) && p.key().equals(e.getKey()))
                    .findFirst().orElse(null);
            Optional<ModelVersion> version;
            if (pin != null) {
                version = pin.resolved() ? version(pin.model(), pin.version()) : Optional.empty();
            } else {
                // a run started before models were pinned (or by an older engine): resolved now
                version = store.registry().resolve(ModelRef.parse(e.getValue())).map(v -> {
                    versions.putIfAbsent(v.model() + ":" + v.version(), v);
                    return v;
                });
            }
            if (version.isEmpty()) return "no model " + e.getValue();
            for (ModelFile f : version.get().files()) {
                if (!artifacts.contains(f.sha256())) {
                    return "model " + version.get().ref() + ": file " + f.path() + " is no longer in the artifact store";
                }
            }
            resolved.add(new Resolved(e.getKey(), version.get()));
        }
        run.models.put(task.id(), resolved);
        return null;
    }

    private Optional<ModelVersion> version(String model, int version) {
        String key = model + ":" + version;
        ModelVersion cached = versions.get(key);
        if (cached != null) return Optional.of(cached);
        Optional<ModelVersion> found = store.registry().version(model, version);
        found.ifPresent(v -> {
            if (versions.size() > 1000) versions.clear();
            versions.put(key, v);
        });
        return found;
    }
}
