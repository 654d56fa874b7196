package dev.sluice.worker.exec;

import dev.sluice.worker.artifact.ArtifactStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every attempt of one {@link LocalExecutor} shares.
 *
 * @param setsid  the {@code setsid} program; empty when the machine has none (then attempts run in
 *                the worker's own session and only a descendants snapshot can end them)
 * @param pool    runs attempts and their log pumps (three threads per running attempt, reused)
 * @param timer   timeouts and kill deadlines
 * @param baseEnv the worker's environment, read once
 */
record ExecContext(
        ArtifactStore store,
        Workspace workspace,
        ProcessTree tree,
        Optional<Path> setsid,
        ExecutorService pool,
        ScheduledExecutorService timer,
        MetricsFile metrics,
        Map<String, String> baseEnv,
        String worker,
        Duration killGrace) {

    /** Whether each attempt leads its own session and process group. */
    boolean sessions() {
        return setsid.isPresent();
    }
}
