package dev.sluice.engine.store;

import java.util.List;

/**
 * What retention must keep besides the runs it keeps, as queries over tables other features own.
 * Each query runs only when its table exists, so a store from before that feature works as well.
 * Add a line here when a feature keeps artifacts or runs alive (an experiment pinning its runs, say).
 */
public final class RetentionRoots {

    /**
     * @param table the table the query reads; the query is skipped while it does not exist
     * @param sql   returns one column: a sha256 (for {@link #ARTIFACTS}) or a run id (for {@link #RUNS})
     * @param what  for people: why these are kept
     */
    public record Root(String table, String sql, String what) {}

    /** Artifacts kept whatever runs go: every file a model version needs (registry, migration V6). */
    public static final List<Root> ARTIFACTS = List.of(
            new Root("model_version_files", "SELECT sha256 FROM model_version_files", "model versions"));

    /**
     * Runs never deleted: a model version names the run, step and attempt it came from, and its
     * lineage and metrics lead there.
     */
    public static final List<Root> RUNS = List.of(
            new Root("model_versions", "SELECT run_id FROM model_versions WHERE run_id IS NOT NULL", "model versions"));

    private RetentionRoots() {}
}
