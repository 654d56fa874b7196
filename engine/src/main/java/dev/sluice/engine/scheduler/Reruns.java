package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunProvenance;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A rerun: a new run of the same pipeline version with the same params, logical date and pinned
 * model versions, marked {@code rerun_of}. Its code version is read again (so a changed script or
 * data file shows in {@code diff}).
 */
public final class Reruns {

    /** What to commit (in one batch) and start. */
    public record Rerun(Plan plan, Change.CreateRun create, Change.SetRunProvenance provenance) {
        public List<Change> changes() {
            return List.of(create, provenance);
        }
    }

    /** Why a run cannot be rerun; {@code notFound} for an unknown run. */
    public static final class Refused extends RuntimeException {
        private final boolean notFound;

        Refused(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    private Reruns() {}

    /**
     * @param baseDir where the steps' files are, when the run did not record its folder (or it is
     *                gone); a server passes its pipelines folder
     * @param useRecordedFolder whether the folder the original run recorded wins (local mode)
     */
    public static Rerun prepare(Store store, String runId, Path baseDir, boolean useRecordedFolder, String trigger,
            Instant now, String owner) {
        RunRecord run = store.run(runId).orElseThrow(() -> new Refused("no run " + runId, true));
        PipelineVersion version = store.pipelineVersion(run.pipeline(), run.version())
                .orElseThrow(() -> new Refused("pipeline " + run.pipeline() + " v" + run.version() + " is not stored", false));
        RunProvenance original = store.provenance(runId).orElseThrow(() -> new Refused("no run " + runId, true));
        Path folder = baseDir;
        if (useRecordedFolder && original.code().get("folder") instanceof String recorded && Files.isDirectory(Path.of(recorded))) {
            folder = Path.of(recorded);
        }
        ParseResult parsed = PipelineLoader.parse(run.pipeline() + ".yaml", version.text(), folder);
        if (!parsed.ok()) {
            throw new Refused("run " + runId + " cannot be rerun: its pipeline " + run.pipeline() + " v" + run.version()
                    + " no longer validates: " + parsed.problems().get(0).message(), false);
        }
        Plan plan = Planner.plan(parsed.pipeline());
        String id = NewRun.newId(now);
        Change.CreateRun create = NewRun.create(id, version, plan, run.params(), trigger, run.logicalDate(), now, owner);
        Change.SetRunProvenance provenance = Provenances.capture(store, parsed.pipeline(), version, plan, id, original);
        return new Rerun(plan, create, provenance);
    }
}
