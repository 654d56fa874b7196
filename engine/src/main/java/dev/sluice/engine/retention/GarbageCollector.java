package dev.sluice.engine.retention;

import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.artifact.S3ArtifactStore;

import dev.sluice.engine.store.RetentionPlan;
import dev.sluice.engine.store.RetentionPolicy;
import dev.sluice.engine.store.RunCollector;
import dev.sluice.engine.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One retention pass: the ended runs a policy selects go with their rows (logs, events, attempts,
 * outputs ...), then every artifact file no kept run, model version or other root references and
 * untouched for the policy's grace. A dry run reads the same and deletes nothing. Safe while runs
 * are active (see {@link RunCollector} and {@link ArtifactSweeper}); two passes at once do no harm.
 */
public final class GarbageCollector {

    /**
     * @param rows rows per table (lower case) that went, or with a dry run would go
     * @param took how long the pass took
     */
    public record Report(boolean dryRun, RetentionPlan plan, Map<String, Long> rows, ArtifactSweeper.Swept files, Duration took) {

        public int runs() {
            return rows.getOrDefault("runs", 0L).intValue();
        }

        /** Bytes of artifact files freed (or that would be), leftovers included. */
        public long bytes() {
            return files.bytes() + files.leftoverBytes();
        }
    }

    private final Store store;
    private final ArtifactSweeper sweeper;
    private final Clock clock;

    /**
     * The folder whose files the sweep deletes: a folder store's own, or an object store's local
     * cache. An object store's objects themselves are not swept (docs/cli.md says so): only the rows
     * of the runs retention deletes, and the cached copies.
     */
    public static Path folderOf(ArtifactStore artifacts) {
        if (artifacts instanceof ContentStore folder) return folder.root();
        if (artifacts instanceof S3ArtifactStore s3) return s3.cache().root();
        throw new IllegalArgumentException("no folder to sweep in " + artifacts.location());
    }

    /** @param artifacts the root of the content-addressed store (the data dir's {@code artifacts}) */
    public GarbageCollector(Store store, Path artifacts, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.sweeper = new ArtifactSweeper(artifacts);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Report run(RetentionPolicy policy, boolean dryRun) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        RunCollector collector = store.collector();
        RetentionPlan plan = collector.plan(policy, now);
        Instant before = now.minus(policy.grace());
        Map<String, Long> rows;
        ArtifactSweeper.Swept files;
        if (dryRun) {
            rows = new LinkedHashMap<>(plan.rows());
            files = sweeper.sweep(plan.keep()::contains, before, true);
        } else {
            rows = collector.delete(plan);
            // read again after the delete: a run that started meanwhile may reference a content too
            files = sweeper.sweep(collector.referenced()::contains, before, false);
        }
        return new Report(dryRun, plan, rows, files, Duration.ofNanos(System.nanoTime() - started));
    }
}
