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
 * @param signals told of the scheduler's changes (it must be one of the scheduler's listeners), so
 *                event streams follow runs without delay
 */
public record ApiContext(Store store, Scheduler scheduler, ContentStore artifacts, Path baseDir, Clock clock, String owner,
        RunSignals signals) {
    public ApiContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(signals, "signals");
    }
}
