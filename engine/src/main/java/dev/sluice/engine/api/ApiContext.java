package dev.sluice.engine.api;

import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.artifact.ContentStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the handlers work with.
 *
 * @param baseDir the folder step workdirs of pipelines sent over HTTP are relative to (the
 *                pipelines folder, or the data dir)
 * @param owner   the owner recorded on runs this server starts, e.g. {@code server:host:pid:start}
 * @param pipelinesChanged told after a pipeline is saved, paused, unpaused or deleted (the cron
 *                service looks again at once)
 */
public record ApiContext(Store store, Scheduler scheduler, ContentStore artifacts, Path baseDir, Clock clock, String owner,
        Runnable pipelinesChanged) {

    /** Without anyone to tell of pipeline changes. */
    public ApiContext(Store store, Scheduler scheduler, ContentStore artifacts, Path baseDir, Clock clock, String owner) {
        this(store, scheduler, artifacts, baseDir, clock, owner, () -> { });
    }

    public ApiContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(pipelinesChanged, "pipelinesChanged");
    }
}
