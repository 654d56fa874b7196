package dev.sluice.engine.api;

import dev.sluice.engine.cluster.ClusterInfo;
import dev.sluice.engine.metrics.EngineMetrics;
import dev.sluice.engine.scheduler.RunControl;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.artifact.ArtifactStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What the handlers work with.
 *
 * @param baseDir the folder step workdirs of pipelines sent over HTTP are relative to (the
 *                pipelines folder, or the data dir)
 * @param owner   the owner recorded on runs this server starts, e.g. {@code server:host:pid:start}
 * @param signals told of the scheduler's changes (it must be one of the scheduler's listeners), so
 *                event streams follow runs without delay
 * @param pipelinesChanged told after a pipeline is saved, paused, unpaused or deleted (the cron
 *                service looks again at once)
 * @param token   the bearer token {@code /api} and {@code /metrics} need ({@link BearerAuth}); none: open
 * @param metrics what {@code GET /metrics} shows; none: no such route
 * @param cluster what {@code GET /api/cluster} shows, and the token workers upload outputs with; none: a server alone
 */
public record ApiContext(Store store, RunControl scheduler, ArtifactStore artifacts, Path baseDir, Clock clock, String owner,
        RunSignals signals, Runnable pipelinesChanged, Optional<String> token, Optional<EngineMetrics> metrics,
        Optional<ClusterInfo> cluster) {
    public ApiContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(pipelinesChanged, "pipelinesChanged");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(cluster, "cluster");
    }

    /** No token, no metrics, no one to tell of pipeline changes. */
    public ApiContext(Store store, RunControl scheduler, ArtifactStore artifacts, Path baseDir, Clock clock, String owner,
            RunSignals signals) {
        this(store, scheduler, artifacts, baseDir, clock, owner, signals, () -> { }, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ApiContext withPipelinesChanged(Runnable r) {
        return new ApiContext(store, scheduler, artifacts, baseDir, clock, owner, signals, r, token, metrics, cluster);
    }

    public ApiContext withToken(Optional<String> t) {
        return new ApiContext(store, scheduler, artifacts, baseDir, clock, owner, signals, pipelinesChanged, t, metrics, cluster);
    }

    public ApiContext withMetrics(EngineMetrics m) {
        return new ApiContext(store, scheduler, artifacts, baseDir, clock, owner, signals, pipelinesChanged, token, Optional.of(m), cluster);
    }

    public ApiContext withCluster(ClusterInfo c) {
        return new ApiContext(store, scheduler, artifacts, baseDir, clock, owner, signals, pipelinesChanged, token, metrics, Optional.of(c));
    }

    /** Never the token: a record's own toString would print it into any log line holding the context. */
    @Override
    public String toString() {
        return "ApiContext[baseDir=" + baseDir + ", owner=" + owner + ", token=" + (token.isPresent() ? "***" : "none")
                + ", metrics=" + metrics.isPresent() + "]";
    }
}
