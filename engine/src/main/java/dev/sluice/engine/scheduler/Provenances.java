package dev.sluice.engine.scheduler;

import dev.sluice.engine.code.CodeVersions;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Task;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.registry.ModelRef;
import dev.sluice.engine.registry.ModelVersion;
import dev.sluice.engine.registry.PinnedModel;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunProvenance;
import dev.sluice.engine.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a new run records besides its tasks, in the batch that creates it: its code version (read
 * now from the pipeline's folder), the run it reruns, and its model references resolved once and
 * pinned (one version per reference for the whole run; a rerun reuses the versions of its original).
 */
public final class Provenances {

    private Provenances() {}

    /**
     * @param rerun the provenance of the run this one reruns, or null for a new run
     */
    public static Change.SetRunProvenance capture(Store store, Pipeline pipeline, PipelineVersion version, Plan plan,
            String runId, RunProvenance rerun) {
        return capture(store, pipeline, version, plan, runId, rerun, CodeVersions.git(pipeline.baseDir()));
    }

    /** As above, with the work tree's git version read already (JGit's first look costs a few hundred ms). */
    public static Change.SetRunProvenance capture(Store store, Pipeline pipeline, PipelineVersion version, Plan plan,
            String runId, RunProvenance rerun, dev.sluice.engine.code.CodeVersion.Git git) {
        Map<String, Object> code = CodeVersions.capture(pipeline, version.version(), version.sha256(), git).toJson();
        code.put("folder", pipeline.baseDir().toString()); // where a local rerun finds the steps' files again
        List<PinnedModel> pinned = new ArrayList<>();
        Map<String, Optional<ModelVersion>> resolved = new HashMap<>();
        for (Task t : plan.tasks()) {
            for (Map.Entry<String, String> e : t.step().models().entrySet()) {
                PinnedModel before = rerun == null ? null : rerun.models().stream()
                        .filter(p -> p.taskId().equals(t.id()) && p.key().equals(e.getKey())).findFirst().orElse(null);
                if (before != null) {
                    pinned.add(new PinnedModel(t.id(), e.getKey(), before.ref(), before.model(), before.version(), before.sha256()));
                    continue;
                }
                ModelRef ref = ModelRef.parse(e.getValue());
                Optional<ModelVersion> v = resolved.computeIfAbsent(e.getValue(), k -> store.registry().resolve(ref));
                pinned.add(new PinnedModel(t.id(), e.getKey(), e.getValue(), ref.model(),
                        v.map(ModelVersion::version).orElse(null), v.map(ModelVersion::sha256).orElse(null)));
            }
        }
        return new Change.SetRunProvenance(new RunProvenance(runId, rerun == null ? null : rerun.runId(), code, pinned));
    }
}
