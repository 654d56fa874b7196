package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server starting again takes over the runs a previous server left unfinished (a crash,
 * {@code kill -9}): the steps that run left behind on this machine are killed, then each run goes
 * on from its stored state with the pipeline version it started with. Steps that SUCCEEDED do not
 * run again; the attempts that were running get a new attempt ("engine restart").
 */
public final class Takeover {

    private static final Logger log = LoggerFactory.getLogger(Takeover.class);

    private Takeover() {}

    /** @return the ids of the runs taken over */
    public static List<String> resumeServerRuns(Store store, Scheduler scheduler, Path baseDir, Clock clock) {
        List<String> taken = new ArrayList<>();
        for (RunRecord run : Recovery.orphans(store, clock)) {
            if (!Recovery.ownedByServer(run)) continue;
            Optional<Plan> plan = plan(store, run, baseDir);
            if (plan.isEmpty()) continue;
            Orphans.kill(run.id());
            if (run.status() == RunState.RUNNING) scheduler.resume(plan.get(), run.id());
            else scheduler.start(plan.get(), run, store.tasks(run.id()));
            taken.add(run.id());
            log.info("[pipeline {}] [run {}] taken over from {}", run.pipeline(), run.id(), run.owner());
        }
        return taken;
    }

    /** Kills the step processes a run left behind on this machine (its engine died); @return how many */
    public static int killLeftovers(String runId) {
        return Orphans.kill(runId).size();
    }

    /** The plan of the pipeline version a run started with; empty (and logged) when it is gone or no longer validates. */
    public static Optional<Plan> plan(Store store, RunRecord run, Path baseDir) {
        Optional<PipelineVersion> version = store.pipelineVersion(run.pipeline(), run.version());
        if (version.isEmpty()) {
            log.warn("[run {}] cannot be resumed: pipeline {} v{} is not stored", run.id(), run.pipeline(), run.version());
            return Optional.empty();
        }
        ParseResult parsed = PipelineLoader.parse(run.pipeline() + ".yaml", version.get().text(), baseDir);
        if (!parsed.ok()) {
            log.warn("[run {}] cannot be resumed: its pipeline no longer validates: {}", run.id(), parsed.problems().get(0));
            return Optional.empty();
        }
        return Optional.of(Planner.plan(parsed.pipeline()));
    }
}
