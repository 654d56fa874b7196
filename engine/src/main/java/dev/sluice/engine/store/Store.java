package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import dev.sluice.worker.protocol.Artifact;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Sluice keeps. Writes go through {@link #commit}: one transaction, committed durably
 * before it returns (an acknowledged commit survives {@code kill -9}).
 */
public interface Store extends AutoCloseable {

    /**
     * Save a pipeline text as a new immutable version, unless it equals (by sha256) the latest
     * version, which is then returned.
     */
    PipelineVersion savePipeline(String name, String text);

    Optional<PipelineVersion> pipelineVersion(String name, int version);

    Optional<PipelineVersion> latestPipeline(String name);

    List<PipelineVersion> pipelineVersions(String name);

    /** Apply every change in one transaction; throws {@link ConflictException} (and changes nothing) when a compare-and-set fails. */
    void commit(List<Change> changes);

    Optional<RunRecord> run(String runId);

    /** Runs newest first. */
    List<RunRecord> runs(RunQuery query);

    /** Runs in any of the given states, oldest first. */
    List<RunRecord> runsIn(RunState... states);

    /** Tasks of a run in plan order. */
    List<TaskRecord> tasks(String runId);

    /** Attempts of a run, by task then attempt number. */
    List<AttemptRecord> attempts(String runId);

    /** Outputs of a run's attempts, keyed by task id; only the attempt that SUCCEEDED (or was cached) counts. */
    Map<String, List<Artifact>> outputs(String runId);

    /** Metrics of a run's tasks from their successful attempts, keyed by task id. */
    Map<String, Map<String, Double>> metrics(String runId);

    /** Inputs an attempt consumed (lineage). */
    List<Artifact> inputs(String runId, String taskId, int attempt);

    /** The whole stored log of one attempt ("" when none). */
    String log(String runId, String taskId, int attempt);

    /** An earlier successful attempt with this cache key, with its outputs and metrics. */
    Optional<CacheHit> cacheHit(String cacheKey);

    /** Runs whose id starts with the given prefix (for short ids on the command line). */
    List<String> runIdsStartingWith(String prefix);

    @Override
    void close();
}
