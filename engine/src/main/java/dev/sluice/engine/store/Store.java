package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import dev.sluice.worker.protocol.Artifact;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Sluice keeps. Writes go through {@link #commit}: one transaction, committed durably
 * before it returns (an acknowledged commit survives {@code kill -9}). Times are kept to the
 * microsecond. Implementations are thread-safe. Failures of the database itself are
 * {@link StoreException}s with a one-line message.
 */
public interface Store extends AutoCloseable {

    /**
     * Save a pipeline text as a new immutable version, unless it equals (by sha256) the latest
     * version, which is then returned. Saving the name of a deleted pipeline brings it back,
     * unpaused, its schedule counting from now; its version numbers go on from the deleted ones.
     */
    PipelineVersion savePipeline(String name, String text);

    /** One version, of a deleted pipeline too (its runs name it). */
    Optional<PipelineVersion> pipelineVersion(String name, int version);

    /** The newest version; empty for an unknown or deleted pipeline. */
    Optional<PipelineVersion> latestPipeline(String name);

    /** Every version, oldest first, of a deleted pipeline too. */
    List<PipelineVersion> pipelineVersions(String name);

    /** Names of every pipeline not deleted, in alphabetical order. */
    List<String> pipelineNames();

    /** A pipeline's state, deleted or not; empty when the name was never saved. */
    Optional<PipelineState> pipelineState(String name);

    /** The state of every pipeline not deleted, in alphabetical order. */
    List<PipelineState> pipelineStates();

    /**
     * Pause or unpause a pipeline that is not deleted. Unpausing a paused pipeline moves its
     * {@link PipelineState#scheduleSince} to now: the ticks of the paused time never fire.
     *
     * @return the state after, or empty for an unknown or deleted pipeline
     */
    Optional<PipelineState> setPaused(String name, boolean paused);

    /**
     * Soft-delete a pipeline: it leaves {@link #pipelineNames} and {@link #latestPipeline}; its
     * versions and runs stay.
     *
     * @return false for an unknown or already deleted pipeline
     */
    boolean deletePipeline(String name);

    /** Where the designer draws the steps of a pipeline, by step id, in id order; empty when none were saved. */
    Map<String, Position> positions(String pipeline);

    /**
     * Replaces every saved position of a pipeline that exists (deleted or not) by these.
     *
     * @return false (and nothing saved) when the pipeline was never saved
     */
    boolean savePositions(String pipeline, Map<String, Position> positions);

    /** The latest logical date a schedule fired for this pipeline, ever (its deleted life too). */
    Optional<Instant> latestScheduleTick(String name);

    /** The newest run (by creation time) of each pipeline that has runs, keyed by pipeline name. */
    Map<String, RunRecord> latestRuns();

    /**
     * Apply every change in one transaction, in order; throws {@link ConflictException} (and changes
     * nothing) when a compare-and-set fails, when a run id or an attempt already exists, or when a
     * scheduled run repeats its pipeline's logical date. Param and matrix values must be strings,
     * numbers or booleans ({@link IllegalArgumentException} otherwise). A store with a
     * {@link Fence} ({@link #withFence}) first checks, in the same transaction, that this server
     * still holds the leader lease with its epoch, and throws {@link FencedException} (changing
     * nothing) otherwise.
     * Only commits are fenced: pipeline saves, pauses and deletes are user edits any server may make.
     */
    void commit(List<Change> changes);

    /** A lease row of this database (created on first use), e.g. {@link LeaderLease#SCHEDULER}. */
    LeaderLease lease(String name);

    /**
     * This store, with every {@link #commit} checked against the leader lease the fence names: what a
     * server of a cluster gives its scheduler and cron service. A view on the same connections:
     * closing either closes both. Stores of {@code sluice run} have no fence.
     */
    Store withFence(Fence fence);

    Optional<RunRecord> run(String runId);

    /** Runs newest first (by creation time). */
    List<RunRecord> runs(RunQuery query);

    /** Runs in any of the given states, oldest first (by creation time). */
    List<RunRecord> runsIn(RunState... states);

    /** Tasks of a run in plan order. */
    List<TaskRecord> tasks(String runId);

    /** One task of a run. */
    Optional<TaskRecord> task(String runId, String taskId);

    /** Attempts of a run, by task then attempt number. */
    List<AttemptRecord> attempts(String runId);

    /**
     * Outputs of a run's attempts, keyed by task id in plan order; only the attempt that SUCCEEDED
     * (or was cached) counts. A task without outputs has no key.
     */
    Map<String, List<Artifact>> outputs(String runId);

    /** Metrics of a run's tasks from their successful attempts, keyed by task id. */
    Map<String, Map<String, Double>> metrics(String runId);

    /** Every value an attempt wrote, by metric name; empty series when it wrote none. */
    MetricSeries series(String runId, String taskId, int attempt);

    /** The queries and writes of triggers, alerts, experiments and metric history. */
    MonitorStore monitor();

    /** Inputs an attempt consumed (lineage). */
    List<Artifact> inputs(String runId, String taskId, int attempt);

    /** The whole stored log of one attempt ("" when none). */
    String log(String runId, String taskId, int attempt);

    /** One attempt of a task. */
    Optional<AttemptRecord> attempt(String runId, String taskId, int attempt);

    /** The chunks of an attempt's log written after chunk {@code afterId}, oldest first, at most {@code limit}. */
    List<LogChunk> logChunks(String runId, String taskId, int attempt, long afterId, int limit);

    /**
     * State changes of a run and its tasks after event {@code afterId} (0 for all), oldest first, at
     * most {@code limit}. Every committed {@link Change.CreateRun}, {@link Change.SetRunState} and
     * {@link Change.SetTaskState} leaves one, in the same transaction.
     */
    List<RunEventRecord> events(String runId, long afterId, int limit);

    /** The successful attempt this cache key was last put for, with its outputs and metrics. */
    Optional<CacheHit> cacheHit(String cacheKey);

    /** Runs whose id starts with the given prefix (for short ids on the command line). */
    List<String> runIdsStartingWith(String prefix);

    /** The model registry kept in this store. */
    dev.sluice.engine.registry.Registry registry();

    /** Where a run comes from (rerun, code version, pinned models); empty for an unknown run. */
    Optional<RunProvenance> provenance(String runId);

    /** Runs whose outputs or inputs hold this artifact: (run, task, attempt, path, consumed?) at most {@code limit}. */
    List<ArtifactUse> artifactUses(String sha256, int limit);

    @Override
    void close();
}
